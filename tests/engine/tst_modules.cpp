// Every module type's output and gradients against PyTorch 1.13, in train and eval
// (tests/golden/nn/modules.safetensors, gen_nn.py). Parameters come from the golden file through
// load_state_dict; BatchNorm runs three training steps, then eval, and its running statistics and
// num_batches_tracked are compared.

#include "engine/generator.h"
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
#include "nn_golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <functional>

using namespace nnscope;
using namespace nnscope::nn;
using namespace nnscope::test::nn_golden;
using nnscope::test::GoldenFile;

namespace {

const std::string kFile = "nn/modules.safetensors";

struct Case {
    Case(std::function<ModulePtr()> b, bool t = true, std::optional<std::uint64_t> s = {})
        : build(std::move(b))
        , train(t)
        , seed(s) {}
    std::function<ModulePtr()> build;
    bool train;
    std::optional<std::uint64_t> seed; // manual_seed right before the forward (Dropout)
};

template <class M, class... A> std::function<ModulePtr()> maker(A... a) {
    return [=] { return ModulePtr(std::make_shared<M>(a...)); };
}

std::map<std::string, Case> cases() {
    return {
        {"linear", {maker<Linear>(5, 3)}},
        {"linear_nobias", {maker<Linear>(5, 3, false)}},
        {"identity", {maker<Identity>()}},
        {"relu", {maker<ReLU>()}},
        {"sigmoid", {maker<Sigmoid>()}},
        {"tanh", {maker<Tanh>()}},
        {"gelu", {maker<GELU>()}},
        {"gelu_tanh", {maker<GELU>(std::string("tanh"))}},
        {"softmax", {maker<Softmax>(1)}},
        {"softmax_implicit", {maker<Softmax>()}},
        {"logsoftmax", {maker<LogSoftmax>(0)}},
        {"flatten", {maker<Flatten>()}},
        {"dropout_train", {maker<Dropout>(0.4), true, 123}},
        {"dropout_eval", {maker<Dropout>(0.4), false}},
        {"conv", {maker<Conv2d>(2, 4, Value(3), Value(1), Value(1))}},
        {"conv_same",
         {maker<Conv2d>(2, 3, Value::ints({2, 4}), Value(1), Value("same"), Value::ints({2, 1}))}},
        {"conv_group",
         {maker<Conv2d>(4, 4, Value(3), Value(2), Value(0), Value(1), std::int64_t(2), false)}},
        {"maxpool", {maker<MaxPool2d>(Value(2))}},
        {"maxpool_s1", {maker<MaxPool2d>(Value(3), Value(1), Value(1))}},
        {"avgpool", {maker<AvgPool2d>(Value(2), Value(1))}},
        {"layernorm", {maker<LayerNorm>(Shape{4})}},
        {"embedding", {maker<Embedding>(6, 3, std::optional<std::int64_t>(2))}},
        {"embeddingbag", {maker<EmbeddingBag>(6, 3)}},
        {"embeddingbag_sum", {maker<EmbeddingBag>(6, 3, std::string("sum"))}},
        {"cross_entropy", {maker<CrossEntropyLoss>()}},
        {"cross_entropy_opts", {[] {
             return ModulePtr(std::make_shared<CrossEntropyLoss>(
                 Tensor::from_vector({1.0, 2.0, 0.5, 1.5, 1.0}, {5}), 0, "mean", 0.1));
         }}},
        {"mse", {maker<MSELoss>()}},
    };
}

std::map<std::string, std::function<ModulePtr()>> batchnorms() {
    return {
        {"bn1d", maker<BatchNorm1d>(3)},
        {"bn1d_3d", maker<BatchNorm1d>(3, 1e-5, std::optional<double>())},
        {"bn2d", maker<BatchNorm2d>(2, 1e-5, std::optional<double>(0.3))},
        {"bn2d_noaffine", maker<BatchNorm2d>(2, 1e-5, std::optional<double>(0.1), false)},
        {"bn2d_nostats", maker<BatchNorm2d>(2, 1e-5, std::optional<double>(0.1), true, false)},
    };
}

void compare(const Tensor& actual, const Tensor& expected) {
    if (expected.is_floating_point())
        NNSCOPE_COMPARE_TENSORS(actual, expected, 1e-5, 1e-4);
    else
        NNSCOPE_COMPARE_TENSORS_EXACT(actual, expected);
}

} // namespace

class TestModules : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() { add_name_rows(cases()); }
    void matchesPyTorch() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const auto all = cases();
        const Case& c = all.at(key);
        GoldenFile g(kFile);
        ModulePtr m = c.build();
        m->load_state_dict(state_dict_from(g, key + ".param."));
        m->train(c.train);

        Tensor x = g.tensor(key + ".x").clone();
        if (g.has(key + ".x_grad")) x.requires_grad_(true);
        std::vector<Tensor> inputs{x};
        if (g.has(key + ".target")) inputs.push_back(g.tensor(key + ".target"));
        if (c.seed) manual_seed(*c.seed);
        const Tensor out = m->call(inputs);
        compare(out, g.tensor(key + ".out"));

        if (g.has(key + ".gout")) {
            out.backward(g.tensor(key + ".gout"));
            if (g.has(key + ".x_grad")) compare(x.grad(), g.tensor(key + ".x_grad"));
            for (const auto& [pname, p] : m->named_parameters()) {
                QVERIFY2(g.has(key + ".grad." + pname), pname.c_str());
                compare(p.grad(), g.tensor(key + ".grad." + pname));
            }
        }
        for (const auto& [bname, b] : m->named_buffers())
            compare(b, g.tensor(key + ".buffer." + bname));
    }

    void batchNormSteps_data() { add_name_rows(batchnorms()); }
    void batchNormSteps() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        GoldenFile g(kFile);
        ModulePtr bn = batchnorms().at(key)();
        if (g.tensor(key + ".init.weight").numel() > 0) {
            bn->parameter("weight").copy_(g.tensor(key + ".init.weight"));
            bn->parameter("bias").copy_(g.tensor(key + ".init.bias"));
        }
        Tensor out, x;
        for (int step = 0; step < 3; ++step) {
            const std::string s = key + ".step" + std::to_string(step);
            x = g.tensor(s + ".x").clone();
            x.requires_grad_(true);
            out = (*bn)(x);
            compare(out, g.tensor(s + ".out"));
        }
        out.backward(g.tensor(key + ".gout"));
        compare(x.grad(), g.tensor(key + ".x_grad"));
        std::vector<std::string> buffer_names;
        for (const auto& [bname, b] : bn->named_buffers()) {
            buffer_names.push_back(bname);
            compare(b, g.tensor(key + ".buffer." + bname));
        }
        if (key == "bn2d_nostats")
            QVERIFY(buffer_names.empty());
        else
            QCOMPARE(buffer_names.size(), std::size_t(3));
        bn->eval();
        compare((*bn)(g.tensor(key + ".eval.x")), g.tensor(key + ".eval.out"));
    }

    void batchNormErrors() {
        GoldenFile structure("nn/structure.safetensors");
        BatchNorm1d bn1(3);
        BatchNorm2d bn2(3);
        QCOMPARE(error_message([&] {
                     bn1(Tensor::zeros({2, 3, 4, 5}));
                 }),
                 structure.metadata("error.bn1d_dim"));
        QCOMPARE(error_message([&] {
                     bn2(Tensor::zeros({2, 3}));
                 }),
                 structure.metadata("error.bn2d_dim"));
        QCOMPARE(error_message([&] {
                     bn1(Tensor::zeros({1, 3}));
                 }),
                 structure.metadata("error.bn_batch"));
    }

    // Conv2d's asymmetric "same" padding (zeros appended at the end) in float64.
    void convSameGradcheck() {
        Conv2d conv(2, 2, Value::ints({2, 3}), 1, "same", Value::ints({1, 2}));
        const std::vector<Tensor> inputs{test::random_double({1, 2, 4, 5}, 1),
                                         test::random_double({2, 2, 2, 3}, 2),
                                         test::random_double({2}, 3)};
        NNSCOPE_GRADCHECK(
            [&conv](const std::vector<Tensor>& in) {
                conv.register_parameter("weight", in[1]);
                conv.register_parameter("bias", in[2]);
                return conv(in[0]);
            },
            inputs);
    }
};

QTEST_GUILESS_MAIN(TestModules)
#include "tst_modules.moc"
