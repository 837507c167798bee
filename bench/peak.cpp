// nnscope-peak: what this CPU can do, so that kernel figures can be stated as a share of it.
// - the core clock while busy, from a chain of dependent integer adds (one per cycle on every
//   x86-64 core since the Pentium Pro): rdtsc counts the nominal clock, not the real one, and
//   virtual machines hide the performance counters;
// - FP32 FMA throughput with 256-bit (AVX2) and 512-bit (AVX-512F, when present) vectors, on one
//   thread and on every hardware thread at once: enough independent accumulators to cover the
//   FMA latency on both FMA pipes.
// Prints one JSON object. Peak = FMA width (lanes) x 2 FLOP x FMAs per cycle x clock.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <immintrin.h>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// GHz from `n` dependent adds: each waits for the previous one, one cycle apiece.
double measure_clock_ghz() {
    double best = 0;
    for (int round = 0; round < 5; ++round) {
        const std::int64_t n = 400'000'000;
        std::int64_t x = 0;
        const auto t0 = Clock::now();
        for (std::int64_t i = 0; i < n; i += 8) {
            // Eight adds per iteration so the loop's own compare-and-branch runs beside them.
            asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                         "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                         : "+r"(x));
        }
        best = std::max(best, static_cast<double>(n) / seconds_since(t0) / 1e9);
    }
    return best;
}

template <int Accs> __attribute__((target("avx2,fma"))) double fma256(std::int64_t iters) {
    __m256 acc[Accs];
    for (int a = 0; a < Accs; ++a)
        acc[a] = _mm256_set1_ps(static_cast<float>(a));
    const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < iters; ++i)
#pragma GCC unroll 16
        for (int a = 0; a < Accs; ++a)
            acc[a] = _mm256_fmadd_ps(acc[a], x, y);
    const double s = seconds_since(t0);
    float sink = 0;
    for (int a = 0; a < Accs; ++a)
        sink += _mm256_cvtss_f32(acc[a]);
    asm volatile("" ::"x"(sink));
    return static_cast<double>(iters) * Accs * 8 * 2 / s / 1e9;
}

template <int Accs> __attribute__((target("avx512f"))) double fma512(std::int64_t iters) {
    __m512 acc[Accs];
    for (int a = 0; a < Accs; ++a)
        acc[a] = _mm512_set1_ps(static_cast<float>(a));
    const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < iters; ++i)
#pragma GCC unroll 16
        for (int a = 0; a < Accs; ++a)
            acc[a] = _mm512_fmadd_ps(acc[a], x, y);
    const double s = seconds_since(t0);
    float sink = 0;
    for (int a = 0; a < Accs; ++a)
        sink += _mm512_cvtss_f32(acc[a]);
    asm volatile("" ::"x"(sink));
    return static_cast<double>(iters) * Accs * 16 * 2 / s / 1e9;
}

// Best of a few rounds on `threads` threads at once; the sum of their rates.
template <class F> double best_rate(int threads, F&& kernel) {
    double best = 0;
    for (int round = 0; round < 5; ++round) {
        std::vector<double> rates(static_cast<std::size_t>(threads));
        std::vector<std::thread> team;
        for (int t = 0; t < threads; ++t)
            team.emplace_back([&, t] { rates[static_cast<std::size_t>(t)] = kernel(); });
        for (auto& th : team)
            th.join();
        double total = 0;
        for (double r : rates)
            total += r;
        best = std::max(best, total);
    }
    return best;
}

} // namespace

int main() {
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const bool avx512 = __builtin_cpu_supports("avx512f");
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const double ghz = measure_clock_ghz();
    const std::int64_t iters = 50'000'000;
    double f256_1 = 0, f256_all = 0, f512_1 = 0, f512_all = 0;
    if (avx2) {
        f256_1 = best_rate(1, [&] { return fma256<12>(iters); });
        f256_all = best_rate(hw, [&] { return fma256<12>(iters); });
    }
    if (avx512) {
        f512_1 = best_rate(1, [&] { return fma512<12>(iters / 2); });
        f512_all = best_rate(hw, [&] { return fma512<12>(iters / 2); });
    }
    std::printf("{\"hardware_threads\": %d, \"clock_ghz\": %.3f, \"avx2_fma\": %s, "
                "\"avx512f\": %s,\n"
                " \"fma256_gflops_1_thread\": %.1f, \"fma256_gflops_all_threads\": %.1f,\n"
                " \"fma512_gflops_1_thread\": %.1f, \"fma512_gflops_all_threads\": %.1f,\n"
                " \"fp32_flop_per_cycle_256\": %.1f, \"fp32_flop_per_cycle_512\": %.1f}\n",
                hw, ghz, avx2 ? "true" : "false", avx512 ? "true" : "false", f256_1, f256_all,
                f512_1, f512_all, f256_1 / ghz, f512_1 / ghz);
}
