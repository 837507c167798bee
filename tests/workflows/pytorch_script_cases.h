#pragma once
// The configurations tst_pytorch_script runs both ways (nnscope's LoaderSimulation and the
// emitted script under real PyTorch): every sampler with its arguments, batch_sampler,
// drop_last, batch_size=None, generator seeds, workers, epochs, the image and text data sets
// with and without transforms, and the data set parts (Subset, random_split).

#include "data/loader_config.h"
#include "data/mnist.h"

#include <string>
#include <vector>

namespace nnscope::test {

struct ScriptCase {
    std::string name;
    data::DataLoaderConfig config;
};

inline std::string fashion_mnist_spec() {
    return "fashion-mnist";
}

inline std::vector<ScriptCase> script_cases(const std::string& ag_news_dir) {
    using namespace data;
    std::vector<ScriptCase> cases;
    const auto add = [&](std::string name, const std::string& dataset, auto edit) {
        DataLoaderConfig c;
        c.dataset = dataset;
        edit(c);
        cases.push_back({std::move(name), std::move(c)});
    };
    add("default sequential", "range:7", [](auto& c) { c.batch_size = 2; });
    add("sequential sampler", "range:10", [](auto& c) {
        c.batch_size = 3;
        c.sampler = SequentialSamplerArgs{};
    });
    add("shuffle, default generator, 3 epochs", "range:12", [](auto& c) {
        c.batch_size = 5;
        c.shuffle = true;
        c.epochs = 3;
    });
    add("shuffle, generator seed", "range:12", [](auto& c) {
        c.batch_size = 5;
        c.shuffle = true;
        c.generator_seed = 7;
        c.epochs = 2;
    });
    add("random, replacement, num_samples", "range:10", [](auto& c) {
        c.batch_size = 4;
        c.sampler = RandomSamplerArgs{true, 15};
        c.generator_seed = 1;
    });
    add("random, no replacement, num_samples > n", "range:10", [](auto& c) {
        c.batch_size = 4;
        c.sampler = RandomSamplerArgs{false, 25};
        c.epochs = 2;
    });
    add("subset-random, indices", "range:10", [](auto& c) {
        c.batch_size = 2;
        c.sampler = SubsetRandomSamplerArgs{std::vector<std::int64_t>{3, 1, 4, 1, 5, 9}, {}};
        c.generator_seed = 3;
    });
    add("subset-random, range", "range:30", [](auto& c) {
        c.batch_size = 4;
        c.sampler = SubsetRandomSamplerArgs{{}, std::pair<std::int64_t, std::int64_t>{5, 17}};
        c.epochs = 2;
    });
    add("weighted, per sample", "range:6", [](auto& c) {
        c.batch_size = 4;
        c.sampler = WeightedSamplerArgs{
            {SampleWeights::Kind::PerSample, {0.1, 2, 0, 3.5, 1e-3, 1}}, 20, true};
        c.generator_seed = 4;
    });
    add("weighted, per class, no replacement", "range:30:mod=3", [](auto& c) {
        c.batch_size = 5;
        c.sampler = WeightedSamplerArgs{{SampleWeights::Kind::PerClass, {1, 2, 5}}, 12, false};
    });
    add("weighted, listed (one per sample), no replacement", "range:5", [](auto& c) {
        c.batch_size = 2;
        c.sampler = WeightedSamplerArgs{{SampleWeights::Kind::Listed, {1, 0, 2, 0, 3}}, 3, false};
        c.generator_seed = 9;
    });
    add("weighted, listed (one per class)", "range:12:mod=4", [](auto& c) {
        c.batch_size = 4;
        c.sampler = WeightedSamplerArgs{{SampleWeights::Kind::Listed, {0.5, 0.25, 4, 1}}, 8, true};
    });
    add("weighted, class-balanced, replacement", "range:40:imbalanced=3", [](auto& c) {
        c.batch_size = 8;
        c.sampler = WeightedSamplerArgs{{}, std::nullopt, true};
        c.generator_seed = 6;
        c.epochs = 2;
    });
    add("weighted, class-balanced, no replacement", "range:40:imbalanced=4", [](auto& c) {
        c.batch_size = 8;
        c.sampler = WeightedSamplerArgs{{}, 30, false};
    });
    add("distributed, shuffle, seed, epoch", "range:23", [](auto& c) {
        c.batch_size = 2;
        c.sampler = DistributedSamplerArgs{4, 3, true, 5, false, 1};
        c.epochs = 3;
    });
    add("distributed, set_epoch forgotten, epoch 2", "range:23", [](auto& c) {
        c.batch_size = 4;
        c.sampler = DistributedSamplerArgs{2, 1, true, 0, false, 2, false};
        c.epochs = 3;
    });
    add("distributed, set_epoch never called", "range:9", [](auto& c) {
        c.batch_size = 2;
        c.sampler = DistributedSamplerArgs{2, 0, true, 3, false, 0, false};
        c.epochs = 2;
    });
    add("distributed, drop_last, no shuffle", "range:23", [](auto& c) {
        c.batch_size = 3;
        c.sampler = DistributedSamplerArgs{3, 0, false, 0, true, 0};
        c.epochs = 2;
    });
    add("batch_sampler over random", "range:11", [](auto& c) {
        c.sampler = RandomSamplerArgs{};
        c.batch_sampler = BatchSamplerArgs{3, true};
        c.generator_seed = 8;
    });
    add("batch_sampler over sequential", "range:10", [](auto& c) {
        c.batch_sampler = BatchSamplerArgs{4, false};
    });
    add("drop_last", "range:10", [](auto& c) {
        c.batch_size = 4;
        c.drop_last = true;
        c.shuffle = true;
        c.generator_seed = 1;
    });
    add("batch_size=None", "range:6:mod=2", [](auto& c) {
        c.batch_size.reset();
        c.shuffle = true;
    });
    add("2 workers, persistent, prefetch 3", "range:20", [](auto& c) {
        c.batch_size = 3;
        c.shuffle = true;
        c.generator_seed = 11;
        c.num_workers = 2;
        c.persistent_workers = true;
        c.prefetch_factor = 3;
        c.epochs = 2;
    });
    add("2 workers, worker_init_fn seed-numpy", "range:9", [](auto& c) {
        c.batch_size = 2;
        c.shuffle = true;
        c.num_workers = 2;
        c.worker_init_fn = WorkerInitChoice::SeedNumpy;
    });
    add("fashion-mnist test, random num_samples", fashion_mnist_spec(), [](auto& c) {
        c.test_split = true;
        c.batch_size = 8;
        c.sampler = RandomSamplerArgs{false, 24};
    });
    // Unseeded, in the main process: the transforms and the next epoch's order draw from the
    // same default generator, so one draw more or less on either side shows.
    add("fashion-mnist test, transforms", fashion_mnist_spec(), [](auto& c) {
        c.test_split = true;
        c.batch_size = 8;
        c.sampler = RandomSamplerArgs{true, 16};
        c.transform = "Compose([RandomCrop(28, padding=4), RandomRotation(15), "
                      "RandomHorizontalFlip(), ToTensor()])";
        c.epochs = 2;
    });
    add("fashion-mnist train, transforms, 2 workers", fashion_mnist_spec(), [](auto& c) {
        c.batch_size = 6;
        c.sampler = SubsetRandomSamplerArgs{{}, std::pair<std::int64_t, std::int64_t>{0, 30}};
        c.transform = "transforms.Compose([T.Resize(32, interpolation=\"nearest\"), "
                      "RandomVerticalFlip(0.3)])";
        c.num_workers = 2;
        c.generator_seed = 2;
    });
    if (!ag_news_dir.empty()) {
        add("ag-news, weighted class-balanced", "ag-news:" + ag_news_dir, [](auto& c) {
            c.batch_size = 8;
            c.sampler = WeightedSamplerArgs{{}, 16, true};
            c.generator_seed = 3;
        });
        add("ag-news test, shuffle", "ag-news:" + ag_news_dir, [](auto& c) {
            c.test_split = true;
            c.batch_size = 64;
            c.shuffle = true;
            c.generator_seed = 1;
        });
    }
    // Parts: a Subset or a random_split part of the data set.
    add("part: Subset range", "range:50", [](auto& c) {
        c.part = SubsetArgs{{}, std::pair<std::int64_t, std::int64_t>{10, 30}};
        c.batch_size = 6;
        c.shuffle = true;
        c.generator_seed = 2;
    });
    add("part: random_split counts, class-balanced", "range:40:mod=4", [](auto& c) {
        c.part = RandomSplitArgs{{30, 10}, 3, 1};
        c.batch_size = 4;
        c.sampler = WeightedSamplerArgs{{}, std::nullopt, true};
    });
    add("part: random_split fractions", "range:10", [](auto& c) {
        c.part = RandomSplitArgs{{0.7, 0.3}, 0, 0};
        c.batch_size = 3;
    });
    add("part: fashion-mnist Subset indices, transform", fashion_mnist_spec(), [](auto& c) {
        c.test_split = true;
        c.part = SubsetArgs{std::vector<std::int64_t>{5, 0, 9999, 42}, {}};
        c.batch_size = 3;
        c.shuffle = true;
        c.transform = "RandomHorizontalFlip()";
    });
    return cases;
}

} // namespace nnscope::test
