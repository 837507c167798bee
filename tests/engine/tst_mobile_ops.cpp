// ReLU6, Hardsigmoid, Hardswish, SiLU and AdaptiveAvgPool2d (ops and modules) against PyTorch
// 1.13 (tests/golden/mobile_ops, written by gen_mobile_ops.py), kinks included, and finite
// differences in float64.

#include "engine/nn/adaptive_pool.h"
#include "engine/nn/mobile_activation.h"
#include "engine/nn/registry.h"
#include "engine/ops/adaptive_pool.h"
#include "engine/ops/mobile_activation.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

Tensor run_op(const std::string& op, const Tensor& x) {
    if (op == "relu6") return relu6(x);
    if (op == "hardsigmoid") return hardsigmoid(x);
    if (op == "hardswish") return hardswish(x);
    if (op == "silu") return silu(x);
    throw std::invalid_argument("unknown op " + op);
}

Tensor leaf(const Tensor& t) {
    Tensor x = t.detach().clone();
    x.requires_grad_(true);
    return x;
}

// The module's output_size as PyTorch's constructor took it in each case of the generator.
nn::Value pool_size(int i) {
    switch (i) {
    case 0:
        return nn::Value::ints({1, 1});
    case 1:
        return nn::Value::ints({3, 4});
    case 2:
        return nn::Value::ints({7, 9});
    case 3:
        return nn::Value::ints({4, 2});
    case 4:
        return nn::Value::tuple({nn::Value(), nn::Value(3)});
    default:
        return nn::Value(6);
    }
}

// Values at least 0.05 away from every kink (-3, 0, 3, 6), in [-8, 8].
Tensor away_from_kinks(const Shape& shape, unsigned seed) {
    std::vector<double> v = test::random_double(shape, seed, -8.0, 8.0).to_vector();
    for (double& e : v)
        for (double kink : {-3.0, 0.0, 3.0, 6.0})
            if (std::abs(e - kink) < 0.05) e = kink + 0.1;
    return Tensor::from_vector(v, shape, DType::Float64);
}

} // namespace

class TestMobileOps : public QObject {
    Q_OBJECT

private slots:
    void activationsMatchPyTorch_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("dtype");
        for (const char* op : {"relu6", "hardsigmoid", "hardswish", "silu"})
            for (const char* dtype : {"f32", "f64"})
                QTest::addRow("%s_%s", op, dtype)
                    << QString::fromLatin1(op) << QString::fromLatin1(dtype);
    }

    void activationsMatchPyTorch() {
        QFETCH(QString, op);
        QFETCH(QString, dtype);
        const GoldenFile golden("mobile_ops/activations.safetensors");
        const std::string tag = dtype.toStdString();
        const std::string key = tag + "." + op.toStdString();
        Tensor x = leaf(golden.tensor(tag + ".x"));
        const Tensor y = run_op(op.toStdString(), x);
        const double tol = tag == "f32" ? 1e-6 : 1e-12;
        NNSCOPE_COMPARE_TENSORS(y, golden.tensor(key + ".y"), tol, tol);
        y.backward(golden.tensor(tag + ".grad_output"));
        // The kinks (-3, 0, 3, 6 exactly) take PyTorch's side.
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad"), tol, tol);
    }

    void activationsGradcheck_data() {
        QTest::addColumn<QString>("op");
        for (const char* op : {"relu6", "hardsigmoid", "hardswish", "silu"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void activationsGradcheck() {
        QFETCH(QString, op);
        const std::string name = op.toStdString();
        auto fn = [&](const std::vector<Tensor>& in) { return run_op(name, in[0]); };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{away_from_kinks({3, 7}, 16)}));
    }

    void activationModules() {
        const GoldenFile golden("mobile_ops/activations.safetensors");
        for (const char* type : {"ReLU6", "Hardsigmoid", "Hardswish", "SiLU"}) {
            const auto m = nn::make_module(type, {{"inplace", true}});
            QCOMPARE(m->repr(), golden.metadata(std::string("repr.") + type));
            QCOMPARE(nn::make_module(type, m->arguments())->repr(), m->repr());
            // The module computes the op (out of place, even when inplace).
            const Tensor x = golden.tensor("f32.x");
            std::string op = type;
            for (char& c : op)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            NNSCOPE_COMPARE_TENSORS((*m)(x), golden.tensor("f32." + op + ".y"), 1e-6, 1e-6);
            QCOMPARE(x.to_vector(), golden.tensor("f32.x").to_vector());
        }
        QCOMPARE(nn::make_module("ReLU6")->repr(), golden.metadata("repr.ReLU6.default"));
        QCOMPARE(nn::make_module("SiLU")->repr(), golden.metadata("repr.SiLU.default"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 nn::make_module("ReLU6", {{"inplace", nn::Value(1)}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 relu6(Tensor::from_vector({1.0, 2.0}, {2}, DType::Int64)));
    }

    void adaptivePoolMatchesPyTorch_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("dtype");
        for (int i = 0; i < 6; ++i)
            for (const char* dtype : {"f32", "f64"})
                QTest::addRow("case%d_%s", i, dtype) << i << QString::fromLatin1(dtype);
    }

    void adaptivePoolMatchesPyTorch() {
        QFETCH(int, index);
        QFETCH(QString, dtype);
        const GoldenFile golden("mobile_ops/adaptive_pool.safetensors");
        const std::string key = std::to_string(index) + "." + dtype.toStdString();
        const auto m = nn::make_module("AdaptiveAvgPool2d", {{"output_size", pool_size(index)}});
        QCOMPARE(m->repr(), golden.metadata(std::to_string(index) + ".repr"));
        Tensor x = leaf(golden.tensor(key + ".x"));
        const Tensor y = (*m)(x);
        const double tol = dtype == QLatin1String("f32") ? 1e-6 : 1e-12;
        NNSCOPE_COMPARE_TENSORS(y, golden.tensor(key + ".y"), tol, tol);
        y.backward(golden.tensor(key + ".grad_output"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad"), tol, tol);
    }

    void adaptivePoolGradcheck() {
        // Overlapping windows (5 -> 3) and windows wider than the step (5 -> 2).
        for (const Pair size : {Pair{3, 2}, Pair{1, 1}, Pair{6, 7}}) {
            auto fn = [&](const std::vector<Tensor>& in) {
                return adaptive_avg_pool2d(in[0], size);
            };
            NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{test::random_double({2, 2, 5, 5}, 17)}));
        }
    }

    void adaptivePoolRefusals() {
        const Tensor x = Tensor::zeros({2, 3});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adaptive_avg_pool2d(x, {1, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 adaptive_avg_pool2d(Tensor::zeros({1, 2, 3, 3}), {0, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 adaptive_avg_pool2d(Tensor::zeros({1, 2, 0, 3}), {1, 1}));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            nn::make_module("AdaptiveAvgPool2d", {{"output_size", nn::Value::ints({1, 2, 3})}}));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            nn::make_module("AdaptiveAvgPool2d", {{"output_size", nn::Value("big")}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, nn::make_module("AdaptiveAvgPool2d"));
    }
};

QTEST_GUILESS_MAIN(TestMobileOps)
#include "tst_mobile_ops.moc"
