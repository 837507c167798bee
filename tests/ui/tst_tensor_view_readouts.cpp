// What the tensor view reads out beyond the plot itself: the heatmap's full-resolution window
// on zoom, CSV of the real slice, the reason a tensor cannot be plotted, hover read-outs, the
// colour scale's legend, the kernel grid's caption, elided names and titled exports (issue #11).
// Snapshots are written by hand from first principles (support/tensor_view_fixtures.h).

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

class TestTensorViewReadouts : public QObject {
    Q_OBJECT

private slots:
    void init() {
        view_ = std::make_unique<TensorView>();
        view_->resize(900, 700);
        view_->show();
        QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    }
    void cleanup() { view_.reset(); }

    // Zooming in asks the worker for the visible window at full resolution; until it arrives the
    // overview stays and the hover says it is sampled, then the hover reads the real rows.
    void zoomFetchesTheVisibleWindowAtFullResolution() {
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        view_->setSnapshot(fcOverview());
        auto* h = view_->heatmap();
        QSignalSpy asked(view_.get(), &TensorView::valuesRequested);
        QTest::qWait(2 * nnscope::ui::HeatmapPlot::kWindowDebounceMs);
        QCOMPARE(asked.count(), 0); // the whole slice on screen: the overview is enough

        h->plot()->yAxis->setRange(399.5, 419.5);
        h->plot()->xAxis->setRange(99.5, 129.5);
        h->plot()->replot();
        QTRY_COMPARE_WITH_TIMEOUT(asked.count(), 1, 2000); // one request for both axes
        const auto request = asked.at(0).at(0).value<nnscope::session::TensorSliceRequest>();
        QCOMPARE(request.tensor, std::string("fc.weight"));
        QCOMPARE(request.slice.window.row0, std::int64_t(400));
        QCOMPARE(request.slice.window.rows, std::int64_t(20));
        QCOMPARE(request.slice.window.col0, std::int64_t(100));
        QCOMPARE(request.slice.window.cols, std::int64_t(30));
        QCOMPARE(request.slice.max_elements, nnscope::ui::HeatmapPlot::kWindowElements);

        // Before the answer: the nearest sampled cell, row 404 (not 405), saying so.
        const QString before = h->cellTextAt(pixelOf(*h, 405.2, 110.3));
        QVERIFY2(before.startsWith(QStringLiteral("[404, 110] = 206958")), qPrintable(before));
        QVERIFY2(before.contains(QStringLiteral("every 4th row, every 2nd column")),
                 qPrintable(before));

        // An answer to an older question changes nothing; the right one shows every value.
        view_->setSlice(fcWindow(400, 100, 20, 30, request.tag + 7));
        QVERIFY(!h->windowMap()->visible());
        view_->setSlice(fcWindow(400, 100, 20, 30, request.tag));
        QVERIFY(h->windowMap()->visible());
        QCOMPARE(h->windowMap()->data()->cell(11, 5), double(405 * 512 + 111));
        QCOMPARE(h->cellTextAt(pixelOf(*h, 405.2, 111.3)), QStringLiteral("[405, 111] = 207471"));
        QCOMPARE(h->cellTextAt(pixelOf(*h, 419, 129)), QStringLiteral("[419, 129] = 214657"));
        QVERIFY2(h->note().contains(QStringLiteral("rows 400-419, columns 100-129 at full")),
                 qPrintable(h->note()));

        // Panning inside the window asks for nothing; zooming out drops the window.
        h->plot()->yAxis->setRange(404.5, 410.5);
        QTest::qWait(2 * nnscope::ui::HeatmapPlot::kWindowDebounceMs);
        QCOMPARE(asked.count(), 1);
        h->plot()->yAxis->setRange(-2, 1000);
        h->plot()->xAxis->setRange(-1, 512);
        QTRY_VERIFY_WITH_TIMEOUT(!h->windowMap()->visible(), 2000);
        QCOMPARE(asked.count(), 1);
    }

    // A slice too large for a CSV is refused with the reason, before anything is asked.
    void hugeSliceCsvIsRefused() {
        TensorSnapshot s = fcOverview();
        s.shape = {5000, 4000};
        s.slice.full_rows = 5000;
        s.slice.full_cols = 4000;
        view_->setSnapshot(s);
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        QSignalSpy asked(view_.get(), &TensorView::valuesRequested);
        try {
            view_->exportCsv(dir_.filePath(QStringLiteral("huge.csv")));
            QFAIL("a 20 M value slice was exported");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("20,000,000 values")),
                     e.what());
        }
        QCOMPARE(asked.count(), 0);
    }

    // A tensor that cannot be shown clears the previous one's plots and says why in them.
    void unavailableTensorSaysWhyInThePlots() {
        view_->setSnapshot(matrix3x4());
        view_->showUnavailable(QStringLiteral("names"),
                               QStringLiteral("tensor 'names': element type string"));
        QVERIFY(!view_->hasSnapshot());
        for (const QString& m : {view_->histogram()->message(), view_->heatmap()->message()}) {
            QVERIFY2(m.contains(QStringLiteral("names cannot be plotted")), qPrintable(m));
            QVERIFY2(m.contains(QStringLiteral("element type string")), qPrintable(m));
        }
        QCOMPARE(view_->histogram()->bars()->data()->size(), 0);
        QCOMPARE(view_->heatmap()->colorMap()->data()->keySize(), 0);
        QVERIFY(view_->headerText().contains(QStringLiteral("cannot be shown")));
        QVERIFY(view_->kernelGrid()->images().empty());
    }

    void histogramHoverReadsBinRangeAndCount() {
        TensorSnapshot s = matrix3x4();
        s.histogram = {-0.031, 0.009, {5, 1204, 1, 0}};
        view_->setCurrentTab(TensorView::Tab::Histogram);
        view_->setSnapshot(s);
        auto* h = view_->histogram();
        h->plot()->replot();
        auto at = [h](double x) {
            return QPointF(h->plot()->xAxis->coordToPixel(x), h->plot()->yAxis->coordToPixel(0.5));
        };
        QCOMPARE(h->binTextAt(at(-0.0205)), QStringLiteral("[-0.021, -0.011): 1,204 values"));
        QCOMPARE(h->binTextAt(at(-0.0005)), QStringLiteral("[-0.001, 0.009]: 0 values"));
        QCOMPARE(h->binTextAt(at(-0.0095)), QStringLiteral("[-0.011, -0.001): 1 value"));
        QCOMPARE(h->binTextAt(at(-0.032)), QString()); // left of the first bin
        QMouseEvent move(QEvent::MouseMove, at(-0.03), h->plot()->mapToGlobal(QPointF()),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(h->plot(), &move);
        QCOMPARE(h->hoverText(), QStringLiteral("[-0.031, -0.021): 5 values"));
    }

    // Per slice: the slice's own extremes; per tensor: the tensor's, symmetric for signed data.
    // The legend says which.
    void colourScalePerSliceOrPerTensor() {
        TensorSnapshot s = matrix3x4(); // slice 0 .. 11
        s.stats.min = -20;
        s.stats.max = 30;
        view_->setSnapshot(s);
        auto* h = view_->heatmap();
        QCOMPARE(h->colorMap()->dataRange(), QCPRange(0, 11));
        QCOMPARE(h->legendText(), QStringLiteral("colour per slice: 0 to 11 (min to max)"));
        QVERIFY(h->note().contains(h->legendText()));
        view_->setColourMode(nnscope::ui::ColourMode::PerTensor);
        QCOMPARE(h->colorMap()->dataRange(), QCPRange(-30, 30));
        QVERIFY(h->diverging());
        QCOMPARE(
            h->legendText(),
            QStringLiteral("colour per tensor, symmetric: -30 to 30 (±max |value|, 0 neutral)"));
        QCOMPARE(view_->colourModeBox()->currentData().toInt(),
                 int(nnscope::ui::ColourMode::PerTensor));

        // The kernel grid follows the same choice.
        TensorSnapshot c = conv(2, 1, 1); // kernels -1 and -0.5, tensor -1 .. 1
        view_->setSnapshot(c);
        auto* grid = view_->kernelGrid();
        QCOMPARE(grid->colourScale().range, QCPRange(-1, 1));
        QVERIFY(grid->legendText().startsWith(QStringLiteral("colour per tensor")));
        view_->setColourMode(nnscope::ui::ColourMode::PerSlice);
        QCOMPARE(grid->colourScale().range, QCPRange(-1, -0.5));
        QVERIFY(grid->legendText().startsWith(QStringLiteral("colour per kernels shown")));
    }

    // [8, 3, 3, 3] with value 100 o + 10 i + 3 r + c: the caption describes what is drawn, each
    // output channel a group of its input channels left to right.
    void kernelCaptionMatchesLayout() {
        TensorSnapshot s = conv(8, 3, 3);
        nnscope::session::KernelGrid grid{8, 3, 3, 3, {}};
        for (int o = 0; o < 8; ++o)
            for (int i = 0; i < 3; ++i)
                for (int r = 0; r < 3; ++r)
                    for (int c = 0; c < 3; ++c)
                        grid.values.push_back(float(100 * o + 10 * i + 3 * r + c));
        s.kernels = grid;
        s.stats.min = 0;
        s.stats.max = 728;
        view_->setCurrentTab(TensorView::Tab::Kernels);
        view_->setSnapshot(s);
        auto* g = view_->kernelGrid();
        QVERIFY2(g->caption().startsWith(QStringLiteral(
                     "8 output channels, one numbered group each; in a group its 3 input "
                     "channels left to right; 3 x 3 kernels")),
                 qPrintable(g->caption()));
        for (int o = 0; o < 8; ++o)
            for (int i = 0; i + 1 < 3; ++i) {
                const QRect a = g->kernelRect(o, i), b = g->kernelRect(o, i + 1);
                QCOMPARE(a.top(), b.top());    // one group is one line
                QVERIFY(b.left() > a.right()); // input channels left to right
            }
        const QRect k = g->kernelRect(5, 2);
        const int px = k.width() / 3;
        QCOMPARE(g->cellTextAt(k.topLeft() + QPoint(2 * px + px / 2, px + px / 2)),
                 QStringLiteral("[5, 2, 1, 2] = 525"));
        auto scale = g->colourScale();
        QCOMPARE(g->images()[5 * 3 + 2].pixel(2, 1), scale.gradient.color(525.0, scale.range));

        // A capped grid says how much of the weight it shows.
        grid.total_out = 64;
        grid.total_in = 3;
        s.kernels = grid;
        view_->setSnapshot(s);
        QVERIFY2(g->caption().startsWith(QStringLiteral("first 8 of 64 output channels")),
                 qPrintable(g->caption()));
    }

    // A 530-character name (or reason) is elided, in full in the tooltip, and asks for no width.
    void longNamesNeverWidenTheView() {
        TensorSnapshot s = matrix3x4();
        s.name = std::string(265, 'a') + std::string(265, 'z');
        view_->setSnapshot(s);
        QVERIFY2(view_->minimumSizeHint().width() < 700,
                 qPrintable(QString::number(view_->minimumSizeHint().width())));
        QVERIFY(view_->header()->toolTip().contains(QString::fromStdString(s.name)));
        QVERIFY(view_->header()->text().contains(QChar(0x2026)));
        QVERIFY(view_->header()->text().startsWith(QStringLiteral("aaa")));
        view_->showUnavailable(QString::fromStdString(s.name), QStringLiteral("x").repeated(600));
        QVERIFY2(view_->minimumSizeHint().width() < 700,
                 qPrintable(QString::number(view_->minimumSizeHint().width())));
        view_->resize(640, 480);
        QTRY_VERIFY(view_->width() <= 640);
    }

    // Images carry the tensor's name and shape and have the size asked for; CSV files say the
    // same in comment lines.
    void exportsCarryNameShapeAndChosenSize() {
        view_->setSnapshot(matrix3x4());
        view_->setCurrentTab(TensorView::Tab::Heatmap);
        QVERIFY(view_->exportTitle().startsWith(QStringLiteral("fc.weight  [3, 4]  float32\n")));
        const int rows = view_->heatmap()->plot()->plotLayout()->rowCount();
        const QString png = dir_.filePath(QStringLiteral("sized.png"));
        view_->exportPng(png, QSize(800, 500));
        QCOMPARE(QImage(png).size(), QSize(800, 500));
        QCOMPARE(view_->heatmap()->plot()->plotLayout()->rowCount(), rows); // title gone again
        view_->setCurrentTab(TensorView::Tab::Kernels);
        view_->setSnapshot(conv(4, 2, 3));
        view_->exportPng(png, QSize(300, 900));
        QCOMPARE(QImage(png).size(), QSize(300, 900));

        view_->setSnapshot(matrix3x4());
        view_->setCurrentTab(TensorView::Tab::Histogram);
        const QString csv = dir_.filePath(QStringLiteral("commented.csv"));
        view_->exportCsv(csv);
        QVERIFY2(readAll(csv).startsWith(QStringLiteral(
                     "# nnscope: fc.weight [3, 4] float32\n# histogram: 4 bins\nbin_lo")),
                 qPrintable(readAll(csv)));
    }

private:
    std::unique_ptr<TensorView> view_;
    QTemporaryDir dir_;
};

QTEST_MAIN(TestTensorViewReadouts)
#include "tst_tensor_view_readouts.moc"
