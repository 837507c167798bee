// nnscope-gemm-bench: GFLOP/s of each GEMM path (Eigen, the AVX2 kernels, the AVX-512 kernels)
// on the products of the bundled mlp's and cnn's training step (batch 64), on one thread by
// default. Times are the calling thread's CPU time, so other processes on the machine inflate
// them less than wall time; each figure is the best of several rounds of at least --min-ms.
//
//   nnscope-gemm-bench [--threads N] [--min-ms 200] [--rounds 3]

#include "engine/ops/kernels/gemm.h"
#include "engine/ops/kernels/gemm_avx2.h"
#include "engine/ops/kernels/gemm_avx512.h"
#include "engine/parallel.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace nnscope;
using kernels::MatRef;

namespace {

double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

double wall_ms() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// One product of the step: c[m, n] (+)= a[m, k]·b[k, n] with a and b stored as the engine
// stores them (a_col: a is a transposed view; b_col: b is, e.g. a weight in x·Wᵀ).
struct Shape {
    const char* model;
    const char* what;
    std::int64_t m, n, k;
    bool a_col, b_col;
    float beta;
};

const Shape shapes[] = {
    {"mlp", "fc1 fwd x·W1t", 64, 512, 784, false, true, 0},
    {"mlp", "fc2 fwd", 64, 256, 512, false, true, 0},
    {"mlp", "fc3 fwd", 64, 10, 256, false, true, 0},
    {"mlp", "fc1 gW gt·x", 512, 784, 64, true, false, 1},
    {"mlp", "fc2 gW", 256, 512, 64, true, false, 1},
    {"mlp", "fc3 gW", 10, 256, 64, true, false, 1},
    {"mlp", "fc2 gx g·W2", 64, 512, 256, false, false, 0},
    {"mlp", "fc3 gx", 64, 256, 10, false, false, 0},
    {"cnn", "conv2 fwd W·col", 32, 196, 144, false, false, 1},
    {"cnn", "conv2 gWt col·ggt", 144, 32, 196, false, false, 1},
    {"cnn", "conv2 gx Wt·gg", 144, 196, 32, true, false, 0},
    {"cnn", "fc fwd", 64, 10, 1568, false, true, 0},
    {"cnn", "fc gW", 10, 1568, 64, true, false, 1},
    {"cnn", "fc gx", 64, 1568, 10, false, false, 0},
};

struct Operand {
    std::vector<float> data;
    MatRef<float> ref;
    Operand(std::int64_t rows, std::int64_t cols, bool col_major, unsigned seed)
        : data(static_cast<std::size_t>(rows * cols)) {
        std::mt19937 gen(seed);
        std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
        for (float& x : data)
            x = dist(gen);
        ref = col_major ? MatRef<float>{data.data(), rows, cols, 1, rows}
                        : MatRef<float>{data.data(), rows, cols, cols, 1};
    }
};

using Product = bool (*)(const MatRef<float>&, const MatRef<float>&, float*, std::int64_t, float,
                         float);

bool eigen(const MatRef<float>& a, const MatRef<float>& b, float* c, std::int64_t ldc, float alpha,
           float beta) {
    kernels::gemm_eigen(a, b, c, ldc, alpha, beta);
    return true;
}

// Best GFLOP/s over `rounds` rounds of at least min_ms of thread CPU time each (wall time when
// several threads share the product); 0 when the path does not take the layout.
double measure(const Shape& s, Product product, double min_ms, int rounds, bool use_wall) {
    const Operand a(s.m, s.k, s.a_col, 1), b(s.k, s.n, s.b_col, 2);
    std::vector<float> c(static_cast<std::size_t>(s.m * s.n), 0.0f);
    if (!product(a.ref, b.ref, c.data(), s.n, 1.0f, s.beta)) return 0.0;
    const double flops = 2.0 * static_cast<double>(s.m * s.n * s.k);
    double best = 0.0;
    for (int r = 0; r < rounds; ++r) {
        long long reps = 0;
        const double t0 = use_wall ? wall_ms() : thread_cpu_ms();
        double elapsed = 0.0;
        do {
            for (int i = 0; i < 8; ++i)
                product(a.ref, b.ref, c.data(), s.n, 1.0f, s.beta);
            reps += 8;
            elapsed = (use_wall ? wall_ms() : thread_cpu_ms()) - t0;
        } while (elapsed < min_ms);
        best = std::max(best, flops * static_cast<double>(reps) / (elapsed * 1e6));
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    int threads = 1, rounds = 3;
    double min_ms = 200.0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--threads" && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (arg == "--min-ms" && i + 1 < argc)
            min_ms = std::atof(argv[++i]);
        else if (arg == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: nnscope-gemm-bench [--threads N] [--min-ms MS] "
                                 "[--rounds R]\n");
            return 2;
        }
    }
    if (threads < 1 || rounds < 1) return 2;
    parallel::set_num_threads(threads);
    const bool use_wall = threads > 1;

    struct PathInfo {
        const char* name;
        Product product;
        bool available;
    };
    const PathInfo paths[] = {
        {"eigen", eigen, true},
        {"avx2", kernels::gemm_avx2<float>, kernels::avx2_available()},
        {"avx512", kernels::gemm_avx512<float>, kernels::avx512_available()},
    };
    std::printf("float32 GFLOP/s, best of %d rounds of >= %.0f ms %s, %d thread(s); gemm() path "
                "here: %s\n",
                rounds, min_ms, use_wall ? "wall" : "thread CPU", threads, kernels::gemm_path());
    std::printf("%-4s %-18s %5s %5s %5s %-7s", "", "product", "m", "n", "k", "layout");
    for (const PathInfo& p : paths)
        std::printf(" %8s", p.name);
    std::printf("\n");
    double total_ms[2][3] = {}; // [mlp, cnn][path]
    for (const Shape& s : shapes) {
        std::printf("%-4s %-18s %5lld %5lld %5lld %-7s", s.model, s.what,
                    static_cast<long long>(s.m), static_cast<long long>(s.n),
                    static_cast<long long>(s.k), s.b_col ? "dot" : (s.a_col ? "bcast^T" : "bcast"));
        for (int p = 0; p < 3; ++p) {
            if (!paths[p].available) {
                std::printf(" %8s", "-");
                continue;
            }
            const double gflops = measure(s, paths[p].product, min_ms, rounds, use_wall);
            std::printf(" %8.1f", gflops);
            // The cnn's conv products run once per item of the batch.
            const double calls = std::strncmp(s.what, "conv", 4) == 0 ? 64.0 : 1.0;
            if (gflops > 0)
                total_ms[s.model[0] == 'c'][p] +=
                    calls * 2.0 * static_cast<double>(s.m * s.n * s.k) / (gflops * 1e6);
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    // The GEMM milliseconds of one step at these rates (the cnn's conv products 64 times).
    for (int model = 0; model < 2; ++model) {
        std::printf("%-4s %-44s", model ? "cnn" : "mlp", "GEMM ms per step");
        for (int p = 0; p < 3; ++p)
            std::printf(" %8.3f", paths[p].available ? total_ms[model][p] : 0.0);
        std::printf("\n");
    }
    return 0;
}
