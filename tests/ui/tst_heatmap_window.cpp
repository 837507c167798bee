// The tensor view with its worker, through the browser page: a zoomed-in heatmap of fc.weight
// [1000, 512] (written here, each value its flat index row * 512 + col) reads the real rows, not
// every 4th; its CSV export holds all 512,000 values; a uint16 tensor plots with its real values;
// a tensor the worker cannot read says why in the plot area, and the previous plot is gone.

#include "engine/tensor.h"
#include "io/safetensors.h"
#include "ui/pages/browser_page.h"
#include "ui/tensor_view/heatmap_plot.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/tensor_view.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <qcustomplot.h>

using namespace nnscope;
using ui::BrowserPage;
using ui::TensorView;

namespace {

QPointF pixelOf(const ui::HeatmapPlot& h, double row, double col) {
    return {h.plot()->xAxis->coordToPixel(col), h.plot()->yAxis->coordToPixel(row)};
}

bool showTensor(BrowserPage& page, const QString& file, const QString& tensor) {
    QSignalSpy shown(&page, &BrowserPage::documentShown);
    page.openFile(file);
    if (!shown.wait(20000)) return false;
    QSignalSpy snapshot(&page, &BrowserPage::snapshotShown);
    page.selectTensor(tensor);
    for (int i = 0; i < 3; ++i) {
        if (page.currentSnapshot() &&
            QString::fromStdString(page.currentSnapshot()->name) == tensor)
            return true;
        snapshot.wait(10000);
    }
    return page.currentSnapshot() && QString::fromStdString(page.currentSnapshot()->name) == tensor;
}

} // namespace

class TestHeatmapWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        const Tensor weight = Tensor::arange(1000 * 512, DType::Float32).reshape({1000, 512});
        std::vector<double> kernels(8 * 3 * 3 * 3);
        for (std::size_t i = 0; i < kernels.size(); ++i)
            kernels[i] = std::sin(0.37 * double(i)) * double(i % 7);
        io::save_safetensors(fc_.toStdString(),
                             {{"fc.weight", weight},
                              {"fc.bias", Tensor::zeros({1000})},
                              {"conv.weight", Tensor::from_vector(kernels, {8, 3, 3, 3})}},
                             {});
    }

    void zoomReadsRealRowsAndCsvHoldsEveryValue() {
        BrowserPage page;
        page.resize(1400, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(showTensor(page, fc_, QStringLiteral("fc.weight")));
        TensorView* view = page.tensorView();
        view->setCurrentTab(TensorView::Tab::Heatmap);
        auto* h = view->heatmap();
        QCOMPARE(h->slice().row_step, std::int64_t(4)); // the overview: every 4th row
        QCOMPARE(h->slice().col_step, std::int64_t(2));

        h->plot()->yAxis->setRange(399.5, 419.5);
        h->plot()->xAxis->setRange(99.5, 129.5);
        h->plot()->replot();
        QTRY_VERIFY_WITH_TIMEOUT(h->windowMap()->visible(), 10000);
        QCOMPARE(h->window().row_step, std::int64_t(1));
        QCOMPARE(h->cellTextAt(pixelOf(*h, 405.2, 111.3)), QStringLiteral("[405, 111] = 207471"));
        QCOMPARE(h->cellTextAt(pixelOf(*h, 401.1, 100.2)), QStringLiteral("[401, 100] = 205412"));

        QSignalSpy done(view, &TensorView::exportFinished);
        const QString csv = dir_.filePath(QStringLiteral("fc.csv"));
        view->exportCsv(csv);
        QVERIFY(done.wait(20000));
        QCOMPARE(done.at(0).at(1).toString(), QString());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY(lines[0].startsWith("# nnscope: fc.weight [1000, 512] float32"));
        QCOMPARE(lines.size(), 2 + 1 + 1000 + 1); // comments, header, rows, final newline
        QCOMPARE(lines[3 + 405].split(',').size(), 1 + 512);
        QCOMPARE(lines[3 + 405].split(',').at(1 + 111), QByteArray("207471"));
        QCOMPARE(lines[3 + 999].split(',').last(), QByteArray("511999"));
        // The zoomed window the heatmap shows is still there.
        QVERIFY(h->windowMap()->visible());
    }

    void uint16TensorPlotsItsValues() {
        // safetensors U16 [2, 2] = 65535, 0, 7, 40000, written by hand.
        const QByteArray header = R"({"u":{"dtype":"U16","shape":[2,2],"data_offsets":[0,8]}})";
        QByteArray bytes(8, '\0');
        bytes[0] = char(header.size());
        bytes += header;
        for (quint16 v : {quint16(65535), quint16(0), quint16(7), quint16(40000)})
            bytes += QByteArray(reinterpret_cast<const char*>(&v), 2);
        const QString path = dir_.filePath(QStringLiteral("u16.safetensors"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();

        BrowserPage page;
        page.show();
        QVERIFY(showTensor(page, path, QStringLiteral("u")));
        TensorView* view = page.tensorView();
        QVERIFY2(view->headerText().contains(QStringLiteral("uint16")),
                 qPrintable(view->headerText()));
        QCOMPARE(view->histogram()->message(), QString());
        QVERIFY2(view->histogram()->statsLine().contains(QStringLiteral("max 6.554e+04")),
                 qPrintable(view->histogram()->statsLine()));
        QCOMPARE(view->heatmap()->slice().values, (std::vector<double>{65535, 0, 7, 40000}));
    }

    void failedSnapshotSaysWhyInThePlotArea() {
        BrowserPage page;
        page.show();
        QVERIFY(showTensor(page, fc_, QStringLiteral("fc.weight")));
        QVERIFY(page.tensorView()->hasSnapshot());
        emit page.session().snapshotFailed(QStringLiteral("fc.bias"),
                                           QStringLiteral("the file changed on disk"));
        TensorView* view = page.tensorView();
        QVERIFY(!view->hasSnapshot());
        QVERIFY(!page.currentSnapshot());
        for (const QString& m : {view->histogram()->message(), view->heatmap()->message()})
            QVERIFY2(m.contains(QStringLiteral("fc.bias cannot be plotted")) &&
                         m.contains(QStringLiteral("the file changed on disk")),
                     qPrintable(m));
    }

    // Pictures to look at, written only when NNSCOPE_SCREENSHOT_DIR names a folder.
    void screenshots() {
        const QString out = qEnvironmentVariable("NNSCOPE_SCREENSHOT_DIR");
        if (out.isEmpty()) QSKIP("set NNSCOPE_SCREENSHOT_DIR to write the screenshots");
        for (const int width : {1600, 1024}) {
            BrowserPage page;
            page.resize(width, width == 1600 ? 1000 : 700);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QVERIFY(showTensor(page, fc_, QStringLiteral("fc.weight")));
            TensorView* view = page.tensorView();
            const QString w = QString::number(width);
            view->setCurrentTab(TensorView::Tab::Heatmap);
            auto* h = view->heatmap();
            h->plot()->yAxis->setRange(399.5, 419.5);
            h->plot()->xAxis->setRange(99.5, 129.5);
            h->plot()->replot();
            QTRY_VERIFY_WITH_TIMEOUT(h->windowMap()->visible(), 10000);
            QMouseEvent move(QEvent::MouseMove, pixelOf(*h, 405.2, 111.3),
                             h->plot()->mapToGlobal(QPointF()), Qt::NoButton, Qt::NoButton,
                             Qt::NoModifier);
            QApplication::sendEvent(h->plot(), &move);
            QTest::qWait(100);
            page.grab().save(out + QStringLiteral("/heatmap_zoom_") + w + QStringLiteral(".png"));

            view->setCurrentTab(TensorView::Tab::Histogram);
            auto* hist = view->histogram();
            QTest::qWait(100);
            const QPointF bar(hist->plot()->xAxis->coordToPixel(300000),
                              hist->plot()->yAxis->coordToPixel(1));
            QMouseEvent over(QEvent::MouseMove, bar, hist->plot()->mapToGlobal(QPointF()),
                             Qt::NoButton, Qt::NoButton, Qt::NoModifier);
            QApplication::sendEvent(hist->plot(), &over);
            page.grab().save(out + QStringLiteral("/histogram_hover_") + w +
                             QStringLiteral(".png"));

            QSignalSpy snapshot(&page, &BrowserPage::snapshotShown);
            page.selectTensor(QStringLiteral("conv.weight"));
            QVERIFY(snapshot.wait(10000));
            view->setCurrentTab(TensorView::Tab::Kernels);
            QTest::qWait(100);
            page.grab().save(out + QStringLiteral("/kernels_") + w + QStringLiteral(".png"));

            emit page.session().snapshotFailed(
                QStringLiteral("tokenizer.vocab"),
                QStringLiteral("tensor 'tokenizer.vocab': element type string cannot be read "
                               "by nnscope"));
            view->setCurrentTab(TensorView::Tab::Heatmap);
            QTest::qWait(100);
            page.grab().save(out + QStringLiteral("/unplottable_") + w + QStringLiteral(".png"));
        }
    }

private:
    QTemporaryDir dir_;
    QString fc_ = dir_.filePath(QStringLiteral("fc.safetensors"));
};

QTEST_MAIN(TestHeatmapWindow)
#include "tst_heatmap_window.moc"
