// nnscope-vision-bench MODEL BATCH [ITERATIONS] [THREADS]: the eval-mode forward of a torchvision
// architecture (vision::build_torchvision_model) on a BATCH x 3 x 224 x 224 input without
// autograd, timed ITERATIONS times after two warm-up runs; prints one JSON line with the median
// and the minimum in ms. bench/vision_forward.py runs it next to PyTorch 1.13.

#include "engine/autograd/grad_mode.h"
#include "engine/generator.h"
#include "engine/parallel.h"
#include "engine/random.h"
#include "vision/torchvision_models.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 3 || argc > 5) {
        std::fprintf(stderr, "usage: nnscope-vision-bench MODEL BATCH [ITERATIONS] [THREADS]\n");
        return 2;
    }
    try {
        using namespace nnscope;
        const std::string name = argv[1];
        const std::int64_t batch = std::stoll(argv[2]);
        const int iterations = argc > 3 ? std::stoi(argv[3]) : 10;
        parallel::set_num_threads(argc > 4 ? std::stoi(argv[4]) : 1);
        manual_seed(0);
        const auto model = vision::build_torchvision_model(name);
        model->eval();
        Generator gen(1);
        const Tensor x = rand({batch, 3, 224, 224}, gen);
        autograd::NoGradGuard no_grad;
        std::vector<double> ms;
        for (int i = 0; i < iterations + 2; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const Tensor y = (*model)(x);
            const std::chrono::duration<double, std::milli> took =
                std::chrono::steady_clock::now() - start;
            if (i >= 2) ms.push_back(took.count()); // two warm-up runs
        }
        std::sort(ms.begin(), ms.end());
        const nlohmann::json out = {{"model", name},
                                    {"batch", batch},
                                    {"median_ms", ms[ms.size() / 2]},
                                    {"min_ms", ms.front()}};
        std::cout << out.dump() << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnscope-vision-bench: %s\n", e.what());
    }
    return 1;
}
