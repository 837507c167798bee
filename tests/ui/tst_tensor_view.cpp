// The tensor view displays what a snapshot says, exactly: bars at the bin centres with the counts,
// colour-map cells equal to the slice, real indices under the mouse, exports byte for byte, and a
// sentence instead of a plot when there is nothing finite to show. Every snapshot is written by
// hand from first principles, not computed by the worker.

#include "support/tensor_view_fixtures.h"
#include "ui/tensor_view/colour_scale.h"
#include "ui/tensor_view/elided_label.h"
#include "ui/tensor_view/heatmap_plot.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/slice_picker.h"
#include "ui/tensor_view/tensor_view.h"

#include <QComboBox>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

using nnscope::session::TensorSnapshot;
using nnscope::ui::TensorView;
using Leading = std::vector<std::int64_t>;
using namespace nnscope::test;

class TestTensorView : public QObject {
    Q_OBJECT

private slots:
    void init() {
        view_ = std::make_unique<TensorView>();
        view_->resize(900, 700);
        view_->show();
        QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    }
    void cleanup() { view_.reset(); }

    void histogramBarsAreTheCountsAtBinCentres() {
        view_->setSnapshot(matrix3x4());
        const auto data = view_->histogram()->bars()->data();
        QCOMPARE(data->size(), 4);
        const double keys[] = {0.5, 1.5, 2.5, 3.5};
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(data->at(i)->key, keys[i]);
            QCOMPARE(data->at(i)->value, double(i + 1));
        }
        QCOMPARE(view_->histogram()->bars()->width(), 1.0);
        QVERIFY(view_->histogram()->message().isEmpty());
        const QCPRange x = view_->histogram()->plot()->xAxis->range();
        QVERIFY(x.lower <= 0.0 && x.upper >= 4.0);
    }

    void histogramBinsOverNegativeRange() {
        TensorSnapshot s = matrix3x4();
        s.histogram = {-2.0, 2.0, {5, 0, 0, 7, 1, 1, 1, 1}};
        view_->setSnapshot(s);
        const auto data = view_->histogram()->bars()->data();
        QCOMPARE(data->size(), 8);
        QCOMPARE(data->at(0)->key, -1.75);
        QCOMPARE(data->at(7)->key, 1.75);
        QCOMPARE(data->at(3)->value, 7.0);
        QCOMPARE(view_->histogram()->bars()->width(), 0.5);
    }

    void statsLineNamesTheStatistics() {
        TensorSnapshot s = matrix3x4();
        s.stats.numel = 15;
        s.stats.nan = 2;
        s.stats.pos_inf = 1;
        view_->setSnapshot(s);
        const QString line = view_->histogram()->statsLine();
        QVERIFY2(line.contains(QStringLiteral("min 0")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("max 11")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("mean 5.5")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("std 3.606")), qPrintable(line)); // sqrt(13)
        QVERIFY2(line.contains(QStringLiteral("NaN 2")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("+Inf 1")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("15 elements")), qPrintable(line));
    }

    void binsSelectorFollowsSnapshotAndAsksForMore() {
        TensorSnapshot s = matrix3x4();
        s.histogram.counts.assign(32, 0);
        s.histogram.counts[0] = 12;
        QSignalSpy spy(view_.get(), &TensorView::binsRequested);
        view_->setSnapshot(s);
        QCOMPARE(view_->histogram()->bins(), 32);
        QCOMPARE(spy.count(), 0); // showing a snapshot asks for nothing
        auto* combo = view_->histogram()->findChild<QComboBox*>();
        QVERIFY(combo);
        QStringList items;
        for (int i = 0; i < combo->count(); ++i)
            items << combo->itemText(i);
        QCOMPARE(items,
                 (QStringList{QStringLiteral("16"), QStringLiteral("32"), QStringLiteral("64"),
                              QStringLiteral("128"), QStringLiteral("256")}));
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 64);
    }

    void logCountAxis() {
        view_->setSnapshot(matrix3x4());
        auto* axis = view_->histogram()->plot()->yAxis;
        QCOMPARE(axis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(axis->range().lower, 0.0);
        view_->histogram()->setLogY(true);
        QCOMPARE(axis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(axis->range().lower > 0 && axis->range().lower < 1); // a count of 1 stays visible
        QVERIFY(axis->range().upper >= 4);
        view_->histogram()->setLogY(false);
        QCOMPARE(axis->scaleType(), QCPAxis::stLinear);
    }

    void histogramCsvIsExact() {
        view_->setSnapshot(matrix3x4());
        const QString path = dir_.filePath(QStringLiteral("hist.csv"));
        view_->setCurrentTab(TensorView::Tab::Histogram);
        view_->exportCsv(path);
        QCOMPARE(readValues(path),
                 QStringLiteral("bin_lo,bin_hi,count\n0,1,1\n1,2,2\n2,3,3\n3,4,4\n"));

        TensorSnapshot s = matrix3x4();
        s.histogram = {-0.5, 0.5, {3, 9}};
        view_->setSnapshot(s);
        view_->exportCsv(path);
        QCOMPARE(readValues(path), QStringLiteral("bin_lo,bin_hi,count\n-0.5,0,3\n0,0.5,9\n"));
    }

    void heatmapCellsAreTheSliceRowsTopDown() {
        view_->setSnapshot(matrix3x4());
        auto* map = view_->heatmap()->colorMap();
        QCOMPARE(map->data()->keySize(), 4);   // columns
        QCOMPARE(map->data()->valueSize(), 3); // rows
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 4; ++c)
                QCOMPARE(map->data()->cell(c, r), double(r * 4 + c));
        QVERIFY(view_->heatmap()->plot()->yAxis->rangeReversed()); // row 0 on top
        QVERIFY(!view_->heatmap()->diverging());                   // 0 .. 11: one sign
        QCOMPARE(map->dataRange().lower, 0.0);
        QCOMPARE(map->dataRange().upper, 11.0);
        QVERIFY(map->colorScale() == view_->heatmap()->colorScale());
        QVERIFY(view_->heatmap()->message().isEmpty());
    }

    void heatmapDivergesAroundZeroForBothSigns() {
        TensorSnapshot s = matrix3x4();
        for (auto& v : s.slice.values)
            v -= 3.0f; // -3 .. 8
        view_->setSnapshot(s);
        QVERIFY(view_->heatmap()->diverging());
        const QCPRange range = view_->heatmap()->colorMap()->dataRange();
        QCOMPARE(range.lower, -8.0);
        QCOMPARE(range.upper, 8.0);
        // 0 sits at the neutral centre of the gradient: light grey on a light palette.
        const QColor zero =
            QColor::fromRgb(view_->heatmap()->colorMap()->gradient().color(0.0, range));
        const QColor top =
            QColor::fromRgb(view_->heatmap()->colorMap()->gradient().color(8.0, range));
        QVERIFY(zero.saturation() < 30);
        QVERIFY(top.red() > top.blue());
    }

    void hoverReportsRealIndicesAndValue() {
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        view_->setSnapshot(matrix3x4());
        auto* h = view_->heatmap();
        h->plot()->replot();
        QCOMPARE(h->cellTextAt(pixelOf(*h, 2, 1)), QStringLiteral("[2, 1] = 9"));
        QCOMPARE(h->cellTextAt(pixelOf(*h, 0, 3)), QStringLiteral("[0, 3] = 3"));
        QCOMPARE(h->cellTextAt(QPointF(1, 1)), QString()); // the margin, outside the map
        // A real mouse move updates the hover line.
        QMouseEvent move(QEvent::MouseMove, pixelOf(*h, 1, 2), h->plot()->mapToGlobal(QPointF()),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(h->plot(), &move);
        QCOMPARE(h->hoverText(), QStringLiteral("[1, 2] = 6"));
    }

    void stridedSliceReportsRealIndices() {
        // Tensor [5, 6, 8], slice [3, :, :] strided by 2 rows and 3 columns: 3 x 3 values shown,
        // rows 0, 2, 4 and columns 0, 3, 6 of the real slice; value = 10 * row + col.
        TensorSnapshot s;
        s.name = "t";
        s.shape = {5, 6, 8};
        s.dtype = "float32";
        s.stats = {240, 240, 0, 0, 0, 0.0, 57.0, 28.5, 1.0};
        s.histogram = {0.0, 57.0, {240}};
        s.slice.leading = {3};
        s.slice.rows = 3;
        s.slice.cols = 3;
        s.slice.row_step = 2;
        s.slice.col_step = 3;
        for (int r : {0, 2, 4})
            for (int c : {0, 3, 6})
                s.slice.values.push_back(float(10 * r + c));
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        view_->setSnapshot(s);
        auto* h = view_->heatmap();
        h->plot()->replot();
        QVERIFY(h->cellTextAt(pixelOf(*h, 2, 6)).startsWith(QStringLiteral("[3, 2, 6] = 26   (")));
        QVERIFY(h->cellTextAt(pixelOf(*h, 4, 0)).startsWith(QStringLiteral("[3, 4, 0] = 40   (")));
        QVERIFY2(h->note().contains(QStringLiteral("every 2nd row, every 3rd column")),
                 qPrintable(h->note()));
        QVERIFY2(h->note().contains(QStringLiteral("[3, :, :]")), qPrintable(h->note()));
        // The hover says that the value comes from a sampled view.
        QVERIFY(h->cellTextAt(pixelOf(*h, 2, 6)).contains(QStringLiteral("sampled")));

        // The CSV holds the real slice, all 6 x 8 values, which the worker is asked for.
        QSignalSpy asked(view_.get(), &TensorView::valuesRequested);
        QSignalSpy done(view_.get(), &TensorView::exportFinished);
        const QString path = dir_.filePath(QStringLiteral("slice.csv"));
        view_->exportCsv(path);
        QCOMPARE(asked.count(), 1);
        const auto request = asked.at(0).at(0).value<nnscope::session::TensorSliceRequest>();
        QCOMPARE(request.tensor, std::string("t"));
        QCOMPARE(request.slice.leading, (Leading{3}));
        QCOMPARE(request.slice.window.rows, std::int64_t(-1));
        QCOMPARE(request.slice.max_elements, std::int64_t(48));
        QVERIFY(view_->exportPending());
        QVERIFY(!QFile::exists(path));
        nnscope::session::TensorSlice answer{"t", {}, request.tag};
        answer.slice.leading = {3};
        answer.slice.full_rows = answer.slice.rows = 6;
        answer.slice.full_cols = answer.slice.cols = 8;
        for (int r = 0; r < 6; ++r)
            for (int c = 0; c < 8; ++c)
                answer.slice.values.push_back(10 * r + c);
        view_->setSlice(answer);
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.at(0).at(1).toString(), QString());
        const QStringList lines = readValues(path).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1 + 6 + 1); // header, six rows, the final newline
        QCOMPARE(lines[0], QStringLiteral("row/col,0,1,2,3,4,5,6,7"));
        QCOMPARE(lines[6], QStringLiteral("5,50,51,52,53,54,55,56,57"));
        QVERIFY(!view_->exportPending());
    }

    void heatmapCsvIsExact() {
        view_->setSnapshot(matrix3x4());
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        const QString path = dir_.filePath(QStringLiteral("heat.csv"));
        view_->exportCsv(path);
        QCOMPARE(readValues(path),
                 QStringLiteral("row/col,0,1,2,3\n0,0,1,2,3\n1,4,5,6,7\n2,8,9,10,11\n"));
    }

    void nonFiniteCellsKeepTheirValueInText() {
        TensorSnapshot s = matrix3x4();
        s.slice.values[1] = nan_f;
        s.slice.values[2] = inf_f;
        s.slice.values[3] = 0.1f;
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        view_->setSnapshot(s);
        auto* h = view_->heatmap();
        h->plot()->replot();
        QVERIFY(std::isnan(h->colorMap()->data()->cell(1, 0)));
        // +Inf is drawn as the top of the scale, and still reported as inf.
        QCOMPARE(h->colorMap()->data()->cell(2, 0), h->colorMap()->dataRange().upper);
        QCOMPARE(h->cellTextAt(pixelOf(*h, 0, 2)), QStringLiteral("[0, 2] = inf"));
        QCOMPARE(h->cellTextAt(pixelOf(*h, 0, 1)), QStringLiteral("[0, 1] = nan"));
        const QString path = dir_.filePath(QStringLiteral("nonfinite.csv"));
        view_->exportCsv(path);
        QCOMPARE(readValues(path).section(QLatin1Char('\n'), 1, 1),
                 QStringLiteral("0,0,nan,inf,0.1"));
        QVERIFY(h->note().contains(QStringLiteral("NaN")));
    }

    void slicePickerHasOneBoxPerLeadingDimension() {
        TensorSnapshot s = matrix3x4();
        s.shape = {2, 5, 3, 4};
        s.slice.leading = {1, 3};
        QSignalSpy spy(view_.get(), &TensorView::sliceRequested);
        view_->setSnapshot(s);
        auto* picker = view_->slicePicker();
        QVERIFY(picker->isVisible());
        const auto& boxes = picker->spinBoxes();
        QCOMPARE(boxes.size(), std::size_t(2));
        QCOMPARE(boxes[0]->minimum(), 0);
        QCOMPARE(boxes[0]->maximum(), 1);
        QCOMPARE(boxes[1]->minimum(), 0);
        QCOMPARE(boxes[1]->maximum(), 4);
        QCOMPARE(picker->leading(), (Leading{1, 3}));
        QTest::qWait(2 * nnscope::ui::SlicePicker::debounce_ms);
        QCOMPARE(spy.count(), 0); // showing the snapshot's own slice asks for nothing

        // Two quick changes: one request, with both.
        boxes[0]->setValue(0);
        boxes[1]->setValue(4);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 2000);
        QCOMPARE(spy.at(0).at(0).value<Leading>(), (Leading{0, 4}));
        QTest::qWait(2 * nnscope::ui::SlicePicker::debounce_ms);
        QCOMPARE(spy.count(), 1);

        // The same shape again keeps the boxes; a matrix hides the picker.
        view_->setSnapshot(s);
        QCOMPARE(picker->spinBoxes().size(), std::size_t(2));
        QCOMPARE(picker->leading(), (Leading{1, 3}));
        view_->setSnapshot(matrix3x4());
        QVERIFY(!picker->isVisible());
        QVERIFY(picker->spinBoxes().empty());
    }

    void sliceRequestCrossesThreadsQueued() {
        // The window forwards the request to the worker with a queued connection: the vector must
        // be a registered metatype.
        QSignalSpy spy(view_.get(), &TensorView::sliceRequested);
        Leading got;
        QObject receiver;
        connect(
            view_.get(), &TensorView::sliceRequested, &receiver, [&](const Leading& l) { got = l; },
            Qt::QueuedConnection);
        TensorSnapshot s = matrix3x4();
        s.shape = {3, 3, 4};
        s.slice.leading = {0};
        view_->setSnapshot(s);
        view_->slicePicker()->spinBoxes()[0]->setValue(2);
        QTRY_COMPARE_WITH_TIMEOUT(got, (Leading{2}), 2000);
    }

    void kernelGridHasOutTimesInCells() {
        view_->setSnapshot(conv(16, 1, 3));
        QVERIFY(view_->tabs()->isTabEnabled(int(TensorView::Tab::Kernels)));
        view_->setCurrentTab(TensorView::Tab::Kernels);
        auto* grid = view_->kernelGrid();
        QCOMPARE(grid->outChannels(), 16);
        QCOMPARE(grid->inChannels(), 1);
        QCOMPARE(grid->images().size(), std::size_t(16));
        QCOMPARE(grid->images()[0].size(), QSize(3, 3));
        // Kernel 0 holds -1, -0.5, 0, 0.5, 1, -1, ...: its first pixel is the bottom of the
        // symmetric scale, its fifth the top.
        auto scale = grid->colourScale(); // a copy: QCPColorGradient::color is not const
        QVERIFY(scale.diverging);
        QCOMPARE(grid->images()[0].pixel(0, 0), scale.gradient.color(-1.0, scale.range));
        QCOMPARE(grid->images()[0].pixel(1, 1), scale.gradient.color(1.0, scale.range));
        // Readable: several screen pixels per kernel pixel, no two kernels overlapping.
        const QRect a = grid->kernelRect(0, 0), b = grid->kernelRect(1, 0);
        QVERIFY(a.width() >= 3 * 8);
        QVERIFY(!a.intersects(b));
        // Element [5, 0, 1, 2] is number 5 * 9 + 1 * 3 + 2 = 50: 50 % 5 = 0 gives -1.
        const QRect k = grid->kernelRect(5, 0);
        const int px = k.width() / 3;
        QCOMPARE(grid->cellTextAt(k.topLeft() + QPoint(2 * px + px / 2, px + px / 2)),
                 QStringLiteral("[5, 0, 1, 2] = -1"));
    }

    void bigKernelGridStaysReadable() {
        view_->setCurrentTab(TensorView::Tab::Kernels);
        view_->setSnapshot(conv(64, 3, 7));
        auto* grid = view_->kernelGrid();
        QCOMPARE(grid->images().size(), std::size_t(64 * 3));
        QCOMPARE(grid->images()[0].size(), QSize(7, 7));
        const QRect a = grid->kernelRect(0, 0);
        QVERIFY2(a.width() >= 14, "a 7 x 7 kernel gets at least 2 px per value");
        for (int o = 0; o < 64; ++o)
            for (int i = 0; i < 3; ++i) {
                const QRect r = grid->kernelRect(o, i);
                QVERIFY(r.left() >= 0 && r.right() < grid->width());
                if (o + 1 < 64) QVERIFY(!r.intersects(grid->kernelRect(o + 1, i)));
            }
        QVERIFY(grid->minimumHeight() >= grid->kernelRect(63, 0).bottom());
    }

    void kernelCsv() {
        TensorSnapshot s = conv(2, 1, 1);
        view_->setSnapshot(s);
        view_->setCurrentTab(TensorView::Tab::Kernels);
        const QString path = dir_.filePath(QStringLiteral("kernels.csv"));
        view_->exportCsv(path);
        QCOMPARE(readValues(path),
                 QStringLiteral("out,in,row,col,value\n0,0,0,0,-1\n1,0,0,0,-0.5\n"));
    }

    void pngExportHasThePlotSize_data() {
        QTest::addColumn<int>("tab");
        QTest::newRow("histogram") << int(TensorView::Tab::Histogram);
        QTest::newRow("heatmap") << int(TensorView::Tab::Heatmap);
        QTest::newRow("kernels") << int(TensorView::Tab::Kernels);
    }
    void pngExportHasThePlotSize() {
        QFETCH(int, tab);
        view_->setSnapshot(conv(16, 1, 3));
        view_->setCurrentTab(TensorView::Tab(tab));
        QWidget* shown = tab == 0   ? static_cast<QWidget*>(view_->histogram()->plot())
                         : tab == 1 ? static_cast<QWidget*>(view_->heatmap()->plot())
                                    : static_cast<QWidget*>(view_->kernelGrid());
        const QString png = dir_.filePath(QStringLiteral("plot.png"));
        view_->exportPng(png);
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), shown->size());
        // Not blank: more than one colour.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 3);

        const QString pdf = dir_.filePath(QStringLiteral("plot.pdf"));
        view_->exportPdf(pdf);
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(4), QByteArray("%PDF"));
        QVERIFY(file.size() > 500);
    }

    void exportToUnwritablePathThrows() {
        view_->setSnapshot(matrix3x4());
        const QString bad = dir_.filePath(QStringLiteral("no/such/dir/x"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 view_->exportCsv(bad + QStringLiteral(".csv")));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 view_->exportPng(bad + QStringLiteral(".png")));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 view_->exportPdf(bad + QStringLiteral(".pdf")));
    }

    void nanOnlyTensorSaysSo() {
        TensorSnapshot s;
        s.name = "bad";
        s.shape = {2, 2};
        s.dtype = "float32";
        s.stats = {4, 0, 4, 0, 0, std::nan(""), std::nan(""), std::nan(""), std::nan("")};
        s.histogram = {0.0, 0.0, std::vector<std::int64_t>(64, 0)};
        s.slice.rows = 2;
        s.slice.cols = 2;
        s.slice.values.assign(4, nan_f);
        view_->setSnapshot(s);
        QVERIFY2(view_->histogram()->message().contains(QStringLiteral("No finite values")),
                 qPrintable(view_->histogram()->message()));
        QVERIFY(view_->heatmap()->message().contains(QStringLiteral("No finite values")));
        QVERIFY(view_->histogram()->statsLine().contains(QStringLiteral("NaN 4")));
        QCOMPARE(view_->histogram()->bars()->data()->size(), 0);
        // Exports still work: the CSV of 64 empty bins over a collapsed range.
        view_->exportPng(dir_.filePath(QStringLiteral("nan.png")));
    }

    void emptyTensorSaysSo() {
        TensorSnapshot s;
        s.name = "empty";
        s.shape = {0, 3};
        s.dtype = "float32";
        s.stats = {0, 0, 0, 0, 0, std::nan(""), std::nan(""), std::nan(""), std::nan("")};
        view_->setSnapshot(s);
        QVERIFY2(view_->histogram()->message().contains(QStringLiteral("Empty tensor")),
                 qPrintable(view_->histogram()->message()));
        QVERIFY(view_->heatmap()->message().contains(QStringLiteral("Empty tensor")));
        QVERIFY(view_->heatmap()->message().contains(QStringLiteral("[0, 3]")));
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        const QString path = dir_.filePath(QStringLiteral("empty.csv"));
        view_->exportCsv(path);
        QCOMPARE(readValues(path), QStringLiteral("row/col\n"));
        // An empty leading dimension leaves nothing to pick.
        s.shape = {0, 3, 4};
        view_->setSnapshot(s);
        QCOMPARE(view_->slicePicker()->spinBoxes().size(), std::size_t(1));
        QVERIFY(!view_->slicePicker()->spinBoxes()[0]->isEnabled());
    }

    void scalarTensor() {
        // A 0-D tensor holding 2.5: one cell, one counted bin, no slice to pick.
        TensorSnapshot s;
        s.name = "num_batches_tracked";
        s.shape = {};
        s.dtype = "float32";
        s.role = nnscope::io::TensorRole::Buffer;
        s.stats = {1, 1, 0, 0, 0, 2.5, 2.5, 2.5, std::nan("")};
        // histc widens a constant to [v - 1, v + 1]; 2.5 starts bin 2 of [1.5, 2, 2.5, 3, 3.5].
        s.histogram = {1.5, 3.5, {0, 0, 1, 0}};
        s.slice.rows = 1;
        s.slice.cols = 1;
        s.slice.values = {2.5f};
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        view_->setSnapshot(s);
        QVERIFY(!view_->slicePicker()->isVisible());
        QCOMPARE(view_->histogram()->bars()->data()->at(2)->key, 2.75);
        QCOMPARE(view_->histogram()->bars()->data()->at(2)->value, 1.0);
        auto* h = view_->heatmap();
        QVERIFY(h->message().isEmpty());
        QCOMPARE(h->colorMap()->data()->cell(0, 0), 2.5);
        h->plot()->replot();
        QCOMPARE(h->cellTextAt(pixelOf(*h, 0, 0)), QStringLiteral("[] = 2.5"));
        QVERIFY(view_->headerText().contains(QStringLiteral("[]")));
        QVERIFY(view_->headerText().contains(QStringLiteral("buffer")));
    }

    void vectorTensor() {
        // A 1-D tensor [5] = 0 .. 4 shows as one row; the hover names only the column.
        TensorSnapshot s;
        s.name = "fc.bias";
        s.shape = {5};
        s.dtype = "float32";
        s.role = nnscope::io::TensorRole::Parameter;
        s.role_inferred = true;
        s.stats = {5, 5, 0, 0, 0, 0.0, 4.0, 2.0, std::sqrt(2.5)};
        s.histogram = {0.0, 4.0, {1, 1, 1, 2}};
        s.slice.rows = 1;
        s.slice.cols = 5;
        s.slice.values = {0, 1, 2, 3, 4};
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        view_->setSnapshot(s);
        auto* h = view_->heatmap();
        QCOMPARE(h->colorMap()->data()->keySize(), 5);
        QCOMPARE(h->colorMap()->data()->valueSize(), 1);
        h->plot()->replot();
        QCOMPARE(h->cellTextAt(pixelOf(*h, 0, 3)), QStringLiteral("[3] = 3"));
        QVERIFY(view_->headerText().contains(QStringLiteral("inferred")));
        QVERIFY(!view_->tabs()->isTabEnabled(int(TensorView::Tab::Kernels)));
    }

    void darkPaletteColoursThePlots() {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(30, 30, 34));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(20, 20, 24));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        TensorSnapshot s = matrix3x4();
        for (auto& v : s.slice.values)
            v -= 5.0f;
        view_->setSnapshot(s);
        view_->setPalette(dark);
        QCoreApplication::processEvents();
        for (QCustomPlot* plot : {view_->histogram()->plot(), view_->heatmap()->plot()}) {
            QCOMPARE(plot->xAxis->tickLabelColor(), QColor(230, 230, 230));
            QCOMPARE(plot->yAxis->labelColor(), QColor(230, 230, 230));
        }
        QCOMPARE(view_->heatmap()->colorScale()->axis()->tickLabelColor(), QColor(230, 230, 230));
        // The diverging centre turns dark with the window.
        const auto* map = view_->heatmap()->colorMap();
        QVERIFY(QColor::fromRgb(map->gradient().color(0.0, map->dataRange())).lightness() < 80);
        QVERIFY(nnscope::ui::isDark(view_->palette()));
    }

    void clearShowsNothingSelected() {
        view_->setSnapshot(conv(4, 2, 3));
        view_->clear();
        QVERIFY(!view_->hasSnapshot());
        QVERIFY(!view_->histogram()->message().isEmpty());
        QVERIFY(!view_->heatmap()->message().isEmpty());
        QCOMPARE(view_->histogram()->bars()->data()->size(), 0);
        QVERIFY(!view_->tabs()->isTabEnabled(int(TensorView::Tab::Kernels)));
        QVERIFY(view_->kernelGrid()->images().empty());
    }

private:
    std::unique_ptr<TensorView> view_;
    QTemporaryDir dir_;
};

QTEST_MAIN(TestTensorView)
#include "tst_tensor_view.moc"
