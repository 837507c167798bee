// Activations and (log-)softmax against PyTorch 1.13 (tests/golden/ops_arl/activation, written
// by gen_ops_activation_reduce_loss.py) and finite differences.

#include "arl_golden.h"
#include "engine/ops/activation.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::GoldenFile;
using namespace nnscope::test::arl;

namespace {

const std::string kFile = "ops_arl/activation.safetensors";

Tensor apply(const std::string& op, const Tensor& x, std::int64_t dim) {
    if (op == "relu") return relu(x);
    if (op == "sigmoid") return sigmoid(x);
    if (op == "tanh") return nnscope::tanh(x);
    if (op == "gelu_none") return gelu(x, "none");
    if (op == "gelu_tanh") return gelu(x, "tanh");
    if (op == "softmax") return softmax(x, dim);
    if (op == "log_softmax") return log_softmax(x, dim);
    throw std::invalid_argument("unknown op " + op);
}

// Values at least 0.1 away from relu's kink, of both signs.
Tensor away_from_zero(const Shape& shape, unsigned seed) {
    std::vector<double> v = test::random_double(shape, seed, 0.1, 1.0).to_vector();
    for (std::size_t i = 0; i < v.size(); ++i)
        if (i % 2) v[i] = -v[i];
    return Tensor::from_vector(v, shape, DType::Float64);
}

} // namespace

class TestActivation : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() { add_case_rows(kFile); }

    void matchesPyTorch() {
        const auto [key, c, golden] = current_case(kFile);
        Tensor x = leaf(golden.tensor(key + ".x"));
        const Tensor out = apply(c.at("op"), maybe_transpose(x, c), c.value("dim", 0));
        check_case(golden, key, out, {{"grad", x}});
    }

    void gradcheckPointwise_data() {
        QTest::addColumn<QString>("op");
        for (const char* op : {"relu", "sigmoid", "tanh", "gelu_none", "gelu_tanh"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void gradcheckPointwise() {
        QFETCH(QString, op);
        const std::string name = op.toStdString();
        auto fn = [name](const std::vector<Tensor>& in) { return apply(name, in[0], 0); };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{away_from_zero({3, 4}, 1)}));
        // Through a transposed view, and with larger magnitudes for the saturating ones.
        auto strided = [name](const std::vector<Tensor>& in) {
            return apply(name, in[0].transpose(0, 1), 0);
        };
        NNSCOPE_GRADCHECK(strided, (std::vector<Tensor>{test::random_double({2, 3}, 2, 0.2, 3.0)}));
    }

    void gradcheckSoftmax_data() {
        QTest::addColumn<bool>("log");
        QTest::addColumn<int>("dim");
        QTest::addColumn<bool>("transpose");
        for (bool log : {false, true})
            for (int dim : {0, 1, 2, -1})
                for (bool transpose : {false, true})
                    QTest::addRow("%s.dim%d%s", log ? "log_softmax" : "softmax", dim,
                                  transpose ? ".strided" : "")
                        << log << dim << transpose;
    }

    void gradcheckSoftmax() {
        QFETCH(bool, log);
        QFETCH(int, dim);
        QFETCH(bool, transpose);
        auto fn = [=](const std::vector<Tensor>& in) {
            const Tensor x = transpose ? in[0].transpose(0, 2) : in[0];
            return log ? log_softmax(x, dim) : softmax(x, dim);
        };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{test::random_double({2, 3, 4}, 3, -2.0, 2.0)}));
    }

    void softmaxOfHugeLogitsIsExact() {
        // exp(1000) overflows; with the max subtracted the answer is exp(0)/(1+exp(-1)).
        const Tensor x = Tensor::from_vector({1000.0, 999.0}, {2});
        const auto y = softmax(x, 0).to_vector();
        QVERIFY(std::abs(y[0] - 1.0 / (1.0 + std::exp(-1.0))) < 1e-6);
        const auto ly = log_softmax(x, 0).to_vector();
        QVERIFY(std::abs(ly[1] - (-1.0 - std::log1p(std::exp(-1.0)))) < 1e-5);
    }

    void integerInputs() {
        const Tensor ints = Tensor::from_int64({-2, 0, 3}, {3});
        // relu keeps the integer dtype; sigmoid and tanh compute in float32, as PyTorch.
        const Tensor r = relu(ints);
        QCOMPARE(r.dtype(), DType::Int64);
        QCOMPARE(r.to_int64_vector(), (std::vector<std::int64_t>{0, 0, 3}));
        const Tensor s = sigmoid(ints);
        QCOMPARE(s.dtype(), DType::Float32);
        QCOMPARE(s.to_vector()[1], 0.5);
        QCOMPARE(nnscope::tanh(ints).dtype(), DType::Float32);
    }

    void errors() {
        ARL_EXPECT_ERROR(gelu(Tensor::ones({2}), "fast"),
                         "approximate argument must be either none or tanh.");
        ARL_EXPECT_ERROR(relu(Tensor::ones({2}, DType::Bool)),
                         "Boolean inputs not supported for relu");
        ARL_EXPECT_ERROR(softmax(Tensor::ones({2, 3}), 2), "dimension out of range");
        ARL_EXPECT_ERROR(log_softmax(Tensor::ones({2, 3}), -3), "but got -3");
        ARL_EXPECT_ERROR(softmax(Tensor::ones({3}, DType::Int64), 0), "int64");
    }

    void backwardNames() {
        Tensor x = Tensor::ones({2, 2});
        x.requires_grad_(true);
        QCOMPARE(relu(x).grad_fn()->name(), std::string("ReluBackward0"));
        QCOMPARE(sigmoid(x).grad_fn()->name(), std::string("SigmoidBackward0"));
        QCOMPARE(nnscope::tanh(x).grad_fn()->name(), std::string("TanhBackward0"));
        QCOMPARE(gelu(x).grad_fn()->name(), std::string("GeluBackward0"));
        QCOMPARE(softmax(x, 1).grad_fn()->name(), std::string("SoftmaxBackward0"));
        QCOMPARE(log_softmax(x, 1).grad_fn()->name(), std::string("LogSoftmaxBackward0"));
    }
};

QTEST_GUILESS_MAIN(TestActivation)
#include "tst_activation.moc"
