// The tensor view with realistic data: how long the GUI event loop stalls while the view takes in
// a big snapshot (512 x 512 slice, 256 bins; target under 50 ms), and, when NNSCOPE_SCREENSHOTS
// names a folder, screenshots of every tab in light and dark palettes for people to look at.
// The snapshots come from the worker's own make_tensor_snapshot (stats, histc, slice, kernels).

#include "engine/tensor.h"
#include "io/model_document.h"
#include "ui/desktop_palette.h"
#include "ui/tensor_view/heatmap_plot.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/tensor_view.h"

#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <qcustomplot.h>
#include <random>
#include <time.h>

using nnscope::session::TensorSnapshot;
using nnscope::ui::TensorView;

namespace {

// What the worker sends for a float tensor: session::make_tensor_snapshot itself (statistics,
// torch.histc bins, the first slice strided to at most max_slice values, the kernel grid of a 4-D
// weight), timed, so that this benchmark also measures the statistics the window waits for.
TensorSnapshot snapshotOf(std::string name, std::vector<std::int64_t> shape,
                          const std::vector<float>& values, int bins,
                          std::int64_t max_slice = 512 * 512) {
    const nnscope::Tensor tensor =
        nnscope::Tensor::from_vector(std::vector<double>(values.begin(), values.end()), shape);
    nnscope::io::TensorEntry entry;
    entry.name = std::move(name);
    entry.role = nnscope::io::TensorRole::Parameter;
    nnscope::session::SnapshotRequest request;
    request.bins = bins;
    request.max_slice_elements = max_slice;
    QElapsedTimer timer;
    timer.start();
    TensorSnapshot s = nnscope::session::make_tensor_snapshot(entry, tensor, request);
    qInfo("make_tensor_snapshot(%s, %lld elements): %.1f ms", entry.name.c_str(),
          static_cast<long long>(tensor.numel()), double(timer.nsecsElapsed()) / 1e6);
    return s;
}

std::vector<float> normal(std::size_t n, float std, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> dist(0.0f, std);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(gen);
    return v;
}

// A 16 x 1 x 3 x 3 kernel set with recognisable structure: edge detectors in four orientations,
// blobs and noise, like a trained first conv layer.
std::vector<float> edgeKernels() {
    const float sobel[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    std::vector<float> v;
    std::mt19937 gen(7);
    std::normal_distribution<float> noise(0.0f, 0.15f);
    for (int o = 0; o < 16; ++o)
        for (int k = 0; k < 9; ++k) {
            const int r = k / 3, c = k % 3;
            float x;
            switch (o % 4) {
            case 0:
                x = sobel[k];
                break; // vertical edges
            case 1:
                x = sobel[c * 3 + r];
                break; // horizontal edges
            case 2:
                x = (r == 1 && c == 1) ? 4 : -0.5f;
                break; // centre-surround
            default:
                x = float(r - c); // diagonal
            }
            v.push_back(x * (0.3f + 0.05f * float(o)) + noise(gen));
        }
    return v;
}

// CPU time of the calling thread: what the GUI thread itself spends, whatever else the machine
// runs (on a loaded machine the wall-clock gaps also measure the scheduler).
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

QString loadAverage() {
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly)) return QStringLiteral("unknown");
    return QString::fromLatin1(file.readLine()).section(QLatin1Char(' '), 0, 0);
}

} // namespace

class TestTensorViewBench : public QObject {
    Q_OBJECT

private slots:
    void longestEventLoopGapWhileIngesting() {
        // Two different 512 x 512 snapshots with 256 bins, alternated every 40 ms (faster than the
        // 25 Hz the session throttle lets through), while a zero-interval timer notes the longest
        // time between two event-loop turns.
        const auto a = snapshotOf("big.a", {512, 512}, normal(512 * 512, 1.0f, 1), 256);
        auto b_values = normal(512 * 512, 0.5f, 2);
        for (auto& x : b_values)
            x = std::abs(x); // one sign: the sequential gradient
        const auto b = snapshotOf("big.b", {512, 512}, b_values, 256);
        TensorView view;
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // The window shows a tensor from its first second on (the default model): one-time costs
        // such as font loading and the first layout of each tab are paid there, not here.
        view.setSnapshot(b);
        view.setCurrentTab(TensorView::Tab::Histogram);
        QTest::qWait(50);
        view.setCurrentTab(TensorView::Tab::Heatmap);
        QTest::qWait(50);

        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worst = 0;
        double last_cpu = 0, worst_cpu = 0;
        QTimer ticker;
        ticker.setInterval(0);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.nsecsElapsed();
            const double cpu = threadCpuMs();
            worst = std::max(worst, now - last);
            worst_cpu = std::max(worst_cpu, cpu - last_cpu);
            last = now;
            last_cpu = cpu;
        });
        const int updates = 12;
        int delivered = 0;
        QTimer feeder;
        feeder.setInterval(40);
        connect(&feeder, &QTimer::timeout, this, [&] {
            view.setSnapshot(delivered % 2 ? b : a);
            if (++delivered == 6) view.setCurrentTab(TensorView::Tab::Histogram);
            if (delivered == updates) feeder.stop();
        });
        last = clock.nsecsElapsed();
        last_cpu = threadCpuMs();
        ticker.start();
        feeder.start();
        QTRY_COMPARE_WITH_TIMEOUT(delivered, updates, 60000);
        QTest::qWait(100); // the last queued replot
        ticker.stop();
        const double worst_ms = double(worst) / 1e6;
        qInfo(
            "longest gap between event-loop iterations: %.1f ms wall clock, %.1f ms of GUI-thread "
            "CPU (%d snapshots of 512 x 512 with 256 bins, heatmap then histogram shown; load "
            "average %s)",
            worst_ms, worst_cpu, updates, qPrintable(loadAverage()));
#if defined(__SANITIZE_ADDRESS__)
        QVERIFY2(worst_cpu < 1000, "even under ASan the view must not stall for a second");
#else
        // The CPU figure is the view's own cost; the wall-clock one also counts the time the
        // scheduler gave to other processes, so it is reported, not asserted. The target is 50 ms
        // (measured 13-46 ms on a machine at load 10-23); the bound leaves room for a busy CI.
        QVERIFY2(worst_cpu < 100, qPrintable(QStringLiteral("%1 ms").arg(worst_cpu)));
#endif
    }

    void screenshots() {
        const QString dir = qEnvironmentVariable("NNSCOPE_SCREENSHOTS");
        if (dir.isEmpty()) QSKIP("set NNSCOPE_SCREENSHOTS to a folder to write screenshots");
        const auto dense = snapshotOf("fc1.weight", {256, 784}, normal(256 * 784, 0.05f, 3), 64);
        const auto kernels = snapshotOf("conv1.weight", {16, 1, 3, 3}, edgeKernels(), 64);
        const auto big =
            snapshotOf("features.0.weight", {64, 3, 7, 7}, normal(64 * 3 * 49, 0.1f, 4), 64);
        // Rank 3 (the slice picker shows) and strided down (2048 x 1024 is over the 512 x 512
        // budget).
        const auto stacked =
            snapshotOf("encoder.proj", {2048, 1024}, normal(2048 * 1024, 0.02f, 5), 128);
        const auto picked = snapshotOf("attn.heads", {8, 64, 96}, normal(8 * 64 * 96, 1.0f, 6), 64);
        for (const auto& [light, palette] : {std::pair{true, QApplication::palette()},
                                             std::pair{false, nnscope::ui::darkPalette()}}) {
            TensorView view;
            view.setPalette(palette);
            view.resize(1100, 720);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            const QString theme = light ? QStringLiteral("light") : QStringLiteral("dark");
            auto shot = [&](const TensorSnapshot& s, TensorView::Tab tab, const char* what) {
                view.setSnapshot(s);
                view.setCurrentTab(tab);
                QTest::qWait(50);
                const QString path =
                    dir + QStringLiteral("/tensor_view_%1_%2.png").arg(QLatin1String(what), theme);
                QVERIFY(view.grab().save(path));
            };
            shot(dense, TensorView::Tab::Histogram, "histogram");
            shot(dense, TensorView::Tab::Heatmap, "heatmap");
            shot(kernels, TensorView::Tab::Kernels, "kernels16");
            shot(big, TensorView::Tab::Kernels, "kernels64");
            shot(stacked, TensorView::Tab::Heatmap, "strided");
            shot(picked, TensorView::Tab::Heatmap, "rank3");
        }
    }
};

QTEST_MAIN(TestTensorViewBench)
#include "tst_tensor_view_bench.moc"
