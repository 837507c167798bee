// make_tensor_snapshot: bins as torch.histc, statistics over the finite elements as torch's
// min/max/mean/std, bounded slices and kernel grids (goldens from tests/golden/gen_snapshot.py).

#include "engine/tensor.h"
#include "io/model_document.h"
#include "io/open_model.h"
#include "session/tensor_snapshot.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace nnscope;

namespace {

const test::GoldenFile& golden() {
    static const test::GoldenFile file("snapshot/histc.safetensors");
    return file;
}

session::TensorSnapshot snapshot_of(const Tensor& t, int bins) {
    io::TensorEntry entry;
    entry.name = "t";
    session::SnapshotRequest request;
    request.bins = bins;
    return session::make_tensor_snapshot(entry, t, request);
}

void compare_with_golden(const session::TensorSnapshot& s, const std::string& c) {
    const Tensor counts = golden().tensor(c + ".counts");
    QCOMPARE(s.histogram.counts, counts.to_int64_vector());
    const std::vector<double> range = golden().tensor(c + ".range").to_vector();
    QCOMPARE(s.histogram.lo, range[0]);
    QCOMPARE(s.histogram.hi, range[1]);
    const std::vector<double> stats = golden().tensor(c + ".stats").to_vector();
    QCOMPARE(s.stats.min, stats[0]);
    QCOMPARE(s.stats.max, stats[1]);
    QVERIFY2(std::abs(s.stats.mean - stats[2]) <= 1e-12 + 1e-9 * std::abs(stats[2]),
             qPrintable(QString::number(s.stats.mean) + " vs " + QString::number(stats[2])));
    QVERIFY2(std::abs(s.stats.std - stats[3]) <= 1e-12 + 1e-9 * std::abs(stats[3]),
             qPrintable(QString::number(s.stats.std) + " vs " + QString::number(stats[3])));
}

} // namespace

class TestTensorSnapshot : public QObject {
    Q_OBJECT
private slots:
    // End to end through the snapshot: every golden case is checked against engine/stats in
    // tst_tensor_stats; here a float32, a float64 and a non-finite one.
    void histcGolden_data() {
        QTest::addColumn<QString>("name");
        for (const char* c : {"rank3", "f64", "nonfinite"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }
    void histcGolden() {
        QFETCH(QString, name);
        const std::string c = name.toStdString();
        const int bins = std::stoi(golden().metadata(c + ".bins"));
        const Tensor input = golden().tensor(c + ".input");
        const session::TensorSnapshot s = snapshot_of(input, bins);
        compare_with_golden(s, c);
        QCOMPARE(s.stats.numel, input.numel());
        QCOMPARE(s.shape, input.shape());
    }

    void nonFiniteAreCounted() {
        const session::TensorSnapshot s = snapshot_of(golden().tensor("nonfinite.input"), 5);
        QCOMPARE(s.stats.finite, std::int64_t(5));
        QCOMPARE(s.stats.nan, std::int64_t(1));
        QCOMPARE(s.stats.pos_inf, std::int64_t(1));
        QCOMPARE(s.stats.neg_inf, std::int64_t(1));
    }

    void integersAndEmpty() {
        const session::TensorSnapshot ints =
            snapshot_of(Tensor::from_int64({1, 2, 3, 4}, {2, 2}), 3);
        QCOMPARE(ints.dtype, std::string("int64"));
        QCOMPARE(ints.stats.mean, 2.5);
        QCOMPARE(ints.histogram.counts, (std::vector<std::int64_t>{1, 1, 2})); // 4 on the edge
        const session::TensorSnapshot empty = snapshot_of(Tensor::zeros({0, 3}), 4);
        QCOMPARE(empty.stats.finite, std::int64_t(0));
        QVERIFY(std::isnan(empty.stats.mean));
        QCOMPARE(empty.histogram.counts, std::vector<std::int64_t>(4, 0));
        QCOMPARE(empty.slice.rows * empty.slice.cols, std::int64_t(0));
    }

    void sliceOfHigherRank() {
        std::vector<double> values(2 * 3 * 4 * 5);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<double>(i);
        const Tensor t = Tensor::from_vector(values, {2, 3, 4, 5});
        io::TensorEntry entry;
        session::SnapshotRequest request;
        request.leading = {1, 2};
        const session::TensorSnapshot s = session::make_tensor_snapshot(entry, t, request);
        QCOMPARE(s.slice.rows, std::int64_t(4));
        QCOMPARE(s.slice.cols, std::int64_t(5));
        QCOMPARE(s.slice.values.front(), double(1 * 60 + 2 * 20)); // t[1, 2, 0, 0]
        QCOMPARE(s.slice.values.back(), double(1 * 60 + 2 * 20 + 19));
        QVERIFY(s.kernels);
        QCOMPARE(s.kernels->values.size(), values.size());
        request.leading = {2, 0};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 session::make_tensor_snapshot(entry, t, request));
    }

    void largeSliceIsStrided() {
        const Tensor t = Tensor::zeros({1000, 300});
        io::TensorEntry entry;
        session::SnapshotRequest request;
        request.max_slice_elements = 10000;
        const session::TensorSnapshot s = session::make_tensor_snapshot(entry, t, request);
        QVERIFY(s.slice.rows * s.slice.cols <= 10000);
        QCOMPARE(s.slice.row_step, std::int64_t(10)); // 100 of 1000 rows
        QCOMPARE(s.slice.col_step, std::int64_t(3));  // 100 of 300 columns
        QCOMPARE(s.slice.rows, std::int64_t(100));
        QCOMPARE(s.slice.cols, std::int64_t(100));
        QCOMPARE(std::int64_t(s.slice.values.size()), s.slice.rows * s.slice.cols);

        // A tall embedding-like matrix is not squeezed into a strip of a few columns.
        request.max_slice_elements = 4096;
        const session::TensorSnapshot tall =
            session::make_tensor_snapshot(entry, Tensor::zeros({24000, 64}), request);
        QCOMPARE(tall.slice.cols, std::int64_t(64));
        QCOMPARE(tall.slice.col_step, std::int64_t(1));
        QCOMPARE(tall.slice.rows, std::int64_t(64));
        QCOMPARE(tall.slice.row_step, std::int64_t(375));
        // A short wide one spends the budget the rows leave over on columns.
        const session::TensorSnapshot wide =
            session::make_tensor_snapshot(entry, Tensor::zeros({3, 100000}), request);
        QCOMPARE(wide.slice.rows, std::int64_t(3));
        QCOMPARE(wide.slice.col_step, std::int64_t(74)); // ceil(100000 / (4096 / 3))
        QCOMPARE(wide.slice.cols, std::int64_t(1352));
        const session::TensorSnapshot v = snapshot_of(Tensor::zeros({7}), 2);
        QCOMPARE(v.slice.rows, std::int64_t(1));
        QCOMPARE(v.slice.cols, std::int64_t(7));
    }

    // fc.weight [1000, 512] holding its own flat index: the overview the browser asks for is
    // strided (every 4th row, 2nd column), a window reads every element of rows 400..419.
    void windowReadsFullResolution() {
        const Tensor t = Tensor::arange(1000 * 512, DType::Float32).reshape({1000, 512});
        session::SliceRequest overview;
        overview.max_elements = 256 * 256;
        const session::Slice2D o = session::make_tensor_slice(t, overview);
        QCOMPARE(o.row_step, std::int64_t(4));
        QCOMPARE(o.col_step, std::int64_t(2));
        QCOMPARE(o.full_rows, std::int64_t(1000));
        QCOMPARE(o.full_cols, std::int64_t(512));
        QVERIFY(o.sampled());

        session::SliceRequest zoom = overview;
        zoom.window = {400, 100, 20, 30};
        const session::Slice2D w = session::make_tensor_slice(t, zoom);
        QVERIFY(!w.sampled());
        QCOMPARE(w.row0, std::int64_t(400));
        QCOMPARE(w.col0, std::int64_t(100));
        QCOMPARE(w.rows, std::int64_t(20));
        QCOMPARE(w.cols, std::int64_t(30));
        for (std::int64_t r = 0; r < 20; ++r)
            for (std::int64_t c = 0; c < 30; ++c)
                QCOMPARE(w.values[std::size_t(r * 30 + c)], double((400 + r) * 512 + 100 + c));

        // A window past the end is cut there; one starting outside the slice is an error.
        zoom.window = {990, 500, 50, 50};
        const session::Slice2D edge = session::make_tensor_slice(t, zoom);
        QCOMPARE(edge.rows, std::int64_t(10));
        QCOMPARE(edge.cols, std::int64_t(12));
        QCOMPARE(edge.values.back(), double(999 * 512 + 511));
        zoom.window = {1000, 0, 1, 1};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, session::make_tensor_slice(t, zoom));

        // The whole slice for an export: every element, nothing strided.
        session::SliceRequest all;
        all.max_elements = 1000 * 512;
        const session::Slice2D full = session::make_tensor_slice(t, all);
        QCOMPARE(full.rows * full.cols, std::int64_t(1000 * 512));
        QCOMPARE(full.values[std::size_t(404 * 512 + 3)], double(404 * 512 + 3));
    }

    // The colour scale per slice needs the slice's real extremes, which striding can miss.
    void sliceExtremesCoverUnsampledElements() {
        std::vector<double> values(2 * 100 * 100, 0.0);
        values[1 * 10000 + 57 * 100 + 33] = 9.0;  // in slice [1], on no sampled row
        values[1 * 10000 + 3 * 100 + 1] = -2.0;   // in slice [1]
        values[0 * 10000 + 57 * 100 + 33] = 50.0; // slice [0]: not this slice's
        const Tensor t = Tensor::from_vector(values, {2, 100, 100});
        io::TensorEntry entry;
        session::SnapshotRequest request;
        request.leading = {1};
        request.max_slice_elements = 100;
        const session::TensorSnapshot s = session::make_tensor_snapshot(entry, t, request);
        QVERIFY(s.slice.sampled());
        QCOMPARE(s.slice.finite_min, -2.0);
        QCOMPARE(s.slice.finite_max, 9.0);
        QCOMPARE(s.stats.max, 50.0);
    }

    // safetensors' U16 / U32 / U64, which the engine has no dtype for, plot with their real
    // values and keep their own dtype name.
    void unsignedSafetensorsKeepTheirValues_data() {
        QTest::addColumn<QByteArray>("tag");
        QTest::addColumn<int>("bytes");
        QTest::addColumn<QString>("dtype");
        QTest::newRow("U16") << QByteArray("U16") << 2 << QStringLiteral("uint16");
        QTest::newRow("U32") << QByteArray("U32") << 4 << QStringLiteral("uint32");
        QTest::newRow("U64") << QByteArray("U64") << 8 << QStringLiteral("uint64");
    }
    void unsignedSafetensorsKeepTheirValues() {
        QFETCH(QByteArray, tag);
        QFETCH(int, bytes);
        QFETCH(QString, dtype);
        // numpy's uint.max, 0, 7, 40000 as little-endian bytes, written by hand.
        const std::uint64_t top = bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
        const std::uint64_t elements[] = {top, 0, 7, 40000};
        QByteArray data;
        for (std::uint64_t v : elements)
            for (int b = 0; b < bytes; ++b)
                data.append(char((v >> (8 * b)) & 0xff));
        const QByteArray header = "{\"u\":{\"dtype\":\"" + tag +
                                  "\",\"shape\":[2,2],\"data_offsets\":[0," +
                                  QByteArray::number(data.size()) + "]}}";
        QByteArray file(8, '\0');
        for (int b = 0; b < 8; ++b)
            file[b] = char((quint64(header.size()) >> (8 * b)) & 0xff);
        file += header + data;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("u.safetensors"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(file);
        out.close();

        const io::ModelDocument doc = io::open_model(path.toStdString());
        const io::TensorEntry& entry = doc.tensors.at(0);
        session::SnapshotRequest request;
        request.bins = 2;
        const session::TensorSnapshot s =
            session::make_tensor_snapshot(entry, entry.load(), request);
        QCOMPARE(QString::fromStdString(s.dtype), dtype);
        QCOMPARE(s.stats.max, double(top));
        QCOMPARE(s.stats.min, 0.0);
        QCOMPARE(s.slice.values, (std::vector<double>{double(top), 0, 7, 40000}));
        // Two bins over [0, max]: 40000 is in the upper half of uint16's range only.
        const std::int64_t upper = bytes == 2 ? 2 : 1;
        QCOMPARE(s.histogram.counts, (std::vector<std::int64_t>{4 - upper, upper}));
    }

    void cancelStopsTheWork() {
        std::atomic<bool> cancel{true};
        io::TensorEntry entry;
        QVERIFY_THROWS_EXCEPTION(
            session::SnapshotCancelled,
            session::make_tensor_snapshot(entry, Tensor::zeros({10}), {}, &cancel));
    }
};

QTEST_GUILESS_MAIN(TestTensorSnapshot)
#include "tst_tensor_snapshot.moc"
