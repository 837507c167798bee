// LeakyReLU, ELU and Softplus (ops and modules) against PyTorch 1.13
// (tests/golden/parametric_activation, written by gen_parametric_activation.py), the kink at 0 and
// Softplus's thresholds included, and finite differences in float64.

#include "engine/nn/parametric_activation.h"
#include "engine/nn/registry.h"
#include "engine/ops/parametric_activation.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

Tensor run_op(const std::string& name, const Tensor& x) {
    if (name == "leaky_relu") return leaky_relu(x);
    if (name == "leaky_relu_0.2") return leaky_relu(x, 0.2);
    if (name == "elu") return elu(x);
    if (name == "elu_0.5") return elu(x, 0.5);
    if (name == "softplus") return softplus(x);
    if (name == "softplus_2_3") return softplus(x, 2, 3);
    if (name == "softplus_0.5_1.5") return softplus(x, 0.5, 1.5);
    throw std::invalid_argument("unknown case " + name);
}

// The module each golden case's repr came from, built through the registry as a model file
// would build it.
nn::ModulePtr make_case_module(const std::string& name) {
    if (name == "leaky_relu") return nn::make_module("LeakyReLU");
    if (name == "leaky_relu_0.2")
        return nn::make_module("LeakyReLU", {{"negative_slope", 0.2}, {"inplace", true}});
    if (name == "elu") return nn::make_module("ELU");
    if (name == "elu_0.5") return nn::make_module("ELU", {{"alpha", 0.5}, {"inplace", true}});
    if (name == "softplus") return nn::make_module("Softplus");
    if (name == "softplus_2_3")
        return nn::make_module("Softplus", {{"beta", nn::Value(2)}, {"threshold", nn::Value(3)}});
    return nn::make_module("Softplus", {{"beta", 0.5}, {"threshold", 1.5}});
}

const char* const kCases[] = {"leaky_relu",   "leaky_relu_0.2",  "elu", "elu_0.5", "softplus",
                              "softplus_2_3", "softplus_0.5_1.5"};

Tensor leaf(const Tensor& t) {
    Tensor x = t.detach().clone();
    x.requires_grad_(true);
    return x;
}

} // namespace

class TestParametricActivation : public QObject {
    Q_OBJECT

private slots:
    void matchPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("dtype");
        for (const char* name : kCases)
            for (const char* dtype : {"f32", "f64"})
                QTest::addRow("%s_%s", name, dtype)
                    << QString::fromLatin1(name) << QString::fromLatin1(dtype);
    }

    void matchPyTorch() {
        QFETCH(QString, name);
        QFETCH(QString, dtype);
        const GoldenFile golden("parametric_activation/activations.safetensors");
        const std::string tag = dtype.toStdString();
        const std::string key = tag + "." + name.toStdString();
        Tensor x = leaf(golden.tensor(tag + ".x"));
        const Tensor y = run_op(name.toStdString(), x);
        const double tol = tag == "f32" ? 1e-6 : 1e-12;
        NNSCOPE_COMPARE_TENSORS(y, golden.tensor(key + ".y"), tol, tol);
        y.backward(golden.tensor(tag + ".grad_output"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad"), tol, tol);
    }

    void modules_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : kCases)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void modules() {
        QFETCH(QString, name);
        const GoldenFile golden("parametric_activation/activations.safetensors");
        const std::string n = name.toStdString();
        const auto m = make_case_module(n);
        QCOMPARE(m->repr(), golden.metadata("repr." + n));
        // The arguments rebuild the same module (the model file's round trip).
        QCOMPARE(nn::make_module(m->type_name(), m->arguments())->repr(), m->repr());
        const Tensor x = golden.tensor("f32.x");
        NNSCOPE_COMPARE_TENSORS((*m)(x), golden.tensor("f32." + n + ".y"), 1e-6, 1e-6);
        QCOMPARE(x.to_vector(), golden.tensor("f32.x").to_vector()); // inplace or not
    }

    // Away from the kink at 0 and from each Softplus threshold.
    void gradcheck_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : kCases)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void gradcheck() {
        QFETCH(QString, name);
        const std::string n = name.toStdString();
        std::vector<double> v = test::random_double({3, 7}, 23, -6.0, 6.0).to_vector();
        for (double& e : v)
            for (double kink : {0.0, 0.75, 1.5, 3.0})
                if (std::abs(e - kink) < 0.05) e = kink + 0.1;
        const Tensor x = Tensor::from_vector(v, {3, 7}, DType::Float64);
        auto fn = [&](const std::vector<Tensor>& in) { return run_op(n, in[0]); };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{x}));
    }

    void refusals() {
        const Tensor ints = Tensor::from_vector({1.0, -2.0}, {2}, DType::Int64);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, leaky_relu(ints));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, elu(ints));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, softplus(ints));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 nn::make_module("Softplus", {{"beta", nn::Value("big")}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 nn::make_module("LeakyReLU", {{"slope", 0.1}}));
    }
};

QTEST_GUILESS_MAIN(TestParametricActivation)
#include "tst_parametric_activation.moc"
