// workflows::apply_rules: per-type initialisation through Module.apply against PyTorch 1.13
// (tests/golden/gen_apply_rules.py): the same CNN built after manual_seed(7), then the rules,
// give the same state_dict bit for bit, visiting the modules in apply's order (children first);
// a rule on a None bias is skipped and said; an unknown scheme changes nothing; a rule reaching a
// LazyLinear's weight before its first forward raises what that nn.init raises in PyTorch
// (lazy_errors.json), after the modules visited before it were initialised.

#include "engine/generator.h"
#include "io/architecture.h"
#include "support/golden.h"
#include "workflows/apply_rules.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

const char* const kArchitecture = R"({"type": "Sequential", "children": [
    ["0", {"type": "Conv2d", "in_channels": 1, "out_channels": 4, "kernel_size": 3}],
    ["1", {"type": "BatchNorm2d", "num_features": 4}],
    ["2", {"type": "ReLU"}],
    ["3", {"type": "Sequential", "children": [
        ["0", {"type": "Conv2d", "in_channels": 4, "out_channels": 2, "kernel_size": 1,
               "bias": false}],
        ["1", {"type": "Flatten"}]]}],
    ["4", {"type": "Linear", "in_features": 32, "out_features": 3}]]})";

const std::vector<InitRule> kRules = {
    {"Conv2d", "weight", "kaiming_normal"},         {"Conv2d", "bias", "zeros"},
    {"Linear", "weight", "xavier_uniform"},         {"Linear", "bias", "normal", 0.0, 0.5},
    {"BatchNorm2d", "weight", "uniform", 0.5, 1.5}, {"BatchNorm2d", "running_var", "constant", 2.0},
};

std::shared_ptr<nn::Module> build() {
    manual_seed(7);
    return io::build_module(io::parse_architecture(kArchitecture));
}

} // namespace

class TestApplyRules : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorchBitForBit() {
        const test::GoldenFile golden("apply_rules/state_dict.safetensors");
        auto model = build();
        const auto steps = apply_rules(*model, kRules);
        const auto order =
            nlohmann::json::parse(golden.metadata("apply_order")).get<std::vector<std::string>>();
        QCOMPARE(steps.size(), order.size());
        for (std::size_t i = 0; i < steps.size(); ++i)
            QCOMPARE(steps[i].path, order[i]);
        const auto state = model->state_dict();
        QCOMPARE(state.size(), golden.names().size());
        for (const auto& [key, tensor] : state) {
            QString why;
            QVERIFY2(test::equal_exact(tensor, golden.tensor(key), &why),
                     qPrintable(QString::fromStdString(key) + QStringLiteral(": ") + why));
        }
    }

    void stepsSayWhatRan() {
        auto model = build();
        const auto steps = apply_rules(*model, kRules);
        // apply's order: 0, 1, 2, 3.0, 3.1, 3, 4, then the root.
        QCOMPARE(steps[3].path, std::string("3.0"));
        QCOMPARE(steps[3].calls.size(), std::size_t(2));
        QCOMPARE(steps[3].calls[0],
                 std::string("nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\")"));
        QCOMPARE(steps[3].calls[1], std::string("skipped: m.bias is None"));
        QCOMPARE(steps[3].keys, (std::vector<std::string>{"3.0.weight", ""}));
        QCOMPARE(steps[6].calls[1], std::string("nn.init.normal_(m.bias, 0.0, 0.5)"));
        QVERIFY(steps[2].calls.empty()); // ReLU: no rule
        QCOMPARE(steps.back().path, std::string(""));
    }

    void script() {
        const std::string text = apply_rules_script(kRules);
        QVERIFY2(text.starts_with("def init(m):\n    if type(m) is nn.Conv2d and getattr(m, "
                                  "\"weight\", None) is not None:\n        "
                                  "nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\")\n"),
                 text.c_str());
        QVERIFY(text.find("nn.init.constant_(m.running_var, 2.0)\n") != std::string::npos);
        QVERIFY(text.ends_with("\nmodel.apply(init)\n"));
    }

    void lazyParameterRaises() {
        std::ifstream file(NNSCOPE_GOLDEN_DIR "/apply_rules/lazy_errors.json");
        QVERIFY(file.good());
        const auto errors = nlohmann::json::parse(file);
        QCOMPARE(errors.size(), std::size_t(9));
        for (const auto& [scheme, message] : errors.items()) {
            const auto spec = io::parse_architecture(R"({"type": "Sequential", "children": [
                ["0", {"type": "Linear", "in_features": 2, "out_features": 3}],
                ["1", {"type": "LazyLinear", "out_features": 4, "bias": false}]]})");
            auto model = io::build_module(spec);
            const std::vector<InitRule> rules = {{"Linear", "weight", "ones"},
                                                 {"LazyLinear", "bias", "zeros"},
                                                 {"LazyLinear", "weight", scheme}};
            try {
                apply_rules(*model, rules);
                QFAIL(qPrintable(QString::fromStdString(scheme + " ran on a lazy parameter")));
            } catch (const std::runtime_error& e) {
                const std::string what = e.what();
                QVERIFY2(what.starts_with("apply stopped at module '1' (LazyLinear), nn.init." +
                                          scheme + "_(m.weight"),
                         e.what());
                QVERIFY2(what.ends_with("): " + message.get<std::string>()), e.what());
            }
            // Module 0 came first in apply's order and kept its new values, as in PyTorch.
            QVERIFY(test::equal_exact(model->state_dict().at("0.weight"),
                                      Tensor::ones({3, 2}, DType::Float32)));
        }
        // A lazy module's None bias is still only skipped.
        auto model = io::build_module(
            io::parse_architecture(R"({"type": "LazyLinear", "out_features": 4, "bias": false})"));
        const auto steps = apply_rules(*model, {{"LazyLinear", "bias", "zeros"}});
        QCOMPARE(steps.at(0).calls.at(0), std::string("skipped: m.bias is None"));
    }

    void unknownSchemeChangesNothing() {
        auto model = build();
        const auto before = model->state_dict();
        std::vector<InitRule> rules = kRules;
        rules.push_back({"Linear", "weight", "he_normal"});
        try {
            apply_rules(*model, rules);
            QFAIL("an unknown scheme was accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(std::string(e.what()).find("unknown scheme 'he_normal'") != std::string::npos,
                     e.what());
        }
        for (const auto& [key, tensor] : model->state_dict()) {
            QString why;
            QVERIFY2(test::equal_exact(tensor, before.at(key), &why), qPrintable(why));
        }
    }
};

QTEST_GUILESS_MAIN(TestApplyRules)
#include "tst_apply_rules.moc"
