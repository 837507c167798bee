// Pointwise ops against PyTorch 1.13 (tests/golden/gen_elementwise.py) and finite differences.

#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

Tensor leaf(const Tensor& t) {
    Tensor l = t.clone();
    l.requires_grad_(true);
    return l;
}

Tensor binary(const QString& op, const Tensor& a, const Tensor& b) {
    if (op == QLatin1String("add")) return add(a, b);
    if (op == QLatin1String("sub")) return sub(a, b);
    if (op == QLatin1String("mul")) return mul(a, b);
    if (op == QLatin1String("div")) return div(a, b);
    return pow(a, b);
}

} // namespace

class TestElementwise : public QObject {
    Q_OBJECT

private slots:
    void binaryMatchesPyTorch_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<int>("index");
        const char* ops[] = {"add", "sub", "mul", "div", "pow"};
        int index = 0;
        for (const char* op : ops)
            for (int shape = 0; shape < 6; ++shape, ++index)
                QTest::addRow("%s.%d", op, index) << QString::fromLatin1(op) << index;
    }

    void binaryMatchesPyTorch() {
        QFETCH(QString, op);
        QFETCH(int, index);
        GoldenFile golden("elementwise/binary.safetensors");
        const std::string key = op.toStdString() + "." + std::to_string(index);
        Tensor a = leaf(golden.tensor(key + ".a"));
        Tensor b = leaf(golden.tensor(key + ".b"));
        Tensor out = binary(op, a, b);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        out.backward(golden.tensor(key + ".grad_out"));
        NNSCOPE_COMPARE_TENSORS(a.grad(), golden.tensor(key + ".grad_a"), 1e-5, 1e-4);
        NNSCOPE_COMPARE_TENSORS(b.grad(), golden.tensor(key + ".grad_b"), 1e-5, 1e-4);
    }

    void addWithAlpha() {
        GoldenFile golden("elementwise/binary.safetensors");
        Tensor a = leaf(golden.tensor("alpha.a"));
        Tensor b = leaf(golden.tensor("alpha.b"));
        Tensor out = add(a, b, -2.5);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor("alpha.out"), 1e-12, 1e-12);
        sum(out).backward();
        NNSCOPE_COMPARE_TENSORS(a.grad(), golden.tensor("alpha.grad_a"), 1e-12, 1e-12);
        NNSCOPE_COMPARE_TENSORS(b.grad(), golden.tensor("alpha.grad_b"), 1e-12, 1e-12);
    }

    void unaryMatchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("source");
        for (auto [name, source] : {std::pair{"exp", "x"},
                                    {"log", "positive"},
                                    {"sqrt", "positive"},
                                    {"abs", "x"},
                                    {"neg", "x"},
                                    {"clamp", "x"},
                                    {"clamp_min", "x"},
                                    {"pow2", "x"},
                                    {"pow_half", "positive"},
                                    {"pow_neg", "positive"}})
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(source);
    }

    void unaryMatchesPyTorch() {
        QFETCH(QString, name);
        QFETCH(QString, source);
        GoldenFile golden("elementwise/unary.safetensors");
        Tensor x = leaf(golden.tensor(source.toStdString()));
        Tensor out;
        if (name == QLatin1String("exp")) out = exp(x);
        if (name == QLatin1String("log")) out = log(x);
        if (name == QLatin1String("sqrt")) out = sqrt(x);
        if (name == QLatin1String("abs")) out = abs(x);
        if (name == QLatin1String("neg")) out = neg(x);
        if (name == QLatin1String("clamp")) out = clamp(x, -0.5, 0.7);
        if (name == QLatin1String("clamp_min")) out = clamp(x, 0.1, std::nullopt);
        if (name == QLatin1String("pow2")) out = pow(x, 2.0);
        if (name == QLatin1String("pow_half")) out = pow(x, 0.5);
        if (name == QLatin1String("pow_neg")) out = pow(x, -1.5);
        const std::string key = name.toStdString();
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        out.backward(golden.tensor(key + ".grad_out"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad"), 1e-5, 1e-4);
    }

    void erfMatchesStdErf() {
        // torch.erf([-2, -0.5, 0, 0.5, 2]) in float64
        const Tensor x = Tensor::from_vector({-2.0, -0.5, 0.0, 0.5, 2.0}, {5}, DType::Float64);
        const Tensor expected = Tensor::from_vector(
            {-0.9953222650189527, -0.5204998778130465, 0.0, 0.5204998778130465, 0.9953222650189527},
            {5}, DType::Float64);
        NNSCOPE_COMPARE_TENSORS(erf(x), expected, 1e-15, 1e-14);
    }

    void logOfNonPositiveFollowsIeee() {
        GoldenFile golden("elementwise/unary.safetensors");
        NNSCOPE_COMPARE_TENSORS(log(golden.tensor("log_edge.in")), golden.tensor("log_edge.out"), 0,
                                0);
    }

    void gradcheckBinary_data() {
        QTest::addColumn<QString>("op");
        for (const char* op : {"add", "sub", "mul", "div", "pow"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void gradcheckBinary() {
        QFETCH(QString, op);
        auto fn = [op](const std::vector<Tensor>& in) { return binary(op, in[0], in[1]); };
        // Broadcasting both ways; positive bases so pow is smooth in both arguments.
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{test::random_double({2, 3}, 1, 0.5, 2.0),
                                                   test::random_double({3}, 2, 0.5, 2.0)}));
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{test::random_double({2, 1}, 3, 0.5, 2.0),
                                                   test::random_double({1, 4}, 4, 0.5, 2.0)}));
    }

    void gradcheckUnary() {
        const std::vector<Tensor> away_from_kinks{test::random_double({3, 2}, 5, 0.2, 1.0)};
        const std::vector<Tensor> signed_values{
            Tensor::from_vector({-0.9, -0.3, 0.4, 0.8, 1.7, -1.2}, {3, 2}, DType::Float64)};
        NNSCOPE_GRADCHECK([](const auto& in) { return exp(in[0]); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return erf(in[0]); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return log(in[0]); }, away_from_kinks);
        NNSCOPE_GRADCHECK([](const auto& in) { return sqrt(in[0]); }, away_from_kinks);
        NNSCOPE_GRADCHECK([](const auto& in) { return abs(in[0]); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return neg(in[0]); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return clamp(in[0], -0.5, 1.0); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return pow(in[0], 3.0); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return pow(in[0], -0.5); }, away_from_kinks);
        NNSCOPE_GRADCHECK([](const auto& in) { return mul(in[0], 2.5); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return div(in[0], -4.0); }, signed_values);
        NNSCOPE_GRADCHECK([](const auto& in) { return add(in[0], 3.0); }, signed_values);
    }

    void gradcheckWhere() {
        Tensor cond = Tensor::from_vector({1, 0, 0, 1, 1, 0}, {2, 3}, DType::Bool);
        NNSCOPE_GRADCHECK(
            [cond](const auto& in) { return where(cond, in[0], in[1]); },
            (std::vector<Tensor>{test::random_double({2, 3}, 6), test::random_double({3}, 7)}));
    }

    void shapesThatDoNotBroadcastNameBoth() {
        try {
            add(Tensor::ones({2, 3}), Tensor::ones({4}));
            QFAIL("expected an error");
        } catch (const std::invalid_argument& error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(QStringLiteral("[2, 3]")) &&
                         message.contains(QStringLiteral("[4]")),
                     qPrintable(message));
        }
    }

    void typePromotionMatchesPyTorch() {
        GoldenFile golden("elementwise/promotions.safetensors");
        const QString rows = QString::fromStdString(golden.metadata("rows"));
        int checked = 0;
        for (const QString& row : rows.split(QLatin1Char(';'))) {
            const QStringList f = row.split(QLatin1Char(','));
            const DType a = dtype_from_name(f[0].toStdString());
            const DType b = dtype_from_name(f[2].toStdString());
            const Tensor ta = Tensor::ones(Shape(f[1].toInt(), 2), a);
            const Tensor tb = Tensor::ones(Shape(f[3].toInt(), 2), b);
            QCOMPARE(QString::fromLatin1(dtype_name(result_type(ta, tb)).data()), f[4]);
            ++checked;
        }
        QCOMPARE(checked, 300);
    }

    void integerDivisionIsTrueDivision() {
        Tensor a = Tensor::from_int64({7, -7}, {2});
        Tensor b = Tensor::from_int64({2, 2}, {2});
        Tensor q = div(a, b);
        QCOMPARE(q.dtype(), DType::Float32);
        QCOMPARE(q.to_vector(), (std::vector<double>{3.5, -3.5}));
    }

    void integerPowerStaysInteger() {
        Tensor a = Tensor::from_int64({2, 3, -2}, {3});
        Tensor p = pow(a, Tensor::from_int64({10, 3, 3}, {3}));
        QCOMPARE(p.dtype(), DType::Int64);
        QCOMPARE(p.to_int64_vector(), (std::vector<std::int64_t>{1024, 27, -8}));
    }

    void comparisonsGiveBool() {
        Tensor a = Tensor::from_vector({1, 2, 3}, {3});
        Tensor m = gt(a, Tensor::scalar(1.5));
        QCOMPARE(m.dtype(), DType::Bool);
        QCOMPARE(m.to_vector(), (std::vector<double>{0, 1, 1}));
        QCOMPARE(isnan(Tensor::from_vector({NAN, 1.0}, {2})).to_vector(),
                 (std::vector<double>{1, 0}));
    }
};

QTEST_GUILESS_MAIN(TestElementwise)
#include "tst_elementwise.moc"
