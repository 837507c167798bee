#include "engine/parallel.h"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

#ifdef NNSCOPE_OPENMP
#include <omp.h>
#endif

namespace nnscope::parallel {

namespace {

int initial_threads() {
    if (const char* env = std::getenv("NNSCOPE_THREADS")) {
        char* end = nullptr;
        const long v = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && v >= 1 && v <= 1024) return static_cast<int>(v);
    }
    return hardware_threads();
}

std::atomic<int>& setting() {
    static std::atomic<int> threads{initial_threads()};
    return threads;
}

thread_local int tl_cap = 0;            // 0: no cap on this thread
thread_local bool tl_in_region = false; // inside a region's body

} // namespace

int hardware_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

bool available() {
#ifdef NNSCOPE_OPENMP
    return true;
#else
    return false;
#endif
}

// Pause instructions a waiting libgomp thread spins before it sleeps: about 0.5 ms on the
// machines measured (bench/README.md, "Threads").
constexpr const char* spin_count = "20000";

void prepare_wait_policy(char** argv) {
#ifdef NNSCOPE_OPENMP
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT") || !argv || !argv[0])
        return;
    if (setenv("GOMP_SPINCOUNT", spin_count, 1) != 0) return;
    execv("/proc/self/exe", argv);
    // Still here: the program runs on with libgomp's own default.
#else
    (void)argv;
#endif
}

bool force_split() {
    static const bool forced = [] {
        const char* env = std::getenv("NNSCOPE_PARALLEL_FORCE_SPLIT");
        return env && *env && *env != '0';
    }();
    return forced;
}

int configured_threads() {
    return setting().load(std::memory_order_relaxed);
}

void set_num_threads(int n) {
    if (n < 1)
        throw std::invalid_argument("the number of engine threads must be at least 1, got " +
                                    std::to_string(n));
    setting().store(n, std::memory_order_relaxed);
}

int num_threads() {
    if (tl_in_region) return 1;
    int n = configured_threads();
    if (tl_cap > 0 && tl_cap < n) n = tl_cap;
    return n < 1 ? 1 : n;
}

int threads_in_use() {
    return available() ? num_threads() : 1;
}

ThreadCap::ThreadCap(int max_threads)
    : previous_(tl_cap) {
    if (max_threads < 1) max_threads = 1;
    if (tl_cap == 0 || max_threads < tl_cap) tl_cap = max_threads;
}

ThreadCap::~ThreadCap() {
    tl_cap = previous_;
}

namespace detail {

int threads_for(std::int64_t tasks) {
    if (tasks < 2 || !available()) return 1;
    const int n = num_threads();
    return tasks < n ? static_cast<int>(tasks) : n;
}

void run(std::int64_t tasks, int threads, TaskFn fn, void* context) {
    if (tasks <= 0) return;
#ifdef NNSCOPE_OPENMP
    if (threads > 1 && tasks > 1 && !tl_in_region) {
        std::exception_ptr error;
        std::once_flag first_error;
#pragma omp parallel num_threads(threads)
        {
            const int team = omp_get_num_threads();
            const int id = omp_get_thread_num();
            const std::int64_t first = tasks * id / team;
            const std::int64_t end = tasks * (id + 1) / team;
            const bool was_in_region = tl_in_region;
            tl_in_region = true;
            try {
                if (first < end) fn(context, first, end);
            } catch (...) {
                std::call_once(first_error, [&] { error = std::current_exception(); });
            }
            tl_in_region = was_in_region;
        }
        if (error) std::rethrow_exception(error);
        return;
    }
#else
    (void)threads;
#endif
    const bool was_in_region = tl_in_region;
    tl_in_region = true;
    try {
        fn(context, 0, tasks);
    } catch (...) {
        tl_in_region = was_in_region;
        throw;
    }
    tl_in_region = was_in_region;
}

} // namespace detail

} // namespace nnscope::parallel
