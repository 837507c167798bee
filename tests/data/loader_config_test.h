#pragma once
// Helpers of the DataLoaderConfig tests: the field and message of a ConfigError, and a
// configuration with a given sampler.

#include "data/config_error.h"
#include "data/loader_config.h"

#include <QMetaType>
#include <QString>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

Q_DECLARE_METATYPE(nnscope::data::DataLoaderConfig)

namespace nnscope::test {

using namespace nnscope::data;

// The field and message of the ConfigError fn throws ("<no error>" / "<other: ...>" else).
inline std::pair<std::string, std::string> configError(const std::function<void()>& fn,
                                                       ConfigError::Kind* kind = nullptr) {
    try {
        fn();
    } catch (const ConfigError& e) {
        if (kind) *kind = e.kind();
        return {e.field(), e.what()};
    } catch (const std::exception& e) {
        return {"<other>", e.what()};
    }
    return {"<none>", "<no error>"};
}

// tests/golden/data/loader_config.json (gen_data.py): random_split, parts and rules.
inline const nlohmann::json& loaderConfigGolden() {
    static const nlohmann::json j = [] {
        std::ifstream in(NNSCOPE_GOLDEN_DIR "/data/loader_config.json");
        return nlohmann::json::parse(in);
    }();
    return j;
}

// The message real PyTorch 1.13 refuses the named configuration with.
inline QString torchMessage(const char* rule) {
    return QString::fromStdString(loaderConfigGolden().at("rules").at(rule).get<std::string>());
}

inline DataLoaderConfig withSampler(SamplerConfig s) {
    DataLoaderConfig c;
    c.dataset = "range:25";
    c.batch_size = 4;
    c.sampler = std::move(s);
    return c;
}

} // namespace nnscope::test
