#include "cli/thread_flags.h"

#include "engine/ops/kernels/gemm.h"
#include "engine/parallel.h"

#include <charconv>
#include <cstdlib>
#include <string>

namespace nnscope::cli {

namespace {

constexpr long long kMaxThreads = 1024; // as engine/parallel.cpp accepts from NNSCOPE_THREADS

bool environment_sets_threads() {
    const char* env = std::getenv("NNSCOPE_THREADS");
    if (!env || !*env) return false;
    char* end = nullptr;
    const long v = std::strtol(env, &end, 10);
    return *end == '\0' && v >= 1 && v <= kMaxThreads;
}

} // namespace

Option threads_option() {
    // The help is built once: Option holds a view, so the text must outlive the command table.
    static const std::string help =
        "threads of each engine operation, 1 to " + std::to_string(kMaxThreads) +
        " (default: NNSCOPE_THREADS when set, else the hardware threads: " +
        std::to_string(parallel::hardware_threads()) +
        " here); results are the same bytes for any count";
    return value("threads", "N", help);
}

EngineThreads apply_threads(Args& args) {
    EngineThreads result;
    if (const auto text = args.option("threads")) {
        long long n = 0;
        const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), n);
        if (error != std::errc() || end != text->data() + text->size() || n < 1 || n > kMaxThreads)
            throw UsageError("--threads must be a whole number from 1 to " +
                             std::to_string(kMaxThreads) + ", got '" + *text + "'");
        parallel::set_num_threads(static_cast<int>(n));
        result.chosen = true;
    } else {
        result.chosen = environment_sets_threads();
    }
    result.threads = parallel::configured_threads();
    return result;
}

void add_engine_report(nlohmann::ordered_json& result) {
    result["threads"] = parallel::threads_in_use();
    result["parallel"] = parallel::available();
    result["gemm_path"] = kernels::gemm_path();
}

} // namespace nnscope::cli
