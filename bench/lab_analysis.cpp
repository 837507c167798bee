// nnscope-lab-bench: how long workflows::analyse_loader takes for the DataLoader lab's speed
// target (a 60,000-sample Fashion-MNIST configuration over 3 epochs, any sampler: well under
// 50 ms from an edit to the plots). bench/lab_analysis.py runs it next to PyTorch.
//
//   nnscope-lab-bench [--rounds 9] [--dataset fashion-mnist] [--epochs 3] [--only NAME]
//
// One JSON line per configuration: its name, the time to open the data set (once; the lab's
// analyses then read it from workflows/dataset_cache.h), and the median and minimum of `rounds`
// analyses in milliseconds. The configurations and their names are those of lab_analysis.py.

#include "data/loader_config.h"
#include "workflows/dataset_cache.h"
#include "workflows/loader_analysis.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

using namespace nnscope;

namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

std::vector<std::pair<std::string, data::DataLoaderConfig>> configurations(const std::string& spec,
                                                                           std::int64_t epochs) {
    data::DataLoaderConfig base;
    base.dataset = spec;
    base.batch_size = 64;
    base.generator_seed = 0;
    base.epochs = epochs;
    std::vector<std::pair<std::string, data::DataLoaderConfig>> out;
    auto add = [&](const std::string& name, auto edit) {
        data::DataLoaderConfig c = base;
        edit(c);
        out.emplace_back(name, c);
    };
    add("sequential", [](auto&) {});
    add("shuffle", [](auto& c) { c.shuffle = true; });
    add("random-replacement", [](auto& c) { c.sampler = data::RandomSamplerArgs{true, {}}; });
    add("weighted", [](auto& c) {
        c.sampler =
            data::WeightedSamplerArgs{{data::SampleWeights::Kind::ClassBalanced, {}}, {}, true};
    });
    add("subset-random", [](auto& c) {
        c.sampler = data::SubsetRandomSamplerArgs{std::nullopt,
                                                  std::pair<std::int64_t, std::int64_t>{0, 30000}};
    });
    add("distributed-4",
        [](auto& c) { c.sampler = data::DistributedSamplerArgs{4, 0, true, 0, false, 0}; });
    add("shuffle-2-persistent-workers", [](auto& c) {
        c.shuffle = true;
        c.num_workers = 2;
        c.persistent_workers = true;
    });
    return out;
}

} // namespace

int main(int argc, char** argv) {
    int rounds = 9;
    std::string spec = "fashion-mnist", only;
    std::int64_t epochs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--rounds")
            rounds = std::atoi(argv[i + 1]);
        else if (arg == "--dataset")
            spec = argv[i + 1];
        else if (arg == "--epochs")
            epochs = std::atoll(argv[i + 1]);
        else if (arg == "--only")
            only = argv[i + 1];
        else {
            std::fprintf(stderr, "nnscope-lab-bench: unknown argument %s\n", arg.c_str());
            return 2;
        }
    }
    try {
        for (const auto& [name, config] : configurations(spec, epochs)) {
            if (!only.empty() && name != only) continue;
            auto start = std::chrono::steady_clock::now();
            workflows::open_dataset_cached(config);
            const double open_ms = ms_since(start);
            std::vector<double> times;
            std::int64_t batches = 0;
            for (int r = 0; r < rounds; ++r) {
                start = std::chrono::steady_clock::now();
                const auto a = workflows::analyse_loader(config);
                times.push_back(ms_since(start));
                batches = a->batches();
            }
            std::sort(times.begin(), times.end());
            std::printf("{\"name\": \"%s\", \"open_ms\": %.3f, \"median_ms\": %.3f, \"min_ms\": "
                        "%.3f, \"rounds\": %d, \"batches\": %lld}\n",
                        name.c_str(), open_ms, times[times.size() / 2], times.front(), rounds,
                        static_cast<long long>(batches));
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnscope-lab-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
