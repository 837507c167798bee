// Module hooks against PyTorch 1.13 (tests/golden/nn/hooks.safetensors, gen_nn.py): firing order
// of forward_pre / forward / full_backward hooks on nested Sequentials, with and without an input
// that requires grad, and replacement of input, output, grad_input. Backward pre-hooks do not
// exist in 1.13: their order and effect follow PyTorch 2.0's BackwardHook (derived below).

#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/container.h"
#include "engine/nn/linear.h"
#include "engine/nn/loss.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "nn_golden.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::nn;
using namespace nnscope::test::nn_golden;
using nnscope::test::GoldenFile;

namespace {

const std::string kFile = "nn/hooks.safetensors";

// gen_nn.py's hook_tree(): Sequential(Linear(4, 5), Sequential(ReLU(), Linear(5, 3)), Tanh()).
std::shared_ptr<Sequential> hook_tree() {
    manual_seed(0);
    auto lin0 = std::make_shared<Linear>(4, 5);
    auto inner = std::make_shared<Sequential>(
        std::vector<ModulePtr>{std::make_shared<ReLU>(), std::make_shared<Linear>(5, 3)});
    return std::make_shared<Sequential>(
        std::vector<ModulePtr>{lin0, inner, std::make_shared<Tanh>()});
}

// gen_nn.py's det(): sin-based values that draw nothing from the generator.
Tensor det(const Shape& shape, double scale = 1.0, double shift = 0.0) {
    std::vector<double> v(static_cast<std::size_t>(shape_numel(shape)));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(std::sin(static_cast<double>(i) * 1.37 + 0.3) * scale + shift);
    return Tensor::from_vector(v, shape);
}

std::string flags(const std::vector<Tensor>& grads) {
    std::string s;
    for (const Tensor& g : grads)
        s += g.defined() ? "T" : "N";
    return s;
}

void record_all(Sequential& model, std::vector<std::string>& events, bool with_pre) {
    for (const auto& [name, module] : model.named_modules()) {
        const std::string tag = name.empty() ? "root" : name;
        module->register_forward_pre_hook([&events, tag](Module&, const std::vector<Tensor>&) {
            events.push_back("fpre:" + tag);
            return std::vector<Tensor>{};
        });
        module->register_forward_hook(
            [&events, tag](Module&, const std::vector<Tensor>&, const Tensor&) {
                events.push_back("fwd:" + tag);
                return Tensor();
            });
        if (with_pre)
            module->register_full_backward_pre_hook(
                [&events, tag](Module&, const std::vector<Tensor>& grad_output) {
                    events.push_back("bpre:" + tag + ":" + flags(grad_output));
                    return std::vector<Tensor>{};
                });
        module->register_full_backward_hook([&events, tag](Module&,
                                                           const std::vector<Tensor>& grad_input,
                                                           const std::vector<Tensor>&) {
            events.push_back("bw:" + tag + ":" + flags(grad_input));
            return std::vector<Tensor>{};
        });
    }
}

std::vector<std::string> without_pre(const std::vector<std::string>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        if (e.rfind("bpre:", 0) != 0) out.push_back(e);
    return out;
}

Tensor leaf(Tensor t, bool requires_grad = true) {
    t.requires_grad_(requires_grad);
    return t;
}

} // namespace

class TestHooks : public QObject {
    Q_OBJECT

private slots:
    void firingOrder_data() {
        QTest::addColumn<bool>("input_requires_grad");
        QTest::newRow("grad_input") << true;
        QTest::newRow("no_grad_input") << false;
    }
    void firingOrder() {
        QFETCH(bool, input_requires_grad);
        GoldenFile g(kFile);
        const std::string key =
            std::string("order.") + (input_requires_grad ? "grad_input" : "no_grad_input");
        for (bool with_pre : {false, true}) {
            auto model = hook_tree();
            std::vector<std::string> events;
            record_all(*model, events, with_pre);
            sum((*model)(leaf(det({2, 4}), input_requires_grad))).backward();
            NN_COMPARE_LISTS(without_pre(events), metadata_list(g, key));
        }
    }

    // PyTorch 2.0: a module's backward pre-hook fires when the gradient reaches its output
    // wrapper, i.e. before anything inside it; its full backward hook fires when the gradient
    // leaves through its input wrapper (or right after the pre-hook when no input requires grad).
    void backwardPreOrder() {
        auto model = hook_tree();
        std::vector<std::string> events;
        record_all(*model, events, true);
        sum((*model)(leaf(det({2, 4})))).backward();
        std::vector<std::string> backward(events.begin() + 12, events.end());
        NN_COMPARE_LISTS(
            backward, (std::vector<std::string>{"bpre:root:T", "bpre:2:T", "bw:2:T", "bpre:1:T",
                                                "bpre:1.1:T", "bw:1.1:T", "bpre:1.0:T", "bw:1.0:T",
                                                "bw:1:T", "bpre:0:T", "bw:0:T", "bw:root:T"}));

        auto model2 = hook_tree();
        events.clear();
        record_all(*model2, events, true);
        sum((*model2)(det({2, 4}))).backward();
        std::vector<std::string> backward2(events.begin() + 12, events.end());
        QCOMPARE(backward2.front(), std::string("bpre:root:T"));
        QCOMPARE(backward2.at(1), std::string("bw:root:N"));
        QCOMPARE(backward2.back(), std::string("bw:0:N"));
    }

    void replaceInputOutputGradInput() {
        GoldenFile g(kFile);
        auto model = hook_tree();
        Sequential& inner = static_cast<Sequential&>(*model->child("1"));
        model->child("0")->register_forward_pre_hook([](Module&, const std::vector<Tensor>& in) {
            return std::vector<Tensor>{in[0] * 2.0};
        });
        inner[0]->register_forward_hook(
            [](Module&, const std::vector<Tensor>&, const Tensor& out) { return out + 1.0; });
        inner[1]->register_full_backward_hook(
            [](Module&, const std::vector<Tensor>& grad_input, const std::vector<Tensor>&) {
                return std::vector<Tensor>{grad_input[0] * 3.0};
            });
        Tensor x = leaf(g.tensor("replace.x"));
        Tensor out = (*model)(x);
        NNSCOPE_COMPARE_TENSORS(out, g.tensor("replace.out"), 1e-5, 1e-4);
        out.backward(g.tensor("replace.gout"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), g.tensor("replace.x_grad"), 1e-5, 1e-4);
        for (const auto& [name, p] : model->named_parameters())
            NNSCOPE_COMPARE_TENSORS(p.grad(), g.tensor("replace.grad." + name), 1e-5, 1e-4);
    }

    void backwardPreReplacesGradOutput() {
        GoldenFile g(kFile);
        auto model = hook_tree();
        std::vector<Tensor> seen_by_full_hook;
        model->child("2")->register_full_backward_pre_hook(
            [](Module&, const std::vector<Tensor>& grad_output) {
                return std::vector<Tensor>{grad_output[0] * 0.5};
            });
        // The full backward hook sees the replaced grad_output, as in PyTorch 2.0.
        model->child("2")->register_full_backward_hook(
            [&](Module&, const std::vector<Tensor>&, const std::vector<Tensor>& grad_output) {
                seen_by_full_hook = grad_output;
                return std::vector<Tensor>{};
            });
        Tensor x = leaf(g.tensor("replace.x"));
        const Tensor gout = g.tensor("replace.gout");
        (*model)(x).backward(gout);
        NNSCOPE_COMPARE_TENSORS(x.grad(), g.tensor("bpre.x_grad"), 1e-5, 1e-4);
        for (const auto& [name, p] : model->named_parameters())
            NNSCOPE_COMPARE_TENSORS(p.grad(), g.tensor("bpre.grad." + name), 1e-5, 1e-4);
        QCOMPARE(seen_by_full_hook.size(), std::size_t(1));
        NNSCOPE_COMPARE_TENSORS(seen_by_full_hook[0], gout * 0.5, 0.0, 0.0);
    }

    // A loss sees (input, target): target needs no gradient, so its grad_input entry is None.
    void twoInputModule() {
        MSELoss loss;
        std::string seen;
        loss.register_full_backward_hook([&](Module&, const std::vector<Tensor>& grad_input,
                                             const std::vector<Tensor>& grad_output) {
            seen = flags(grad_input) + "/" + flags(grad_output);
            return std::vector<Tensor>{};
        });
        loss(leaf(Tensor::ones({3})), Tensor::zeros({3})).backward();
        QCOMPARE(seen, std::string("TN/T"));
    }

    void handlesRemoveAndFastPath() {
        Linear lin(2, 2);
        QVERIFY(!lin.has_call_hooks());
        int calls = 0;
        HookHandle first =
            lin.register_forward_hook([&](Module&, const std::vector<Tensor>&, const Tensor&) {
                calls += 1;
                return Tensor();
            });
        HookHandle second =
            lin.register_forward_hook([&](Module&, const std::vector<Tensor>&, const Tensor&) {
                calls += 10;
                return Tensor();
            });
        lin(Tensor::ones({1, 2}));
        QCOMPARE(calls, 11);
        first.remove();
        first.remove(); // harmless twice
        lin(Tensor::ones({1, 2}));
        QCOMPARE(calls, 21);
        second.remove();
        QVERIFY(!lin.has_call_hooks());
        lin(Tensor::ones({1, 2}));
        QCOMPARE(calls, 21);

        // Hooks run in registration order and may remove themselves while running.
        std::vector<int> order;
        HookHandle self_removing;
        self_removing = lin.register_forward_pre_hook([&](Module&, const std::vector<Tensor>&) {
            order.push_back(1);
            self_removing.remove();
            return std::vector<Tensor>{};
        });
        lin.register_forward_pre_hook([&](Module&, const std::vector<Tensor>&) {
            order.push_back(2);
            return std::vector<Tensor>{};
        });
        lin(Tensor::ones({1, 2}));
        lin(Tensor::ones({1, 2}));
        QCOMPARE(order, (std::vector<int>{1, 2, 2}));
    }

    void backwardHookErrors() {
        Linear lin(2, 2);
        lin.register_full_backward_hook(
            [](Module&, const std::vector<Tensor>& grad_input, const std::vector<Tensor>&) {
                return std::vector<Tensor>{grad_input[0], grad_input[0]};
            });
        Tensor x = leaf(Tensor::ones({1, 2}));
        bool threw = false;
        try {
            sum(lin(x)).backward();
        } catch (const std::runtime_error& e) {
            threw = true;
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("Backward hook returned an invalid number of grad_input, got "
                                    "2, but expected 1"));
        }
        QVERIFY(threw);

        // Without an input that requires grad, a hook may only return None.
        Linear lin2(2, 2);
        lin2.register_full_backward_hook(
            [](Module&, const std::vector<Tensor>&, const std::vector<Tensor>& grad_output) {
                return std::vector<Tensor>{grad_output[0]};
            });
        threw = false;
        try {
            sum(lin2(Tensor::ones({1, 2}))).backward();
        } catch (const std::runtime_error& e) {
            threw = QString::fromUtf8(e.what()).startsWith(
                QStringLiteral("Backward hook for Modules where no input requires gradient"));
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(TestHooks)
#include "tst_hooks.moc"
