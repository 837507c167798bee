// stats::summarize_tensor / tensor_stats / histc over any engine Tensor: torch.histc bins and
// torch's min/max/mean/std (goldens from tests/golden/gen_snapshot.py), strided views read in
// chunks without a copy, every dtype, non-finite values, empty and 0-D tensors, cancellation.

#include "engine/stats/tensor_stats.h"
#include "engine/tensor.h"
#include "support/golden.h"

#include <QtTest>
#include <cmath>
#include <limits>

using namespace nnscope;

namespace {

const test::GoldenFile& golden() {
    static const test::GoldenFile file("snapshot/histc.safetensors");
    return file;
}

bool close(double actual, double expected) {
    return std::abs(actual - expected) <= 1e-12 + 1e-9 * std::abs(expected);
}

// Every field of two summaries equal (std and mean to rounding: the same elements, summed in the
// same order, give the same bits, but the tests do not need to rely on it).
void compare(const stats::TensorSummary& a, const stats::TensorSummary& b) {
    QCOMPARE(a.stats.numel, b.stats.numel);
    QCOMPARE(a.stats.finite, b.stats.finite);
    QCOMPARE(a.stats.nan, b.stats.nan);
    QCOMPARE(a.stats.zeros, b.stats.zeros);
    QCOMPARE(a.stats.min, b.stats.min);
    QCOMPARE(a.stats.max, b.stats.max);
    QVERIFY(close(a.stats.mean, b.stats.mean));
    QVERIFY(close(a.stats.std, b.stats.std));
    QCOMPARE(a.histogram.lo, b.histogram.lo);
    QCOMPARE(a.histogram.hi, b.histogram.hi);
    QCOMPARE(a.histogram.counts, b.histogram.counts);
}

Tensor ramp(std::int64_t n, const Shape& shape) {
    std::vector<double> values(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        values[static_cast<std::size_t>(i)] = std::sin(0.001 * static_cast<double>(i)) * 3;
    return Tensor::from_vector(values, shape);
}

} // namespace

class TestTensorStats : public QObject {
    Q_OBJECT
private slots:
    void histcGolden_data() {
        QTest::addColumn<QString>("name");
        for (const char* c : {"randn", "rank3", "edges", "thirds", "constant", "f64", "nonfinite"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }
    void histcGolden() {
        QFETCH(QString, name);
        const std::string c = name.toStdString();
        const int bins = std::stoi(golden().metadata(c + ".bins"));
        const Tensor input = golden().tensor(c + ".input");
        const stats::TensorSummary s = stats::summarize_tensor(input, bins);
        QCOMPARE(s.histogram.counts, golden().tensor(c + ".counts").to_int64_vector());
        const std::vector<double> range = golden().tensor(c + ".range").to_vector();
        QCOMPARE(s.histogram.lo, range[0]);
        QCOMPARE(s.histogram.hi, range[1]);
        const std::vector<double> expected = golden().tensor(c + ".stats").to_vector();
        QCOMPARE(s.stats.min, expected[0]);
        QCOMPARE(s.stats.max, expected[1]);
        QVERIFY2(close(s.stats.mean, expected[2]), qPrintable(QString::number(s.stats.mean)));
        QVERIFY2(close(s.stats.std, expected[3]), qPrintable(QString::number(s.stats.std)));
        QCOMPARE(s.stats.numel, input.numel());
        // tensor_stats and histc alone give the same numbers.
        const stats::TensorStats alone = stats::tensor_stats(input);
        QCOMPARE(alone.std, s.stats.std);
        QCOMPARE(stats::histc(input, bins, range[0], range[1]).counts, s.histogram.counts);
    }

    void stepSliceByHand() {
        // arange(10)[::3] = [0, 3, 6, 9]: mean 4.5, std sqrt(15), 3 bins over [0, 9].
        const Tensor t = Tensor::arange(10, DType::Float32).slice(0, 0, 10, 3);
        QVERIFY(!t.is_contiguous());
        const stats::TensorSummary s = stats::summarize_tensor(t, 3);
        QCOMPARE(s.stats.numel, std::int64_t(4));
        QCOMPARE(s.stats.mean, 4.5);
        QVERIFY(close(s.stats.std, std::sqrt(15.0)));
        QCOMPARE(s.stats.zeros, std::int64_t(1));
        QCOMPARE(s.stats.zero_fraction(), 0.25);
        QCOMPARE(s.histogram.counts, (std::vector<std::int64_t>{1, 1, 2})); // 9 on the edge
    }

    void stridedViewsMatchTheirCopies_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("transposed") << 0;
        QTest::newRow("step slice of a column block") << 1;
        QTest::newRow("permuted rank 3") << 2;
        QTest::newRow("expanded (stride 0)") << 3;
        QTest::newRow("transposed, several chunks") << 4;
    }
    void stridedViewsMatchTheirCopies() {
        QFETCH(int, which);
        Tensor view;
        switch (which) {
        case 0:
            view = golden().tensor("randn.input").reshape({25, 40}).t();
            break;
        case 1:
            view = ramp(60 * 70, {60, 70}).slice(1, 5, 65, 4).slice(0, 1, 60, 7);
            break;
        case 2:
            view = golden().tensor("rank3.input").permute({2, 0, 1});
            break;
        case 3:
            view = ramp(7, {1, 7}).expand({5, 7});
            break;
        default: // 1.5 M elements: the odometer carries across chunk boundaries mid-row
            view = ramp(1000 * 1500, {1000, 1500}).t();
            break;
        }
        QVERIFY(!view.is_contiguous());
        compare(stats::summarize_tensor(view, 37), stats::summarize_tensor(view.contiguous(), 37));
    }

    void everyDtype_data() {
        QTest::addColumn<int>("dtype");
        for (const DType d : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16,
                              DType::Int64, DType::Int32, DType::Int16, DType::Int8, DType::UInt8})
            QTest::newRow(std::string(dtype_name(d)).c_str()) << static_cast<int>(d);
    }
    void everyDtype() {
        QFETCH(int, dtype);
        // [[0, 1], [3, 4]] transposed: [0, 3, 1, 4]; mean 2, std sqrt(10 / 3), 4 bins over [0, 4].
        const Tensor t =
            Tensor::from_vector({0, 1, 3, 4}, {2, 2}).to(static_cast<DType>(dtype)).t();
        const stats::TensorSummary s = stats::summarize_tensor(t, 4);
        QCOMPARE(s.stats.numel, std::int64_t(4));
        QCOMPARE(s.stats.finite, std::int64_t(4));
        QCOMPARE(s.stats.zeros, std::int64_t(1));
        QCOMPARE(s.stats.min, 0.0);
        QCOMPARE(s.stats.max, 4.0);
        QCOMPARE(s.stats.mean, 2.0);
        QVERIFY(close(s.stats.std, std::sqrt(10.0 / 3.0)));
        QCOMPARE(s.histogram.counts, (std::vector<std::int64_t>{1, 1, 0, 2}));
    }

    void boolTensor() {
        const Tensor t = Tensor::from_vector({1, 0, 1, 1}, {4}).to(DType::Bool);
        const stats::TensorSummary s = stats::summarize_tensor(t, 2);
        QCOMPARE(s.stats.mean, 0.75);
        QCOMPARE(s.stats.zeros, std::int64_t(1));
        QCOMPARE(s.histogram.counts, (std::vector<std::int64_t>{1, 3}));
    }

    void nonFinite_data() {
        QTest::addColumn<int>("dtype");
        for (const DType d : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16})
            QTest::newRow(std::string(dtype_name(d)).c_str()) << static_cast<int>(d);
    }
    void nonFinite() {
        QFETCH(int, dtype);
        const double inf = std::numeric_limits<double>::infinity();
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const Tensor t = Tensor::from_vector({nan, 1, -inf, inf, 0, nan, -1}, {7})
                             .to(static_cast<DType>(dtype))
                             .slice(0, 0, 7, 1);
        const stats::TensorSummary s = stats::summarize_tensor(t, 2);
        QCOMPARE(s.stats.nan, std::int64_t(2));
        QCOMPARE(s.stats.pos_inf, std::int64_t(1));
        QCOMPARE(s.stats.neg_inf, std::int64_t(1));
        QCOMPARE(s.stats.finite, std::int64_t(3));
        QCOMPARE(s.stats.mean, 0.0);
        QCOMPARE(s.stats.std, 1.0);
        QCOMPARE(s.histogram.counts, (std::vector<std::int64_t>{1, 2})); // 0 on the middle edge
        const stats::TensorSummary none =
            stats::summarize_tensor(Tensor::from_vector({nan, inf}, {2}), 3);
        QVERIFY(std::isnan(none.stats.min) && std::isnan(none.stats.mean));
        QCOMPARE(none.histogram.lo, -1.0); // nothing finite: histc's [0, 0] widened
        QCOMPARE(none.histogram.counts, std::vector<std::int64_t>(3, 0));
    }

    void emptyAndZeroDim() {
        const stats::TensorSummary empty = stats::summarize_tensor(Tensor::zeros({0, 3}), 4);
        QCOMPARE(empty.stats.numel, std::int64_t(0));
        QCOMPARE(empty.stats.finite, std::int64_t(0));
        QVERIFY(std::isnan(empty.stats.mean) && std::isnan(empty.stats.std));
        QCOMPARE(empty.stats.zero_fraction(), 0.0);
        QCOMPARE(empty.histogram.counts, std::vector<std::int64_t>(4, 0));
        // A 0-D tensor is one element; constant, so histc widens [2.5, 2.5] to [1.5, 3.5].
        const stats::TensorSummary scalar = stats::summarize_tensor(Tensor::scalar(2.5), 4);
        QCOMPARE(scalar.stats.numel, std::int64_t(1));
        QCOMPARE(scalar.stats.mean, 2.5);
        QVERIFY(std::isnan(scalar.stats.std)); // unbiased std of one element
        QCOMPARE(scalar.histogram.lo, 1.5);
        QCOMPARE(scalar.histogram.hi, 3.5);
        QCOMPARE(scalar.histogram.counts, (std::vector<std::int64_t>{0, 0, 1, 0}));
    }

    void histcWithARange() {
        const Tensor t = Tensor::from_vector({-5, 0, 0.5, 1, 2, 7}, {6});
        QCOMPARE(stats::histc(t, 2, 0, 1).counts, (std::vector<std::int64_t>{1, 2}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stats::histc(t, 0, 0, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stats::histc(t, 2, 1, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stats::summarize_tensor(t, 0));
    }

    void cancelMidTensor_data() {
        QTest::addColumn<bool>("strided");
        QTest::newRow("contiguous") << false;
        QTest::newRow("strided") << true;
    }
    void cancelMidTensor() {
        QFETCH(bool, strided);
        // 3 M elements: 3 chunks a pass. The predicate says stop at its second question, so the
        // first pass has read one chunk, and no further one is read.
        Tensor t = Tensor::zeros({3000, 1000});
        if (strided) t = t.t();
        int asked = 0;
        const auto stop = [&asked] { return ++asked == 2; };
        QVERIFY_THROWS_EXCEPTION(stats::StatsCancelled, stats::summarize_tensor(t, 8, stop));
        QCOMPARE(asked, 2);
        asked = 0;
        const auto never = [&asked] { return ++asked < 0; };
        stats::summarize_tensor(t, 8, never);
        QCOMPARE(asked, 6); // asked before each of 3 chunks, in each of the two passes
    }
};

QTEST_GUILESS_MAIN(TestTensorStats)
#include "tst_tensor_stats.moc"
