// Tensor hooks among module hooks in backward, the order of the state_dict hooks, and what
// load_state_dict reports (_IncompatibleKeys' repr, the strict and size-mismatch errors), against
// PyTorch 1.13 (tests/golden/nn/hooks_tensor_state.json, gen_hook_tensors_state.py).

#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/container.h"
#include "engine/nn/linear.h"
#include "engine/ops/reduce.h"
#include "support/errors.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace nnscope;
using namespace nnscope::nn;

namespace {

QJsonObject golden() {
    QFile f(QStringLiteral(NNSCOPE_GOLDEN_DIR "/nn/hooks_tensor_state.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList strings(const QJsonValue& value) {
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}

// gen_hook_tensors_state.py's nested(): fc1, act, block (Linear, Tanh), fc2.
std::shared_ptr<Sequential> nested() {
    manual_seed(0);
    auto block = std::make_shared<Sequential>(
        std::vector<ModulePtr>{std::make_shared<Linear>(4, 4), std::make_shared<Tanh>()});
    return std::make_shared<Sequential>(
        std::vector<std::pair<std::string, ModulePtr>>{{"fc1", std::make_shared<Linear>(3, 4)},
                                                       {"act", std::make_shared<ReLU>()},
                                                       {"block", block},
                                                       {"fc2", std::make_shared<Linear>(4, 2)}});
}

// A module class named Net with one child fc = Linear(3, 3).
std::shared_ptr<Module> net() {
    auto m = std::make_shared<Module>("Net");
    m->register_module("fc", std::make_shared<Linear>(3, 3));
    return m;
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

} // namespace

class TestHooksTensorState : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(!golden().isEmpty(), "hooks_tensor_state.json is missing"); }

    void backwardOrder_data() {
        QTest::addColumn<bool>("inputGrad");
        QTest::newRow("input_grad") << true;
        QTest::newRow("no_input_grad") << false;
    }

    // A tensor hook registered in a forward hook sees the output before the full backward hook
    // wraps it: it fires after the module's grad_output is captured and, when the module's input
    // needs no grad (the hook then fires from the output side), after its full backward hook.
    void backwardOrder() {
        QFETCH(bool, inputGrad);
        auto model = nested();
        QStringList events;
        std::vector<HookHandle> handles;
        for (const auto& [path, module] : model->named_modules()) {
            const QString p = qs(path);
            handles.push_back(module->register_full_backward_hook(
                [&events, p](Module&, const std::vector<Tensor>&, const std::vector<Tensor>&) {
                    events << QStringLiteral("backward:") + p;
                    return std::vector<Tensor>{};
                }));
            handles.push_back(module->register_forward_hook(
                [&events, p](Module&, const std::vector<Tensor>&, const Tensor& output) {
                    output.register_hook([&events, p](const Tensor&) {
                        events << QStringLiteral("output_grad:") + p;
                        return Tensor();
                    });
                    return Tensor();
                }));
        }
        for (const auto& [name, param] : model->named_parameters()) {
            const QString n = qs(name);
            handles.push_back(param.register_hook([&events, n](const Tensor&) {
                events << QStringLiteral("grad:") + n;
                return Tensor();
            }));
        }
        Tensor x = Tensor::ones({2, 3});
        if (inputGrad) {
            x.requires_grad_(true);
            handles.push_back(x.register_hook([&events](const Tensor&) {
                events << QStringLiteral("input:");
                return Tensor();
            }));
        }
        const Tensor y = (*model)(x);
        y.register_hook([&events](const Tensor&) {
            events << QStringLiteral("returned:");
            return Tensor();
        });
        sum(y).backward();
        QCOMPARE(events,
                 strings(golden()[QStringLiteral("backward")].toObject().value(
                     inputGrad ? QStringLiteral("input_grad") : QStringLiteral("no_input_grad"))));
    }

    // state_dict hooks fire after the module's children wrote their entries: post-order.
    void stateDictHookOrder() {
        auto model = nested();
        QStringList events;
        for (const auto& [path, module] : model->named_modules()) {
            const QString p = qs(path);
            module->register_state_dict_hook([&events, p](Module&, StateDict&, const std::string&) {
                events << QStringLiteral("state_dict:") + p;
            });
        }
        model->state_dict();
        QCOMPARE(events, strings(golden()[QStringLiteral("state_dict")]));
    }

    // load_state_dict: a module's pre-hook before its own entries, its post hook after its
    // children loaded.
    void loadHookOrder() {
        const StateDict sd = nested()->state_dict();
        auto model = nested();
        QStringList events;
        for (const auto& [path, module] : model->named_modules()) {
            const QString p = qs(path);
            module->register_load_state_dict_pre_hook(
                [&events, p](Module&, StateDict&, const std::string&, IncompatibleKeys&,
                             std::vector<std::string>&) {
                    events << QStringLiteral("load_state_dict_pre:") + p;
                });
            module->register_load_state_dict_post_hook([&events, p](Module&, IncompatibleKeys&) {
                events << QStringLiteral("load_state_dict_post:") + p;
            });
        }
        model->load_state_dict(sd);
        QCOMPARE(events, strings(golden()[QStringLiteral("load")]));
    }

    void incompatibleKeys() {
        const QJsonObject g = golden()[QStringLiteral("incompatible")].toObject();
        auto target = net();
        QCOMPARE(qs(repr(target->load_state_dict(net()->state_dict(), false))),
                 g[QStringLiteral("matched")].toString());

        StateDict sd = net()->state_dict();
        sd.erase("fc.bias");
        sd.insert("extra", Tensor::zeros({1}));
        QCOMPARE(qs(repr(target->load_state_dict(sd, false))),
                 g[QStringLiteral("non_strict")].toString());
        QCOMPARE(test::errorOf([&] { target->load_state_dict(sd); }),
                 g[QStringLiteral("strict")].toString());

        StateDict only_missing = net()->state_dict();
        only_missing.erase("fc.weight");
        QCOMPARE(qs(repr(target->load_state_dict(only_missing, false))),
                 g[QStringLiteral("only_missing")].toString());

        StateDict wrong = net()->state_dict();
        wrong.insert("fc.weight", Tensor::zeros({2, 3}));
        QCOMPARE(test::errorOf([&] { target->load_state_dict(wrong); }),
                 g[QStringLiteral("size")].toString());
    }

    // Keys print as Python's repr of a str would.
    void reprQuotes() {
        IncompatibleKeys keys;
        keys.missing_keys = {"it's", "a\\b"};
        keys.unexpected_keys = {"say \"x\"", "tab\there"};
        QCOMPARE(qs(repr(keys)),
                 QStringLiteral("_IncompatibleKeys(missing_keys=[\"it's\", 'a\\\\b'], "
                                "unexpected_keys=['say \"x\"', 'tab\\there'])"));
    }
};

QTEST_GUILESS_MAIN(TestHooksTensorState)
#include "tst_hooks_tensor_state.moc"
