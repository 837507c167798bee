#pragma once
// Helpers of tests/data: the cases of tests/golden/data/*.safetensors (gen_data.py), errors.

#include "engine/generator.h"
#include "engine/random.h"
#include "support/errors.h"
#include "support/golden.h"

#include <QString>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnscope::test {

inline nlohmann::json casesOf(const GoldenFile& file) {
    return nlohmann::json::parse(file.metadata("cases"));
}

inline std::vector<std::int64_t> goldenInts(const GoldenFile& file, const std::string& name) {
    return file.tensor(name).to_int64_vector();
}

// The case's generator: its own, seeded, or null after seeding the default one.
inline std::shared_ptr<Generator> generatorOf(const nlohmann::json& c) {
    const auto seed = static_cast<std::uint64_t>(std::stoll(c["seed"].get<std::string>()));
    if (c.value("generator", false)) return std::make_shared<Generator>(seed);
    manual_seed(seed);
    return nullptr;
}

// The three randint(0, 2^31) draws gen_data.py takes after a case.
inline std::vector<std::int64_t> afterDraws(const std::shared_ptr<Generator>& gen) {
    return randint(0, std::int64_t{1} << 31, {3}, gen ? *gen : default_generator())
        .to_int64_vector();
}

} // namespace nnscope::test
