// nnscope-onnx-bench: forward time of an ONNX model on the engine, the way PyTorch's side of
// bench/onnx_run.sh times the same model (bench/onnx_run.py): no grad, eval mode, `--threads`
// engine threads (default 1), a few warm-up runs, then the median of `--runs` forwards.
// Usage: nnscope-onnx-bench MODEL.onnx --batch N [--size 224] [--runs 10] [--threads 1]
// Prints one JSON line: {"model": ..., "batch": N, "median_ms": ..., "min_ms": ...}.

#include "engine/autograd/grad_mode.h"
#include "engine/parallel.h"
#include "io/onnx/onnx_graph_module.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace nnscope;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: %s MODEL.onnx [--batch N] [--size S] [--runs R] "
                     "[--threads T]\n",
                     argv[0]);
        return 2;
    }
    std::int64_t batch = 1, size = 224;
    int runs = 10, threads = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const long value = std::strtol(argv[i + 1], nullptr, 10);
        if (!std::strcmp(argv[i], "--batch"))
            batch = value;
        else if (!std::strcmp(argv[i], "--size"))
            size = value;
        else if (!std::strcmp(argv[i], "--runs"))
            runs = static_cast<int>(value);
        else if (!std::strcmp(argv[i], "--threads"))
            threads = static_cast<int>(value);
    }
    parallel::set_num_threads(threads);
    try {
        auto net = io::load_onnx_module(argv[1]);
        net->eval();
        const Tensor x = Tensor::full({batch, 3, size, size}, 0.25);
        autograd::NoGradGuard no_grad;
        for (int i = 0; i < 2; ++i)
            net->call({x});
        std::vector<double> ms;
        for (int i = 0; i < runs; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            net->call({x});
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
        }
        std::sort(ms.begin(), ms.end());
        std::printf("{\"model\": \"%s\", \"batch\": %lld, \"median_ms\": %.2f, \"min_ms\": %.2f}\n",
                    argv[1], static_cast<long long>(batch), ms[ms.size() / 2], ms.front());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
