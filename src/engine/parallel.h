#pragma once
// The engine's intra-op parallelism: one operation split over a team of threads (OpenMP from
// the compiler when the build has it, otherwise everything runs on the calling thread).
//
// Determinism is the rule here, not an option: an operation gives the same bytes for any thread
// count. Two shapes of work keep that promise:
// - parallel_for: pieces whose elements are computed independently (elementwise ops, rows of a
//   softmax, output tiles of a GEMM). How the range is cut must not change any element.
// - parallel_reduce / for_each_chunk: a reduction cut into chunks whose size the caller fixes
//   (never derived from the thread count); each chunk's partial result is combined with the
//   others in chunk order on the calling thread.
//
// A region started inside another region's body runs serially on that thread (no nesting).

#include <cstdint>
#include <exception>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnscope::parallel {

// The number of hardware threads (std::thread::hardware_concurrency(), at least 1).
int hardware_threads();

// True when the engine was built with OpenMP; false means every region runs serially.
bool available();

// Threads one operation may use: the process-wide setting, lowered on the calling thread by a
// ThreadCap, and 1 inside a region's body. At least 1.
int num_threads();

// The threads an operation started on the calling thread really gets: num_threads(), or 1 when
// the build has no OpenMP. What reports (bench step, train --json, the training page) show.
int threads_in_use();

// The process-wide setting. Default: NNSCOPE_THREADS from the environment when it is a positive
// integer, else hardware_threads(). Throws std::invalid_argument for n < 1.
void set_num_threads(int n);
int configured_threads();

// Lowers num_threads() on the calling thread for the guard's life (nests; never raises it).
// DataLoader workers run under ThreadCap(1), so workers and the training loop's operations do
// not oversubscribe the cores.
class ThreadCap {
public:
    explicit ThreadCap(int max_threads);
    ~ThreadCap();
    ThreadCap(const ThreadCap&) = delete;
    ThreadCap& operator=(const ThreadCap&) = delete;

private:
    int previous_;
};

namespace detail {
using TaskFn = void (*)(void* context, std::int64_t first_task, std::int64_t end_task);
// Runs fn over tasks [0, tasks) on `threads` threads, each thread one contiguous block of tasks
// (static schedule). Rethrows the first exception a task threw, after all threads stopped.
void run(std::int64_t tasks, int threads, TaskFn fn, void* context);
// Threads worth starting for `tasks` pieces (1 when tasks < 2 or inside a region).
int threads_for(std::int64_t tasks);
} // namespace detail

// Called first thing in main() by nnscope and nnscope-cli. libgomp's threads spin for about
// 300,000 pause instructions (milliseconds) before they sleep, and read that once, from the
// environment, before main() runs. Spinning that long is right on an idle machine and ruinous on
// a busy one: a team member spins through its time slice while the peer it waits for is not
// even scheduled (measured on this 2-core VM at load 8: the 2-thread mlp step 300 ms instead of
// 1 ms). So when neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set, this sets GOMP_SPINCOUNT to
// a bound that still covers the gaps between the operations of one training step (tens of
// microseconds) and re-executes the program once (/proc/self/exe, same arguments). Returns
// when nothing had to change or the re-execution failed.
void prepare_wait_policy(char** argv);

// Testing aid: with NNSCOPE_PARALLEL_FORCE_SPLIT=1 in the environment, parallel_for ignores its
// grain and GEMMs split whatever their size, so that tests on small tensors still cut every
// parallel loop across the team (tst_thread_determinism). Never set it for speed.
bool force_split();

// Calls body(begin, end) on disjoint pieces covering [0, n): one piece per thread, of about
// n / threads elements, where the team has at most ceil(n / grain) threads (so a piece may be a
// little shorter than `grain`); serially it is body(0, n). For work whose elements do not
// depend on the cut.
template <class F> void parallel_for(std::int64_t n, std::int64_t grain, F&& body) {
    if (n <= 0) return;
    if (grain < 1 || force_split()) grain = 1;
    const std::int64_t pieces = (n + grain - 1) / grain;
    const int threads = detail::threads_for(pieces);
    if (threads <= 1) {
        body(std::int64_t{0}, n);
        return;
    }
    struct Context {
        std::remove_reference_t<F>* body;
        std::int64_t n;
        int threads;
    } context{&body, n, threads};
    // One task per thread: [n * t / threads, n * (t + 1) / threads).
    detail::run(
        threads, threads,
        [](void* c, std::int64_t first, std::int64_t end) {
            auto* ctx = static_cast<Context*>(c);
            for (std::int64_t t = first; t < end; ++t) {
                const std::int64_t b = ctx->n * t / ctx->threads;
                const std::int64_t e = ctx->n * (t + 1) / ctx->threads;
                if (b < e) (*ctx->body)(b, e);
            }
        },
        &context);
}

// Calls body(chunk_index, begin, end) for the fixed chunks [i * chunk, min(n, (i + 1) * chunk))
// of [0, n), spread over the team; the cut depends on `chunk` only.
template <class F> void for_each_chunk(std::int64_t n, std::int64_t chunk, F&& body) {
    if (n <= 0) return;
    if (chunk < 1) chunk = 1;
    const std::int64_t chunks = (n + chunk - 1) / chunk;
    const int threads = detail::threads_for(chunks);
    struct Context {
        std::remove_reference_t<F>* body;
        std::int64_t n;
        std::int64_t chunk;
    } context{&body, n, chunk};
    auto task = [](void* c, std::int64_t first, std::int64_t end) {
        auto* ctx = static_cast<Context*>(c);
        for (std::int64_t i = first; i < end; ++i) {
            const std::int64_t b = i * ctx->chunk;
            const std::int64_t e = b + ctx->chunk < ctx->n ? b + ctx->chunk : ctx->n;
            (*ctx->body)(i, b, e);
        }
    };
    if (threads <= 1) {
        task(&context, 0, chunks);
        return;
    }
    detail::run(chunks, threads, task, &context);
}

// Deterministic reduction: partial(begin, end) -> T for each fixed chunk of [0, n), then
// combine(accumulated, partial_i) in chunk order, starting from `identity`.
template <class T, class Partial, class Combine>
T parallel_reduce(std::int64_t n, std::int64_t chunk, T identity, Partial&& partial,
                  Combine&& combine) {
    if (n <= 0) return identity;
    if (chunk < 1) chunk = 1;
    const std::int64_t chunks = (n + chunk - 1) / chunk;
    if (chunks == 1) return combine(std::move(identity), partial(std::int64_t{0}, n));
    std::vector<T> partials(static_cast<std::size_t>(chunks), identity);
    for_each_chunk(n, chunk, [&](std::int64_t i, std::int64_t b, std::int64_t e) {
        partials[static_cast<std::size_t>(i)] = partial(b, e);
    });
    T result = std::move(identity);
    for (auto& p : partials)
        result = combine(std::move(result), std::move(p));
    return result;
}

} // namespace nnscope::parallel
