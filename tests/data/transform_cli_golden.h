#pragma once
// The golden runs of `nnscope-cli transform` (tests/golden/gen_transforms.py, cli.safetensors):
// three stored pictures with their labels, and pipelines applied to them by torchvision.

#include "support/golden.h"
#include "workflows/learnable_data.h"

#include <QtTest>
#include <nlohmann/json.hpp>

namespace nnscope::test {

inline const GoldenFile& transformCliGolden() {
    static const GoldenFile file("transforms/cli.safetensors");
    return file;
}

// The runs: index, pipeline, seed and what torchvision drew.
inline nlohmann::json transformCliRuns() {
    return nlohmann::json::parse(transformCliGolden().metadata("runs"));
}

// One data row "run" per golden run, named by its pipeline.
inline void addTransformCliRows() {
    QTest::addColumn<int>("run");
    const auto runs = transformCliRuns();
    for (std::size_t k = 0; k < runs.size(); ++k)
        QTest::newRow(runs[k]["pipeline"].get<std::string>().c_str()) << static_cast<int>(k);
}

// The stored pictures as an MNIST training split in dir (IDX files).
inline void writeTransformCliMnist(const std::string& dir) {
    auto bytes = [](const Tensor& t) {
        std::vector<std::uint8_t> out;
        for (double v : t.to_vector())
            out.push_back(static_cast<std::uint8_t>(v));
        return out;
    };
    write_idx(dir + "/train-images-idx3-ubyte", 0x803, {3, 28, 28},
              bytes(transformCliGolden().tensor("cli/images")));
    write_idx(dir + "/train-labels-idx1-ubyte", 0x801, {3},
              bytes(transformCliGolden().tensor("cli/labels")));
}

} // namespace nnscope::test
