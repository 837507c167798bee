#pragma once
// The JSON goldens of tests/golden/gen_text.py (tests/golden/text/).

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace nnscope::test {

inline nlohmann::json textGolden(const std::string& name) {
    const std::string path = std::string(NNSCOPE_GOLDEN_DIR) + "/text/" + name;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("missing golden file " + path);
    return nlohmann::json::parse(in);
}

} // namespace nnscope::test
