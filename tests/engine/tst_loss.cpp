// Losses against PyTorch 1.13 (tests/golden/ops_arl/loss, written by
// gen_ops_activation_reduce_loss.py) and finite differences.

#include "arl_golden.h"
#include "engine/ops/activation.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/loss.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::GoldenFile;
using namespace nnscope::test::arl;

namespace {

const std::string kFile = "ops_arl/loss.safetensors";

Tensor apply(const Case& c, const Tensor& x, const Tensor& target, const Tensor& weight) {
    const std::string op = c.at("op");
    const std::string reduction = c.at("reduction");
    if (op == "mse_loss") return mse_loss(x, target, reduction);
    const std::int64_t ignore_index = c.at("ignore_index");
    if (op == "nll_loss") return nll_loss(x, target, weight, ignore_index, reduction);
    return cross_entropy(x, target, weight, ignore_index, reduction,
                         c.at("label_smoothing").get<double>());
}

// Class targets for an input of `classes` classes; -100 marks the ignored ones.
Tensor targets(const std::vector<std::int64_t>& values, const Shape& shape) {
    return Tensor::from_int64(values, shape);
}

} // namespace

class TestLoss : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() { add_case_rows(kFile); }

    void matchesPyTorch() {
        const auto [key, c, golden] = current_case(kFile);
        Tensor x = leaf(golden.tensor(key + ".x"));
        Tensor target = leaf(golden.tensor(key + ".target"));
        const Tensor weight =
            golden.has(key + ".weight") ? golden.tensor(key + ".weight") : Tensor();
        const Tensor out = apply(c, x, target, weight);
        check_case(golden, key, out, {{"grad", x}, {"grad_target", target}});
    }

    void gradcheckClassTargets_data() {
        QTest::addColumn<bool>("crossEntropy");
        QTest::addColumn<QString>("reduction");
        QTest::addColumn<bool>("weighted");
        QTest::addColumn<double>("smoothing");
        QTest::addColumn<bool>("spatial");
        for (bool ce : {false, true})
            for (const char* reduction : {"mean", "sum", "none"})
                for (bool weighted : {false, true})
                    for (double smoothing :
                         ce ? std::vector<double>{0.0, 0.3} : std::vector<double>{0.0})
                        for (bool spatial : {false, true})
                            QTest::addRow("%s.%s%s.ls%g%s", ce ? "cross_entropy" : "nll_loss",
                                          reduction, weighted ? ".weighted" : "", smoothing,
                                          spatial ? ".spatial" : "")
                                << ce << QString::fromLatin1(reduction) << weighted << smoothing
                                << spatial;
    }

    void gradcheckClassTargets() {
        QFETCH(bool, crossEntropy);
        QFETCH(QString, reduction);
        QFETCH(bool, weighted);
        QFETCH(double, smoothing);
        QFETCH(bool, spatial);
        // One ignored target (-100) in each layout.
        const Tensor target =
            spatial ? targets({0, 2, -100, 1}, {2, 2}) : targets({2, -100, 0, 1}, {4});
        const Tensor input = test::random_double(spatial ? Shape{2, 3, 2} : Shape{4, 3}, 8, -2, 2);
        const Tensor weight =
            weighted ? Tensor::from_vector({0.5, 2.0, 1.25}, {3}, DType::Float64) : Tensor();
        const std::string r = reduction.toStdString();
        auto fn = [=](const std::vector<Tensor>& in) {
            return crossEntropy ? cross_entropy(in[0], target, weight, -100, r, smoothing)
                                : nll_loss(in[0], target, weight, -100, r);
        };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{input}));
    }

    void gradcheckProbabilityTargets_data() {
        QTest::addColumn<QString>("reduction");
        QTest::addColumn<bool>("weighted");
        for (const char* reduction : {"mean", "sum", "none"})
            for (bool weighted : {false, true})
                QTest::addRow("%s%s", reduction, weighted ? ".weighted" : "")
                    << QString::fromLatin1(reduction) << weighted;
    }

    void gradcheckProbabilityTargets() {
        QFETCH(QString, reduction);
        QFETCH(bool, weighted);
        const Tensor weight =
            weighted ? Tensor::from_vector({0.5, 2.0, 1.25}, {3}, DType::Float64) : Tensor();
        const std::string r = reduction.toStdString();
        auto fn = [=](const std::vector<Tensor>& in) {
            return cross_entropy(in[0], in[1], weight, -100, r, 0.2);
        };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{test::random_double({2, 3, 2}, 9, -2, 2),
                                                   test::random_double({2, 3, 2}, 10, 0, 1)}));
    }

    void gradcheckMse_data() {
        QTest::addColumn<QString>("reduction");
        QTest::addColumn<bool>("broadcast");
        for (const char* reduction : {"mean", "sum", "none"})
            for (bool broadcast : {false, true})
                QTest::addRow("%s%s", reduction, broadcast ? ".broadcast" : "")
                    << QString::fromLatin1(reduction) << broadcast;
    }

    void gradcheckMse() {
        QFETCH(QString, reduction);
        QFETCH(bool, broadcast);
        const std::string r = reduction.toStdString();
        auto fn = [=](const std::vector<Tensor>& in) { return mse_loss(in[0], in[1], r); };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{
                                  test::random_double({3, 4}, 11),
                                  test::random_double(broadcast ? Shape{3, 1} : Shape{3, 4}, 12)}));
    }

    void crossEntropyEqualsLogSoftmaxThenNll() {
        // From the definition: cross_entropy(x, t) = nll_loss(log_softmax(x, 1), t).
        const Tensor x = test::random_double({5, 4}, 13, -3, 3);
        const Tensor t = targets({3, 0, 1, 3, 2}, {5});
        const Tensor w = Tensor::from_vector({1.0, 0.5, 2.0, 0.25}, {4}, DType::Float64);
        for (const char* reduction : {"mean", "sum", "none"})
            NNSCOPE_COMPARE_TENSORS(cross_entropy(x, t, w, -100, reduction),
                                    nll_loss(log_softmax(x, 1), t, w, -100, reduction), 1e-12,
                                    1e-12);
    }

    void stridedInputsMatchContiguous() {
        // Logits stored class-major and read through a transposed view give the same loss and
        // the same gradient (transposed back) as their contiguous copy.
        const Tensor stored = test::random_double({3, 4}, 16, -2, 2);
        const Tensor t = targets({2, 0, 1, 2}, {4});
        Tensor a = stored.clone();
        a.requires_grad_(true);
        Tensor b = stored.t().contiguous();
        b.requires_grad_(true);
        for (const char* reduction : {"mean", "none"}) {
            const Tensor la = cross_entropy(a.t(), t, Tensor(), -100, reduction, 0.1);
            const Tensor lb = cross_entropy(b, t, Tensor(), -100, reduction, 0.1);
            NNSCOPE_COMPARE_TENSORS(la, lb, 0, 0);
            NNSCOPE_COMPARE_TENSORS(nll_loss(a.t(), t, Tensor(), -100, reduction),
                                    nll_loss(b, t, Tensor(), -100, reduction), 0, 0);
            NNSCOPE_COMPARE_TENSORS(mse_loss(a.t(), b.detach() * 0.5, reduction),
                                    mse_loss(b, b.detach() * 0.5, reduction), 0, 0);
        }
        cross_entropy(a.t(), t).backward();
        cross_entropy(b, t).backward();
        NNSCOPE_COMPARE_TENSORS(a.grad().t().contiguous(), b.grad(), 0, 0);
    }

    void allIgnoredMeanIsNaN() {
        Tensor x = test::random_double({2, 3}, 14);
        x.requires_grad_(true);
        Tensor loss = cross_entropy(x, targets({-100, -100}, {2}));
        QVERIFY(std::isnan(loss.item()));
        loss.backward();
        QCOMPARE(x.grad().to_vector(), std::vector<double>(6, 0.0));
        QVERIFY(std::isnan(nll_loss(x, targets({-100, -100}, {2})).item()));
    }

    void backwardNames() {
        Tensor x = test::random_double({2, 3}, 15);
        x.requires_grad_(true);
        const Tensor t = targets({0, 2}, {2});
        QCOMPARE(nll_loss(x, t).grad_fn()->name(), std::string("NllLossBackward0"));
        QCOMPARE(cross_entropy(x, t).grad_fn()->name(), std::string("CrossEntropyLossBackward0"));
        QCOMPARE(mse_loss(x, x.detach()).grad_fn()->name(), std::string("MseLossBackward0"));
    }

    void errors() {
        const Tensor x = Tensor::zeros({3, 5});
        ARL_EXPECT_ERROR(nll_loss(x, targets({1, 2, 12}, {3})), "Target 12 is out of bounds.");
        ARL_EXPECT_ERROR(cross_entropy(x, targets({1, 2, -1}, {3})), "Target -1 is out of bounds.");
        ARL_EXPECT_ERROR(cross_entropy(x, targets({1, 7, 3}, {3}), Tensor(), 7, "mean", 0.1),
                         "<no error>"); // an ignored target is never range-checked
        ARL_EXPECT_ERROR(nll_loss(x, Tensor::zeros({3}, DType::Int32)),
                         "expected scalar type Long but found Int");
        ARL_EXPECT_ERROR(nll_loss(x, Tensor::zeros({3})),
                         "expected scalar type Long but found Float");
        ARL_EXPECT_ERROR(nll_loss(x, targets({1, 2}, {2})),
                         "Expected input batch_size (3) to match target batch_size (2).");
        ARL_EXPECT_ERROR(nll_loss(x, targets({1, 2, 1}, {3}), Tensor::ones({4})),
                         "weight tensor should be defined either for all 5 classes or no classes "
                         "but got weight tensor of shape: [4]");
        ARL_EXPECT_ERROR(nll_loss(x, targets({1, 2, 1}, {3}), Tensor::ones({5}, DType::Float64)),
                         "expected scalar type Float but found Double");
        ARL_EXPECT_ERROR(nll_loss(Tensor::zeros({3, 5, 2}), targets({1, 2, 1}, {3})),
                         "Expected target size [3, 2], got [3]");
        ARL_EXPECT_ERROR(
            nll_loss(Tensor::zeros({2, 3, 4, 5}), Tensor::zeros({2, 4, 6}, DType::Int64)),
            "Expected target size [2, 4, 5], got [2, 4, 6]");
        ARL_EXPECT_ERROR(nll_loss(Tensor::scalar(1.0), targets({1}, {})),
                         "Expected 1 or more dimensions (got 0)");
        ARL_EXPECT_ERROR(nll_loss(x, targets({1, 2, 1}, {3}), Tensor(), -100, "average"),
                         "average is not a valid value for reduction");
        ARL_EXPECT_ERROR(cross_entropy(x, targets({1, 2, 1}, {3}), Tensor(), -100, "mean", 1.5),
                         "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
        ARL_EXPECT_ERROR(cross_entropy(x, Tensor::zeros({3, 5}), Tensor(), 1),
                         "ignore_index is not supported for floating point target");
        ARL_EXPECT_ERROR(cross_entropy(x, Tensor::zeros({3, 5}, DType::Int64)),
                         "Expected floating point type for target with class probabilities, got "
                         "Long");
        ARL_EXPECT_ERROR(mse_loss(Tensor::zeros({3}), Tensor::zeros({4})), "[4]");
        ARL_EXPECT_ERROR(mse_loss(Tensor::zeros({3}), Tensor::zeros({3}), "all"),
                         "all is not a valid value for reduction");
    }
};

QTEST_GUILESS_MAIN(TestLoss)
#include "tst_loss.moc"
