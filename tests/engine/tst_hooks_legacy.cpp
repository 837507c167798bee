// Module::register_backward_hook, PyTorch 1.13's deprecated non-full hook, against PyTorch
// (tests/golden/train/legacy_hook.json, gen_legacy_hook.py): on a block of several operations its
// grad_input is the last operation's (Sigmoid's input), not the block's as the full hook gives;
// on ReLU alone both agree; PyTorch's warning texts where PyTorch warns; the refusal to mix both
// kinds on one module, and the probe's exception to it.

#include "engine/autograd/node.h"
#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/container.h"
#include "engine/nn/linear.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"

#include <QtTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::nn;
using json = nlohmann::json;

namespace {

// gen_legacy_hook.py's det(): sin-based float32 values.
Tensor det(const Shape& shape, double scale = 1.0, double shift = 0.0) {
    std::vector<double> v(static_cast<std::size_t>(shape_numel(shape)));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(std::sin(static_cast<double>(i) * 1.37 + 0.3) * scale + shift);
    return Tensor::from_vector(v, shape);
}

ModulePtr build(const std::string& name) {
    manual_seed(0);
    if (name == "block")
        return std::make_shared<Sequential>(
            std::vector<ModulePtr>{std::make_shared<Linear>(4, 3), std::make_shared<ReLU>(),
                                   std::make_shared<Linear>(3, 2), std::make_shared<Sigmoid>()});
    return std::make_shared<ReLU>();
}

// Collects nn::warn's messages while it lives.
class CaughtWarnings {
public:
    CaughtWarnings()
        : previous_(set_warning_handler([this](const std::string& m) { messages.push_back(m); })) {}
    ~CaughtWarnings() { set_warning_handler(previous_); }
    std::vector<std::string> messages;

private:
    WarningHandler previous_;
};

void compare(const Tensor& ours, const json& theirs, const std::string& what) {
    if (theirs.is_null()) {
        QVERIFY2(!ours.defined(), (what + " should be None").c_str());
        return;
    }
    QVERIFY2(ours.defined(), (what + " is None").c_str());
    QCOMPARE(ours.shape(), theirs["shape"].get<Shape>());
    const auto values = ours.to_vector();
    const auto expected = theirs["values"].get<std::vector<double>>();
    for (std::size_t i = 0; i < values.size(); ++i)
        QVERIFY2(std::abs(values[i] - expected[i]) <= 1e-6 + 1e-5 * std::abs(expected[i]),
                 qPrintable(QString::fromStdString(what) + "[" + QString::number(i) + "]: " +
                            QString::number(values[i]) + " vs " + QString::number(expected[i])));
}

void compare_all(const std::vector<Tensor>& ours, const json& theirs, const std::string& what) {
    QCOMPARE(ours.size(), theirs.size());
    for (std::size_t i = 0; i < ours.size(); ++i)
        compare(ours[i], theirs[i], what + "[" + std::to_string(i) + "]");
}

} // namespace

class TestHooksLegacy : public QObject {
    Q_OBJECT

    json golden_;

private slots:
    void initTestCase() {
        std::ifstream in(std::string(NNSCOPE_GOLDEN_DIR) + "/train/legacy_hook.json");
        QVERIFY(in);
        golden_ = json::parse(in);
    }

    void againstPyTorch_data() {
        QTest::addColumn<QString>("module");
        QTest::addColumn<bool>("legacy");
        for (const char* m : {"block", "relu", "relu_leaf"}) {
            QTest::newRow((std::string(m) + " legacy").c_str()) << m << true;
            QTest::newRow((std::string(m) + " full").c_str()) << m << false;
        }
    }

    void againstPyTorch() {
        QFETCH(QString, module);
        QFETCH(bool, legacy);
        const std::string name = module.toStdString();
        const json& g = golden_[name][legacy ? "legacy" : "full"];
        ModulePtr m = build(name == "relu_leaf" ? "relu" : name);
        std::vector<Tensor> grad_input, grad_output;
        int calls = 0;
        auto hook = [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>& go) {
            ++calls;
            grad_input = gi;
            grad_output = go;
            return std::vector<Tensor>{};
        };
        HookHandle handle =
            legacy ? m->register_backward_hook(hook) : m->register_full_backward_hook(hook);
        Tensor x0 = det({5, 4});
        x0.requires_grad_();
        const Tensor x = name == "relu_leaf" ? x0 : x0 * 2.0;
        CaughtWarnings warnings;
        const Tensor out = (*m)(x);
        if (legacy) QCOMPARE(out.grad_fn()->name(), g["operation"].get<std::string>());
        sum(out * det(out.shape(), 0.5, 0.1)).backward();
        QCOMPARE(calls, 1);
        QCOMPARE(warnings.messages, g["warnings"].get<std::vector<std::string>>());
        compare_all(grad_input, g["grad_input"], "grad_input");
        compare_all(grad_output, g["grad_output"], "grad_output");
        compare(x0.grad(), g["x_grad"], "x0.grad");

        handle.remove();
        sum((*m)(x0 * 2.0)).backward();
        QCOMPARE(calls, 1);
    }

    // PyTorch refuses both kinds on one module, whichever comes first, even after removal.
    void bothKindsRefused() {
        const auto none = [](Module&, const std::vector<Tensor>&, const std::vector<Tensor>&) {
            return std::vector<Tensor>{};
        };
        const char* text = "Cannot use both regular backward hooks and full backward hooks on a "
                           "single Module. Please use only one of them.";
        auto a = build("relu");
        a->register_full_backward_hook(none).remove();
        try {
            a->register_backward_hook(none);
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), std::string(text));
        }
        auto b = build("relu");
        b->register_backward_hook(none);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, b->register_full_backward_hook(none));

        // The training probe's way: a legacy hook beside full ones, each seeing its own.
        auto block = build("block");
        std::vector<Tensor> full_gi, legacy_gi;
        block->register_full_backward_hook(
            [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                full_gi = gi;
                return std::vector<Tensor>{};
            });
        block->register_backward_hook(
            [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                legacy_gi = gi;
                return std::vector<Tensor>{};
            },
            true);
        CaughtWarnings warnings;
        Tensor x0 = det({5, 4});
        x0.requires_grad_();
        sum((*block)(x0 * 2.0)).backward();
        QCOMPARE(full_gi.at(0).shape(), (Shape{5, 4}));
        QCOMPARE(legacy_gi.at(0).shape(), (Shape{5, 2}));
        QCOMPARE(warnings.messages.size(), std::size_t{1});
    }

    // A legacy hook may replace the node's grad_inputs, with as many as the node has.
    void replacesGradInput() {
        auto relu = build("relu");
        relu->register_backward_hook(
            [](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                return std::vector<Tensor>{gi[0] * 3.0};
            });
        Tensor x0 = det({5, 4});
        x0.requires_grad_();
        sum((*relu)(x0 * 2.0)).backward();
        const auto g = x0.grad().to_vector();
        const auto x = x0.to_vector();
        for (std::size_t i = 0; i < g.size(); ++i)
            QCOMPARE(g[i], x[i] > 0 ? 6.0 : 0.0);

        auto bad = build("relu");
        bad->register_backward_hook(
            [](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                return std::vector<Tensor>{gi[0], gi[0]};
            });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, sum((*bad)(x0 * 2.0)).backward());
    }
};

QTEST_GUILESS_MAIN(TestHooksLegacy)
#include "tst_hooks_legacy.moc"
