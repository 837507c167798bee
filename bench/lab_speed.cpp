// nnscope-lab-speed CONFIG_JSON [BATCHES] [SECONDS]: the loading throughput of one DataLoader
// configuration (its JSON form, data/loader_config_json.h) as the lab's Speed tab measures it
// (workflows::measure_throughput), printed as one JSON line; bench/lab_speed.py runs it next to
// PyTorch's DataLoader.

#include "data/config_error.h"
#include "data/loader_config_json.h"
#include "workflows/loader_throughput.h"

#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: nnscope-lab-speed CONFIG_JSON [BATCHES] [SECONDS]\n");
        return 2;
    }
    try {
        using namespace nnscope;
        const auto config = data::loader_config_from_json(nlohmann::json::parse(argv[1]));
        workflows::ThroughputBudget budget;
        budget.max_batches = argc > 2 ? std::stoll(argv[2]) : 200;
        budget.seconds = argc > 3 ? std::stod(argv[3]) : 600;
        const auto p = workflows::measure_throughput(config, budget);
        const nlohmann::json out = {
            {"num_workers", p.num_workers},
            {"batches", p.batches},
            {"samples", p.samples},
            {"seconds", p.seconds},
            {"samples_per_second", p.samples_per_second},
            {"first_batch_ms", p.first_batch_ms},
            {"median_ms", p.median_ms},
            {"p90_ms", p.p90_ms},
            {"max_ms", p.max_ms},
        };
        std::cout << out.dump() << '\n';
        return 0;
    } catch (const nnscope::data::ConfigError& e) {
        std::fprintf(stderr, "nnscope-lab-speed: %s: %s\n", e.field().c_str(), e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnscope-lab-speed: %s\n", e.what());
    }
    return 1;
}
