#include "gap_probe.h"

#include "ui/main_window.h"
#include "ui/models/module_tree_model.h"
#include "ui/pages/browser_page.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <time.h>

namespace nnscope::ui {

// CPU time of the calling (GUI) thread: on a loaded machine a wall-clock gap also counts the time
// the scheduler gave other processes; this says how much of it the window itself spent.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

QString load_average() {
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly)) return QStringLiteral("unknown");
    return QString::fromLatin1(file.readLine()).trimmed();
}

QString build_kind() {
#if defined(__SANITIZE_ADDRESS__)
    return QStringLiteral("asan");
#elif defined(NDEBUG)
    return QStringLiteral("release");
#else
    return QStringLiteral("debug");
#endif
}

int write_line(QJsonObject json, const QString& out) {
    json[QStringLiteral("loadavg_after")] = load_average();
    json[QStringLiteral("cores")] = QThread::idealThreadCount();
    json[QStringLiteral("build")] = build_kind();
    const QByteArray line = QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    QFile sink(out);
    if (!sink.open(QIODevice::WriteOnly | QIODevice::Truncate) || sink.write(line) != line.size()) {
        std::fprintf(stderr, "nnscope-gap-probe: %s: cannot write\n", qPrintable(out));
        return 2;
    }
    return 0;
}

namespace {

// The longest gap between two ticks in one phase of the measurement.
struct Phase {
    double gap_ms = 0;
    double at_ms = 0;      // when the gap ended, from the open
    double gui_cpu_ms = 0; // GUI-thread CPU time within that gap
};

// Which event was being handled when the GUI thread went quiet: the time between two events the
// application filter sees is charged to the first of them (for a queued slot, a MetaCall; for
// painting, an UpdateRequest to the window).
class EventCharger : public QObject {
public:
    explicit EventCharger(const QElapsedTimer& clock)
        : clock_(clock) {}

    bool eventFilter(QObject* receiver, QEvent* event) override {
        const qint64 now = clock_.nsecsElapsed();
        const double cpu = thread_cpu_ms();
        if (last_ns_ >= 0) {
            if (now - last_ns_ > worst_ns_) {
                worst_ns_ = now - last_ns_;
                worst_ = last_;
            }
            if (cpu - last_cpu_ > worst_cpu_ms_) {
                worst_cpu_ms_ = cpu - last_cpu_;
                worst_cpu_ = last_;
            }
        }
        last_ns_ = now;
        last_cpu_ = cpu;
        last_ = QStringLiteral("event %1 to %2")
                    .arg(QString::number(int(event->type())),
                         QString::fromLatin1(receiver->metaObject()->className()));
        if (!receiver->objectName().isEmpty()) last_ += QLatin1Char(' ') + receiver->objectName();
        return false;
    }
    // The event with the longest wall-clock time, and the one with the most GUI-thread CPU.
    QString worst() const {
        return QStringLiteral("%1: %2 ms").arg(worst_).arg(double(worst_ns_) / 1e6, 0, 'f', 1);
    }
    QString worstCpu() const {
        return QStringLiteral("%1: %2 ms CPU").arg(worst_cpu_).arg(worst_cpu_ms_, 0, 'f', 1);
    }

private:
    const QElapsedTimer& clock_;
    qint64 last_ns_ = -1;
    qint64 worst_ns_ = 0;
    double last_cpu_ = 0;
    double worst_cpu_ms_ = 0;
    QString last_;
    QString worst_;
    QString worst_cpu_;
};

} // namespace

int measureGaps(MainWindow& window, const QString& file, const QString& out) {
    window.resize(1280, 800);
    window.show();
    // First show (fonts, first layout) happens before any file opens: not part of the figure.
    QElapsedTimer warm;
    warm.start();
    while (warm.elapsed() < 500)
        QApplication::processEvents(QEventLoop::AllEvents, 50);

    BrowserPage& browser = *window.browser();
    enum Step { Opening, Histogram, Statistics, Done };
    const char* const step_names[] = {"open", "histogram", "statistics"};
    Phase phases[3];
    Step step = Opening;
    QString largest, error;
    qint64 largest_numel = 0;
    std::size_t tensors = 0;
    QString format;
    double tree_ms = -1, selected_ms = -1, histogram_ms = -1, statistics_ms = -1;
    qint64 ticks = 0;

    QEventLoop loop;
    QElapsedTimer clock;
    qint64 last_ns = 0;
    double last_cpu = 0;
    auto now_ms = [&] { return double(clock.nsecsElapsed()) / 1e6; };

    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &loop, [&] {
        const qint64 ns = clock.nsecsElapsed();
        const double cpu = thread_cpu_ms();
        const double gap = double(ns - last_ns) / 1e6;
        ++ticks;
        if (step != Done) {
            Phase& p = phases[step];
            if (gap > p.gap_ms) p = Phase{gap, double(ns) / 1e6, cpu - last_cpu};
        }
        last_ns = ns;
        last_cpu = cpu;
        if (step == Statistics && !window.isBusy()) {
            statistics_ms = now_ms();
            step = Done;
            loop.quit();
        }
    });
    QObject::connect(&browser, &BrowserPage::documentShown, &loop, [&] {
        tree_ms = now_ms();
        const auto& document = browser.moduleModel()->document();
        tensors = document->tensors.size();
        format = QString::fromUtf8(io::to_string(document->format));
        for (const auto& t : document->tensors)
            if (t.numel > largest_numel) {
                largest_numel = t.numel;
                largest = QString::fromStdString(t.name);
            }
        step = Histogram;
        selected_ms = now_ms();
        // As a user would: the whole model, then the biggest tensor in its table.
        if (largest.isEmpty() || !browser.selectModule(QString()) ||
            !browser.selectTensor(largest)) {
            error = QStringLiteral("no tensor to select");
            loop.quit();
        }
    });
    QObject::connect(&browser, &BrowserPage::snapshotShown, &loop, [&] {
        const auto& shown = browser.currentSnapshot();
        if (step != Histogram || !shown || QString::fromStdString(shown->name) != largest) return;
        histogram_ms = now_ms();
        step = Statistics;
    });
    QObject::connect(&browser, &BrowserPage::loadFailed, &loop,
                     [&](const QString& f, const QString& message) {
                         error = f + QStringLiteral(": ") + message;
                         loop.quit();
                     });
    QTimer::singleShot(600000, &loop, [&] {
        error = QStringLiteral("timed out after 600 s");
        loop.quit();
    });

    const QString load_before = load_average();
    clock.start();
    EventCharger charger(clock);
    qApp->installEventFilter(&charger);
    last_ns = clock.nsecsElapsed();
    last_cpu = thread_cpu_ms();
    ticker.start();
    window.openFile(file);
    loop.exec();
    ticker.stop();
    qApp->removeEventFilter(&charger);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "nnscope-gap-probe: %s\n", qPrintable(error));
        return 1;
    }

    QJsonObject json;
    json[QStringLiteral("file")] = QFileInfo(file).absoluteFilePath();
    json[QStringLiteral("bytes")] = double(QFileInfo(file).size());
    json[QStringLiteral("format")] = format;
    json[QStringLiteral("tensors")] = double(tensors);
    json[QStringLiteral("largest_tensor")] = largest;
    json[QStringLiteral("largest_numel")] = double(largest_numel);
    json[QStringLiteral("time_to_tree_ms")] = tree_ms;
    json[QStringLiteral("time_to_histogram_ms")] = histogram_ms;
    json[QStringLiteral("histogram_after_select_ms")] = histogram_ms - selected_ms;
    json[QStringLiteral("time_to_all_statistics_ms")] = statistics_ms;
    int worst = 0;
    QJsonObject by_phase;
    for (int i = 0; i < 3; ++i) {
        by_phase[QLatin1String(step_names[i])] = phases[i].gap_ms;
        if (phases[i].gap_ms > phases[worst].gap_ms) worst = i;
    }
    json[QStringLiteral("longest_gap_ms")] = phases[worst].gap_ms;
    json[QStringLiteral("longest_gap_phase")] = QLatin1String(step_names[worst]);
    json[QStringLiteral("longest_gap_at_ms")] = phases[worst].at_ms;
    json[QStringLiteral("longest_gap_gui_cpu_ms")] = phases[worst].gui_cpu_ms;
    json[QStringLiteral("longest_gap_ms_by_phase")] = by_phase;
    json[QStringLiteral("slowest_event")] = charger.worst();
    json[QStringLiteral("costliest_event")] = charger.worstCpu();
    json[QStringLiteral("event_loop_ticks")] = double(ticks);
    json[QStringLiteral("loadavg_before")] = load_before;
    return write_line(json, out);
}

} // namespace nnscope::ui
