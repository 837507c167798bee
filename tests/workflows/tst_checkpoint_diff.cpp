// Two checkpoints compared as PyTorch compares them (tests/golden/gen_diff.py): an MLP before and
// after five SGD steps, B saved DataParallel-style ("module." on every key), with a tensor only in
// A, one only in B, a shape change, a dtype change, a NaN and an all-zero pair. Max |b - a|,
// ||b - a|| / ||a||, cosine similarity, the differing count and torch.histc of the differences
// equal torch's; a folder of epochs gives torch's statistics per epoch in natural order. Plus the
// defined edge cases (zero norms), chunking across a strided view, and cancellation.

#include "engine/tensor.h"
#include "workflows/checkpoint_diff.h"
#include "workflows/checkpoint_series.h"

#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

std::filesystem::path golden(const std::string& file) {
    return std::filesystem::path(NNSCOPE_GOLDEN_DIR) / "diff" / file;
}

const nlohmann::json& expected() {
    static const nlohmann::json j = [] {
        std::ifstream in(golden("expected.json"));
        if (!in) qFatal("cannot read diff/expected.json");
        return nlohmann::json::parse(in);
    }();
    return j;
}

const TensorComparison& find(const CheckpointDiff& diff, const std::string& name) {
    for (const TensorComparison& t : diff.tensors)
        if (t.name == name) return t;
    qFatal("no row %s", name.c_str());
}

bool close(double actual, double expected, double rtol = 1e-12) {
    return std::abs(actual - expected) <= 1e-15 + rtol * std::abs(expected);
}

} // namespace

class TestCheckpointDiff : public QObject {
    Q_OBJECT
private slots:
    void pairsEqualTorch_data();
    void pairsEqualTorch();
    void structureIsListed();
    void zeroNormsAreDefined();
    void sortsByLargestChange();
    void chunksAcrossStridedViews();
    void cancelsBetweenChunks();
    void prefixStrippedOnlyWhenEveryNameHasIt();
    void naturalOrder();
    void folderSeriesEqualTorch();
    void unreadableFileNamesIt();
};

void TestCheckpointDiff::pairsEqualTorch_data() {
    QTest::addColumn<QString>("name");
    for (const auto& [name, _] : expected()["pairs"].items())
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestCheckpointDiff::pairsEqualTorch() {
    QFETCH(QString, name);
    static const CheckpointDiff diff =
        compare_checkpoints(golden("a.pt"), golden("b.pt"), expected()["bins"].get<int>());
    const nlohmann::json& e = expected()["pairs"][name.toStdString()];
    const TensorComparison& t = find(diff, name.toStdString());
    QCOMPARE(t.status, PairStatus::Matched);
    QVERIFY(t.diff);
    const TensorDiff& d = *t.diff;
    QVERIFY2(close(d.max_abs, e["max_abs"]), qPrintable(QString::number(d.max_abs, 'g', 17)));
    QVERIFY2(close(d.relative_change, e["relative"]),
             qPrintable(QString::number(d.relative_change, 'g', 17)));
    QVERIFY2(close(d.cosine, e["cosine"]), qPrintable(QString::number(d.cosine, 'g', 17)));
    QCOMPARE(d.differing, e["differing"].get<std::int64_t>());
    QCOMPARE(d.numel - d.compared, e["nonfinite"].get<std::int64_t>());
    QVERIFY(close(d.difference.min, e["diff_min"]));
    QVERIFY(close(d.difference.max, e["diff_max"]));
    QCOMPARE(d.histogram.counts, e["histc"].get<std::vector<std::int64_t>>());
}

void TestCheckpointDiff::structureIsListed() {
    const CheckpointDiff diff = compare_checkpoints(golden("a.pt"), golden("b.pt"));
    QVERIFY(!diff.stripped_a);
    QVERIFY(diff.stripped_b); // B was saved with "module." on every key
    QCOMPARE(find(diff, "extra.only_a").status, PairStatus::OnlyInA);
    QCOMPARE(find(diff, "extra.only_b").status, PairStatus::OnlyInB);
    const TensorComparison& shape = find(diff, "extra.shape");
    QCOMPARE(shape.status, PairStatus::ShapeMismatch);
    QCOMPARE(shape.shape_a, (Shape{3, 4}));
    QCOMPARE(shape.shape_b, (Shape{4, 3}));
    QVERIFY(!shape.diff);
    const TensorComparison& dtype = find(diff, "extra.dtype");
    QCOMPARE(dtype.status, PairStatus::Matched); // compared in float64, and marked
    QVERIFY(dtype.dtype_changed);
    QCOMPARE(dtype.dtype_a, std::string("float32"));
    QCOMPARE(dtype.dtype_b, std::string("float64"));
    const TensorDiff& nan = *find(diff, "extra.nan").diff;
    QCOMPARE(nan.difference.nan, std::int64_t(1)); // reported, not propagated
    QCOMPARE(nan.nonfinite_b, std::int64_t(1));
    QCOMPARE(nan.compared, std::int64_t(5));
    QVERIFY(std::isfinite(nan.relative_change));
    QCOMPARE(diff.count(PairStatus::Matched), std::int64_t(7)); // 4 MLP, dtype, nan, zero
    QCOMPARE(diff.count(PairStatus::OnlyInA), std::int64_t(1));
    QCOMPARE(diff.count(PairStatus::OnlyInB), std::int64_t(1));
}

void TestCheckpointDiff::zeroNormsAreDefined() {
    const Tensor zero = Tensor::zeros({4});
    const TensorDiff same = diff_tensors(zero, zero, 8);
    QCOMPARE(same.relative_change, 0.0);
    QCOMPARE(same.cosine, 1.0);
    QCOMPARE(same.differing, std::int64_t(0));
    QCOMPARE(same.histogram.counts.size(), std::size_t(8));
    const Tensor grown = Tensor::from_vector({0, 1, 0, 0}, {4});
    const TensorDiff from_zero = diff_tensors(zero, grown, 8);
    QCOMPARE(from_zero.relative_change, std::numeric_limits<double>::infinity());
    QCOMPARE(from_zero.cosine, 0.0);
    QCOMPARE(from_zero.differing, std::int64_t(1));
    QCOMPARE(diff_tensors(grown, zero, 8).relative_change, 1.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, diff_tensors(zero, Tensor::zeros({2, 2}), 8));
}

void TestCheckpointDiff::sortsByLargestChange() {
    const CheckpointDiff diff = compare_checkpoints(golden("a.pt"), golden("b.pt"));
    double last = std::numeric_limits<double>::infinity();
    std::size_t i = 0;
    for (; i < diff.tensors.size() && diff.tensors[i].status == PairStatus::Matched; ++i) {
        QVERIFY(diff.tensors[i].diff->relative_change <= last);
        last = diff.tensors[i].diff->relative_change;
    }
    QCOMPARE(i, std::size_t(7));
    QCOMPARE(diff.tensors[i].status, PairStatus::ShapeMismatch);
    QCOMPARE(diff.tensors[i + 1].status, PairStatus::OnlyInA);
    QCOMPARE(diff.tensors[i + 2].status, PairStatus::OnlyInB);
    QCOMPARE(diff.tensors.back().name, std::string("extra.only_b"));
    const CheckpointDiff by_name =
        compare_checkpoints(golden("a.pt"), golden("b.pt"), 16, DiffOrder::Name);
    QCOMPARE(by_name.tensors.front().name, std::string("0.bias"));
}

void TestCheckpointDiff::chunksAcrossStridedViews() {
    // 3 chunks and a bit, B read through a transposed view: the same figures as elementwise.
    const std::int64_t rows = 1536, cols = 2100; // 3,225,600 elements
    std::vector<double> va(rows * cols), vb(rows * cols);
    double dd = 0, aa = 0, max_abs = 0;
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) {
            const double a = std::sin(0.001 * static_cast<double>(r * cols + c));
            const double d = (r + c) % 7 == 0 ? 0.0 : 1e-3 * std::cos(static_cast<double>(r - c));
            va[r * cols + c] = a;
            vb[c * rows + r] = a + d; // stored transposed
            dd += d * d, aa += a * a, max_abs = std::max(max_abs, std::abs(d));
        }
    const Tensor a = Tensor::from_vector(va, {rows, cols}, DType::Float64);
    const Tensor b = Tensor::from_vector(vb, {cols, rows}, DType::Float64).t();
    QVERIFY(!b.is_contiguous());
    std::int64_t last = 0;
    int calls = 0;
    const TensorDiff d = diff_tensors(a, b, 32, {}, [&](std::int64_t done) {
        QVERIFY(done > last);
        last = done;
        ++calls;
    });
    QCOMPARE(last, 2 * rows * cols);
    QCOMPARE(calls, 8); // 4 chunks per pass
    QVERIFY(close(d.max_abs, max_abs, 1e-12));
    QVERIFY(close(d.relative_change, std::sqrt(dd / aa), 1e-9));
    std::int64_t counted = 0;
    for (std::int64_t c : d.histogram.counts)
        counted += c;
    QCOMPARE(counted, rows * cols);
}

void TestCheckpointDiff::cancelsBetweenChunks() {
    const Tensor a = Tensor::zeros({3 << 20});
    int asked = 0;
    QVERIFY_THROWS_EXCEPTION(stats::StatsCancelled,
                             diff_tensors(a, a, 8, [&] { return ++asked > 1; }));
    QCOMPARE(asked, 2); // stopped before the second chunk
}

void TestCheckpointDiff::prefixStrippedOnlyWhenEveryNameHasIt() {
    std::vector<std::string> all{"module.a", "module.b.weight"};
    QVERIFY(strip_data_parallel(all));
    QCOMPARE(all, (std::vector<std::string>{"a", "b.weight"}));
    std::vector<std::string> mixed{"module.a", "a"};
    QVERIFY(!strip_data_parallel(mixed));
    QCOMPARE(mixed, (std::vector<std::string>{"module.a", "a"}));
}

void TestCheckpointDiff::naturalOrder() {
    QVERIFY(natural_less("epoch_2.pt", "epoch_10.pt"));
    QVERIFY(!natural_less("epoch_10.pt", "epoch_2.pt"));
    QVERIFY(natural_less("a", "b"));
    QVERIFY(natural_less("ckpt-9", "ckpt-009a"));
    QVERIFY(natural_less("x1", "x01") != natural_less("x01", "x1")); // a total order
}

void TestCheckpointDiff::folderSeriesEqualTorch() {
    SeriesBuilder builder(golden("epochs"));
    while (!builder.done())
        builder.next();
    const CheckpointSeries series = builder.take();
    const nlohmann::json& e = expected()["epochs"];
    QCOMPARE(series.files, e["files"].get<std::vector<std::string>>());
    QCOMPARE(series.tensors.size(), e["tensors"].size());
    for (const auto& [name, want] : e["tensors"].items()) {
        const TensorSeries* t = series.find(name);
        QVERIFY2(t, name.c_str());
        for (std::size_t i = 0; i < series.files.size(); ++i) {
            QVERIFY(close(t->mean[i], want["mean"][i], 1e-9));
            QVERIFY(close(t->std[i], want["std"][i], 1e-9));
            QVERIFY(close(t->min[i], want["min"][i]));
            QVERIFY(close(t->max[i], want["max"][i]));
            QVERIFY2(close(t->norm[i], want["norm"][i], 1e-9), name.c_str());
            if (want["change"][i].is_null())
                QVERIFY(std::isnan(t->change[i]));
            else
                QVERIFY(close(t->change[i], want["change"][i], 1e-9));
        }
    }
}

void TestCheckpointDiff::unreadableFileNamesIt() {
    const auto missing = golden("no_such.pt");
    try {
        compare_checkpoints(golden("a.pt"), missing);
        QFAIL("no exception");
    } catch (const std::exception& e) {
        QVERIFY2(std::string(e.what()).find("no_such.pt") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, SeriesBuilder(golden("a.pt")));
}

QTEST_GUILESS_MAIN(TestCheckpointDiff)
#include "tst_checkpoint_diff.moc"
