// nn::Module against PyTorch 1.13 (tests/golden/nn/structure.safetensors, gen_nn.py): names of
// parameters, buffers and modules in nested containers, repr() vs print(model), state_dict keys,
// load_state_dict reports and messages, registration errors, and the make_module factory.

#include "engine/nn/activation.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/dropout.h"
#include "engine/nn/embedding.h"
#include "engine/nn/flatten.h"
#include "engine/nn/layernorm.h"
#include "engine/nn/linear.h"
#include "engine/nn/loss.h"
#include "engine/nn/pooling.h"
#include "engine/nn/registry.h"
#include "nn_golden.h"

#include <QtTest>
#include <cmath>
#include <functional>
#include <map>

using namespace nnscope;
using namespace nnscope::nn;
using namespace nnscope::test::nn_golden;
using nnscope::test::GoldenFile;

namespace {

const std::string kFile = "nn/structure.safetensors";

std::shared_ptr<ModuleDict> nested() {
    return std::make_shared<ModuleDict>(std::vector<std::pair<std::string, ModulePtr>>{
        {"enc", mk<Sequential>(std::vector<ModulePtr>{
                    mk<Linear>(3, 4), mk<ReLU>(),
                    mk<ModuleList>(std::vector<ModulePtr>{mk<Linear>(4, 4), mk<BatchNorm1d>(4)})})},
        {"head",
         mk<ModuleList>(std::vector<ModulePtr>{
             mk<Sequential>(std::vector<ModulePtr>{mk<Linear>(4, 2)}), mk<Linear>(2, 2, false)})}});
}

// The modules of gen_nn.py's repr table, built the C++ way.
std::map<std::string, ModulePtr> repr_cases() {
    return {
        {"linear", mk<Linear>(784, 256)},
        {"linear_nobias", mk<Linear>(3, 2, false)},
        {"lazy", mk<LazyLinear>(10)},
        {"identity", mk<Identity>()},
        {"relu", mk<ReLU>()},
        {"relu_inplace", mk<ReLU>(true)},
        {"sigmoid", mk<Sigmoid>()},
        {"tanh", mk<Tanh>()},
        {"gelu", mk<GELU>()},
        {"gelu_tanh", mk<GELU>("tanh")},
        {"softmax", mk<Softmax>(1)},
        {"softmax_none", mk<Softmax>()},
        {"logsoftmax", mk<LogSoftmax>(-1)},
        {"flatten", mk<Flatten>()},
        {"flatten2", mk<Flatten>(0, 2)},
        {"dropout", mk<Dropout>()},
        {"dropout2", mk<Dropout>(0.25)},
        {"conv", mk<Conv2d>(1, 32, 3)},
        {"conv_full", mk<Conv2d>(4, 8, Value::ints({3, 5}), 2, Value::ints({1, 2}), 2, 2, false)},
        {"conv_same", mk<Conv2d>(2, 3, 4, 1, "same")},
        {"conv_valid", mk<Conv2d>(2, 3, 3, 1, "valid")},
        {"maxpool", mk<MaxPool2d>(2)},
        {"maxpool2", mk<MaxPool2d>(Value::ints({3, 2}), 1, 1, 1, false, true)},
        {"avgpool", mk<AvgPool2d>(2)},
        {"avgpool2", mk<AvgPool2d>(3, Value::ints({2, 1}), 1)},
        {"bn1d", mk<BatchNorm1d>(16)},
        {"bn2d", mk<BatchNorm2d>(8, 1e-3, std::nullopt, false, false)},
        {"layernorm", mk<LayerNorm>(Shape{10})},
        {"layernorm2", mk<LayerNorm>(Shape{3, 4}, 1e-6, false)},
        {"embedding", mk<Embedding>(100, 16)},
        {"embedding_pad", mk<Embedding>(10, 3, -2)},
        {"embeddingbag", mk<EmbeddingBag>(10, 3)},
        {"embeddingbag_sum", mk<EmbeddingBag>(10, 3, "sum", false, 0)},
        {"cross_entropy", mk<CrossEntropyLoss>()},
        {"mse", mk<MSELoss>("sum")},
        {"sequential",
         mk<Sequential>(std::vector<ModulePtr>{mk<Flatten>(), mk<Linear>(784, 256), mk<ReLU>(),
                                               mk<Dropout>(0.2), mk<Linear>(256, 10)})},
        {"empty_sequential", mk<Sequential>()},
    };
}

template <class Fn> QString error_of(Fn&& fn) {
    return QString::fromStdString(error_message(std::forward<Fn>(fn)));
}

QString meta(const GoldenFile& g, const std::string& key) {
    return QString::fromStdString(g.metadata(key));
}

} // namespace

class TestModule : public QObject {
    Q_OBJECT

private slots:
    void nestedNames() {
        GoldenFile g(kFile);
        auto m = nested();
        NN_COMPARE_LISTS(names(m->named_parameters()), metadata_list(g, "nested.named_parameters"));
        NN_COMPARE_LISTS(names(m->named_buffers()), metadata_list(g, "nested.named_buffers"));
        NN_COMPARE_LISTS(names(m->named_modules()), metadata_list(g, "nested.named_modules"));
        std::vector<std::string> children;
        for (const auto& [name, c] : m->named_children())
            children.push_back(name);
        NN_COMPARE_LISTS(children, metadata_list(g, "nested.named_children"));
        NN_COMPARE_LISTS(m->state_dict().keys(), metadata_list(g, "nested.state_dict"));
        QCOMPARE(QString::fromStdString(m->repr()), meta(g, "nested.repr"));
        // parameters() never includes buffers.
        QCOMPARE(m->parameters().size(), std::size_t(9));
    }

    void sharedReportedOnce() {
        GoldenFile g(kFile);
        auto shared = std::make_shared<Linear>(2, 2);
        auto last = std::make_shared<Linear>(2, 2);
        Sequential s{shared, mk<ReLU>(), shared, last};
        last->register_parameter("weight", shared->weight());
        NN_COMPARE_LISTS(names(s.named_parameters()), metadata_list(g, "shared.named_parameters"));
        NN_COMPARE_LISTS(names(s.named_modules()), metadata_list(g, "shared.named_modules"));
        NN_COMPARE_LISTS(names(s.named_modules("", false)),
                         metadata_list(g, "shared.named_modules_all"));
        NN_COMPARE_LISTS(s.state_dict().keys(), metadata_list(g, "shared.state_dict"));
    }

    void buffersAndNone() {
        GoldenFile g(kFile);
        Module c("Custom");
        c.register_parameter("w", Tensor::zeros({2}));
        c.register_parameter("none_param", Tensor());
        c.register_buffer("persist", Tensor::zeros({1}));
        c.register_buffer("scratch", Tensor::zeros({1}), false);
        c.register_buffer("none_buf", Tensor());
        c.register_module("child", std::make_shared<BatchNorm1d>(2, 1e-5, 0.1, true, false));
        NN_COMPARE_LISTS(names(c.named_parameters()), metadata_list(g, "custom.named_parameters"));
        NN_COMPARE_LISTS(names(c.named_buffers()), metadata_list(g, "custom.named_buffers"));
        NN_COMPARE_LISTS(c.state_dict().keys(), metadata_list(g, "custom.state_dict"));
        QCOMPARE(QString::fromStdString(c.repr()), meta(g, "custom.repr"));
        QVERIFY(!c.is_persistent_buffer("scratch"));
        QVERIFY(c.parameter("w").requires_grad());
        QVERIFY(c.parameter("w").is_leaf());
    }

    void applyVisitsChildrenFirst() {
        GoldenFile g(kFile);
        std::vector<std::string> order;
        nested()->apply([&](Module& m) { order.push_back(m.type_name()); });
        NN_COMPARE_LISTS(order, metadata_list(g, "nested.apply_order"));
    }

    void reprMatchesPrint_data() { add_name_rows(repr_cases()); }
    void reprMatchesPrint() {
        QFETCH(QString, name);
        GoldenFile g(kFile);
        const ModulePtr m = repr_cases().at(name.toStdString());
        QCOMPARE(QString::fromStdString(m->repr()), meta(g, "repr." + name.toStdString()));
        // The factory rebuilds the same module from its type name and arguments (containers
        // come back empty: their children are added by the caller).
        const ModulePtr rebuilt = make_module(m->type_name(), m->arguments());
        const std::string expected = m->module_dict().empty() ? m->repr() : m->type_name() + "()";
        QCOMPARE(QString::fromStdString(rebuilt->repr()), QString::fromStdString(expected));
    }

    void containerIndexing() {
        auto a = mk<ReLU>();
        auto b = mk<Tanh>();
        Sequential s{a, b};
        QVERIFY(s[0] == a);
        QVERIFY(s[-1] == b);
        QCOMPARE(error_of([&] { s[2]; }), QStringLiteral("index 2 is out of range"));
        ModuleList list{a};
        list.insert(0, b);
        QCOMPARE(list.module_dict().keys(), (std::vector<std::string>{"0", "1"}));
        QVERIFY(list[0] == b && list[1] == a);
        ModuleDict dict;
        dict.insert("act", a);
        QVERIFY(dict.contains("act") && dict["act"] == a);
        // Sequential runs its children in order: tanh(relu(x)).
        const Tensor out = s(Tensor::from_vector({-1.0, 2.0}, {2}));
        QCOMPARE(out.to_vector(), (std::vector<double>{0.0, static_cast<float>(std::tanh(2.0))}));
    }

    void trainEvalRecursive() {
        auto m = nested();
        QVERIFY(m->is_training());
        m->eval();
        for (Module* sub : m->modules())
            QVERIFY(!sub->is_training());
        m->train();
        for (Module* sub : m->modules())
            QVERIFY(sub->is_training());
    }

    void zeroGradAndRequiresGrad() {
        Linear lin(3, 2);
        lin.weight().set_grad(Tensor::ones({2, 3}));
        const Tensor grad_before = lin.weight().grad();
        lin.zero_grad(); // PyTorch 1.13 default: zero-filled in place
        QVERIFY(lin.weight().grad().is_same(grad_before));
        QCOMPARE(lin.weight().grad().to_vector(), std::vector<double>(6, 0.0));
        lin.zero_grad(true);
        QVERIFY(!lin.weight().grad().defined());
        lin.requires_grad_(false);
        for (const Tensor& p : lin.parameters())
            QVERIFY(!p.requires_grad());
    }

    void replaceParameterByNone() {
        Linear lin(3, 2);
        lin.register_parameter("bias", Tensor());
        QCOMPARE(lin.state_dict().keys(), (std::vector<std::string>{"weight"}));
        QCOMPARE(QString::fromStdString(lin.repr()),
                 QStringLiteral("Linear(in_features=3, out_features=2, bias=False)"));
        QCOMPARE(lin.forward(Tensor::ones({1, 3})).shape(), (Shape{1, 2}));
    }

    void loadStateDict() {
        GoldenFile g(kFile);
        auto make = [] {
            return std::make_shared<Sequential>(
                std::vector<ModulePtr>{mk<Linear>(3, 4), mk<BatchNorm1d>(4)});
        };
        auto target = make();
        StateDict sd = make()->state_dict();
        sd.erase("0.bias");
        sd.erase("1.num_batches_tracked");
        sd.insert("1.extra", Tensor::zeros({1}));
        sd.insert("2.weight", Tensor::zeros({1}));
        const IncompatibleKeys keys = target->load_state_dict(sd, false);
        NN_COMPARE_LISTS(keys.missing_keys, metadata_list(g, "load.missing"));
        NN_COMPARE_LISTS(keys.unexpected_keys, metadata_list(g, "load.unexpected"));
        // The values that matched were copied in place.
        QCOMPARE(target->child("0")->parameter("weight").to_vector(),
                 sd.at("0.weight").to_vector());
        QCOMPARE(error_of([&] { target->load_state_dict(sd); }), meta(g, "load.strict_error"));

        StateDict sd2 = target->state_dict();
        sd2.insert("0.weight", Tensor::zeros({4, 2}));
        QCOMPARE(error_of([&] { target->load_state_dict(sd2); }), meta(g, "load.size_error"));

        // Loading keeps the parameter objects (in-place copy) and records no history.
        const Tensor w = target->child("0")->parameter("weight");
        StateDict sd3 = make()->state_dict();
        QCOMPARE(target->load_state_dict(sd3).missing_keys.size(), std::size_t(0));
        QVERIFY(target->child("0")->parameter("weight").is_same(w));
        QVERIFY(w.is_leaf());
        QCOMPARE(w.to_vector(), sd3.at("0.weight").to_vector());
    }

    void stateDictHooks() {
        Sequential s{mk<Linear>(2, 2)};
        std::vector<std::string> seen;
        auto handle = s.child("0")->register_state_dict_hook(
            [&](Module&, StateDict& sd, const std::string& prefix) {
                seen.push_back(prefix);
                sd.insert(prefix + "extra", Tensor::ones({1}));
            });
        QCOMPARE(s.state_dict().keys(),
                 (std::vector<std::string>{"0.weight", "0.bias", "0.extra"}));
        QCOMPARE(seen, (std::vector<std::string>{"0."}));
        handle.remove();
        QCOMPARE(s.state_dict().size(), std::size_t(2));

        // A pre-hook may rename keys before the module loads them; a post hook edits the report.
        Sequential t{mk<Linear>(2, 2)};
        StateDict old = t.state_dict();
        StateDict renamed;
        renamed.insert("0.w", old.at("0.weight"));
        renamed.insert("0.bias", old.at("0.bias"));
        t.child("0")->register_load_state_dict_pre_hook(
            [](Module&, StateDict& sd, const std::string& prefix, IncompatibleKeys&,
               std::vector<std::string>&) {
                if (const Tensor* w = sd.find(prefix + "w")) {
                    sd.insert(prefix + "weight", *w);
                    sd.erase(prefix + "w");
                }
            });
        std::size_t post_calls = 0;
        t.register_load_state_dict_post_hook([&](Module&, IncompatibleKeys& keys) {
            ++post_calls;
            keys.unexpected_keys.clear();
        });
        const IncompatibleKeys keys = t.load_state_dict(renamed);
        QCOMPARE(post_calls, std::size_t(1));
        QVERIFY(keys.missing_keys.empty());
    }

    void registrationErrors() {
        GoldenFile g(kFile);
        QCOMPARE(error_of([] { Module("Module").register_parameter("a.b", Tensor()); }),
                 meta(g, "error.dot"));
        QCOMPARE(error_of([] { Module("Module").register_buffer("", Tensor()); }),
                 meta(g, "error.empty"));
        QCOMPARE(error_of([] { Module("Module").register_module("x.y", nullptr); }),
                 meta(g, "error.module_dot"));
        QCOMPARE(error_of([] { Linear(2, 2).register_buffer("weight", Tensor()); }),
                 meta(g, "error.exists"));
        QCOMPARE(error_of([] { ModuleList{mk<ReLU>()}(Tensor::zeros({1})); }),
                 meta(g, "error.modulelist_call"));
        QCOMPARE(error_of([] { Dropout(1.5); }), meta(g, "error.dropout_p"));
        QCOMPARE(error_of([] { Conv2d(1, 1, 3, 2, "same"); }), meta(g, "error.conv_same_stride"));
        QCOMPARE(error_of([] { Conv2d(3, 4, 3, 1, 0, 1, 2); }), meta(g, "error.conv_groups"));
        // Every mode of PyTorch is accepted (tst_pad runs them); others are refused.
        QVERIFY(error_of([] {
                    Conv2d(1, 1, 3, 1, 0, 1, 1, true, "edge");
                }).contains(QStringLiteral("padding_mode must be one of")));
        // A non-leaf cannot become a parameter.
        Tensor leaf = Tensor::ones({2});
        leaf.requires_grad_();
        const Tensor non_leaf = leaf.clone();
        QVERIFY(error_of([&] {
                    Module("M").register_parameter("p", non_leaf);
                }).startsWith(QStringLiteral("Cannot assign non-leaf Tensor to parameter 'p'")));
        // Calling a loss with one tensor is an error naming the module.
        QVERIFY(
            error_of([] { MSELoss()(Tensor::zeros({1})); }).startsWith(QStringLiteral("MSELoss")));
    }

    void factoryErrors() {
        QCOMPARE(error_of([] { make_module("Linaer", {}); }),
                 QStringLiteral("unknown module type 'Linaer'"));
        QCOMPARE(error_of([] {
                     make_module("Linear", {{"in_features", 2}, {"out", 3}});
                 }),
                 QStringLiteral("Linear: unknown argument 'out' (accepted: in_features, "
                                "out_features, bias)"));
        QCOMPARE(error_of([] {
                     make_module("Linear", {{"in_features", 2}});
                 }),
                 QStringLiteral("Linear: missing required argument 'out_features'"));
        // Arguments spelled out at PyTorch's default are accepted; other values are refused.
        QCOMPARE(make_module("Embedding", {{"num_embeddings", 5},
                                           {"embedding_dim", 2},
                                           {"max_norm", Value()},
                                           {"norm_type", 2},
                                           {"sparse", false}})
                     ->type_name(),
                 std::string("Embedding"));
        QCOMPARE(error_of([] {
                     make_module("EmbeddingBag",
                                 {{"num_embeddings", 5}, {"embedding_dim", 2}, {"max_norm", 1.0}});
                 }),
                 QStringLiteral("EmbeddingBag: argument 'max_norm' = 1.0 is not supported (only "
                                "its default None)"));
        QCOMPARE(error_of([] {
                     make_module("Linear", {{"in_features", 2}, {"out_features", "3"}});
                 }),
                 QStringLiteral("Linear: argument 'out_features' must be int, got str '3'"));
        QCOMPARE(error_of([] {
                     make_module("Conv2d", {{"in_channels", 1},
                                            {"out_channels", 1},
                                            {"kernel_size", Value::ints({1, 2, 3})}});
                 }),
                 QStringLiteral("Conv2d: argument 'kernel_size' must be an int or a tuple of 2 "
                                "ints, got tuple (1, 2, 3)"));
        QCOMPARE(error_of([] {
                     make_module("Dropout", {{"p", 2.0}});
                 }),
                 QStringLiteral("Dropout: dropout probability has to be between 0 and 1, but got "
                                "2.0"));
        // Ints are accepted where floats are expected, as in Python.
        QCOMPARE(QString::fromStdString(make_module("Dropout", {{"p", 0}})->repr()),
                 QStringLiteral("Dropout(p=0.0, inplace=False)"));
        QVERIFY(module_type_names().size() >= 24);
    }

    void pythonFloatRepr() {
        QCOMPARE(python_float_repr(1e-5), std::string("1e-05"));
        QCOMPARE(python_float_repr(0.0001), std::string("0.0001"));
        QCOMPARE(python_float_repr(0.1), std::string("0.1"));
        QCOMPARE(python_float_repr(1.0), std::string("1.0"));
        QCOMPARE(python_float_repr(-2.5), std::string("-2.5"));
        QCOMPARE(python_float_repr(1e16), std::string("1e+16"));
        QCOMPARE(python_float_repr(123456789012345.0), std::string("123456789012345.0"));
        QCOMPARE(python_float_repr(1.4141428569978354), std::string("1.4141428569978354"));
    }

    // Values print as Python's repr() (expected strings are what Python 3 prints) and keep a
    // list apart from a tuple, as torchvision's reprs need.
    void valueRepr() {
        QCOMPARE(Value::tuple({Value(1)}).repr(), std::string("(1,)"));
        QCOMPARE(Value::list({Value(1)}).repr(), std::string("[1]"));
        QCOMPARE(Value::list({Value(1), Value(0.5)}).type_name(), std::string("list"));
        QCOMPARE(Value::ints({2, 3}).type_name(), std::string("tuple"));
        QVERIFY(!(Value::list({Value(1)}) == Value::tuple({Value(1)})));
        QCOMPARE(Value("it's").repr(), std::string("\"it's\""));
        QCOMPARE(Value("a'\"b").repr(), std::string("'a\\'\"b'"));
        const Value mode = EnumMember{"InterpolationMode", "BILINEAR"};
        QCOMPARE(mode.repr(), std::string("<InterpolationMode.BILINEAR>"));
        QCOMPARE(mode.type_name(), std::string("InterpolationMode"));
        QCOMPARE(error_of([] { Value("3").as_int(); }),
                 QStringLiteral("expected an int, got str '3'"));
        QCOMPARE(error_of([] { Value().as_list(); }),
                 QStringLiteral("expected a list or tuple, got NoneType None"));
    }
};

QTEST_GUILESS_MAIN(TestModule)
#include "tst_module.moc"
