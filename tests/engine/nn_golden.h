#pragma once
// Helpers shared by the nn tests: golden files under tests/golden/nn (gen_nn.py) keep string
// lists in metadata joined by '|'.

#include "engine/nn/module.h"
#include "support/errors.h"
#include "support/golden.h"

#include <QStringList>
#include <QtTest>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::test::nn_golden {

inline std::vector<std::string> split(const std::string& joined) {
    std::vector<std::string> out;
    if (joined.empty()) return out;
    std::size_t start = 0;
    while (true) {
        const auto bar = joined.find('|', start);
        out.push_back(joined.substr(start, bar - start));
        if (bar == std::string::npos) return out;
        start = bar + 1;
    }
}

inline std::vector<std::string> metadata_list(const GoldenFile& golden, const std::string& key) {
    return split(golden.metadata(key));
}

inline std::vector<std::string> names(const nn::NamedTensors& named) {
    std::vector<std::string> out;
    for (const auto& [name, t] : named)
        out.push_back(name);
    return out;
}

inline std::vector<std::string> names(const nn::NamedModules& named) {
    std::vector<std::string> out;
    for (const auto& [name, m] : named)
        out.push_back(name);
    return out;
}

inline QStringList qt(const std::vector<std::string>& list) {
    QStringList out;
    for (const auto& s : list)
        out << QString::fromStdString(s);
    return out;
}

// Every tensor named "<prefix><key>" of the golden file, as a state_dict keyed by <key>.
inline nn::StateDict state_dict_from(const GoldenFile& golden, const std::string& prefix) {
    nn::StateDict sd;
    for (const auto& name : golden.names())
        if (name.rfind(prefix, 0) == 0) sd.insert(name.substr(prefix.size()), golden.tensor(name));
    return sd;
}

// One data row per key of `table`, in a QString column "name" (for _data() slots).
template <class Map> void add_name_rows(const Map& table) {
    QTest::addColumn<QString>("name");
    for (const auto& [name, value] : table)
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

using ::nnscope::test::error_message;

template <class M, class... A> nn::ModulePtr mk(A&&... a) {
    return std::make_shared<M>(std::forward<A>(a)...);
}

} // namespace nnscope::test::nn_golden

#define NN_COMPARE_LISTS(actual, expected)                                                         \
    QCOMPARE(::nnscope::test::nn_golden::qt(actual), ::nnscope::test::nn_golden::qt(expected))
