// nnscope-train-gui-bench OUT.json [--model mlp] [--steps 600] [--limit N] [--rounds 1]
// The training workspace's cost to training and the window's responsiveness while it trains
// (bench/README.md, "Training workspace: GUI"). Each round, alternating:
//  - headless: the same configuration trained on this thread with the worker's probe
//    (bench/train_memory.h: every module, statistics at most every 33 ms, hook events on),
//    `steps` steps timed from the first to the last;
//  - window: the real window offscreen, the training page shown with every stream on,
//    TrainSession::start(config, Run, steps); the same steps timed from the first progress to the
//    pause, while a 1 ms timer notes every gap between two iterations of the GUI event loop.
// One JSON line: both speeds and their ratio (target >= 0.9), the longest gap (target < 50 ms)
// and the 99th percentile gap (target < 16 ms), the load average.

#include "gap_probe.h"
#include "train_memory.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"
#include "ui/pages/train_page.h"
#include "ui/train/train_session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace nnscope;
using namespace nnscope::ui;

struct Options {
    workflows::TrainingConfig config;
    std::int64_t steps = 600;
    int rounds = 1;
    QString out;
};

struct Speed {
    double steps_per_second = 0;
    double train_cpu_ms = 0; // the training thread's CPU per step (headless only)
};

Speed headless(const Options& o) {
    workflows::TrainingRun run(o.config);
    bench::WindowProbe probe(run, std::chrono::milliseconds(33));
    run.set_observer(&probe);
    run.step(); // the first step is not timed (first touches), as the window's
    QElapsedTimer clock;
    clock.start();
    const double cpu = thread_cpu_ms();
    for (std::int64_t i = 1; i < o.steps; ++i)
        if (!run.step()) break;
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    run.set_observer(nullptr);
    return {double(o.steps - 1) / seconds, (thread_cpu_ms() - cpu) / double(o.steps - 1)};
}

struct WindowResult {
    double steps_per_second = 0;
    double longest_gap_ms = 0, p99_gap_ms = 0, p999_gap_ms = 0;
    double longest_gap_gui_cpu_ms = 0;
    std::int64_t ticks = 0, progress_signals = 0;
    QString error;
};

WindowResult windowed(MainWindow& window, TrainPage& page, const Options& o) {
    WindowResult r;
    TrainSession& session = *page.session();
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    std::vector<double> gaps;
    bool measuring = false;
    qint64 first_ns = 0, last_ns = 0, end_ns = 0;
    double last_cpu = 0;
    std::int64_t first_step = 0, end_step = 0;

    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &loop, [&] {
        const qint64 ns = clock.nsecsElapsed();
        const double cpu = thread_cpu_ms();
        if (measuring) {
            const double gap = double(ns - last_ns) / 1e6;
            gaps.push_back(gap);
            if (gap > r.longest_gap_ms) {
                r.longest_gap_ms = gap;
                r.longest_gap_gui_cpu_ms = cpu - last_cpu;
            }
        }
        last_ns = ns;
        last_cpu = cpu;
    });
    QObject::connect(&session, &TrainSession::progressed, &loop,
                     [&](const session::TrainProgress& latest) {
                         ++r.progress_signals;
                         if (!measuring && latest.step >= 1) {
                             measuring = true;
                             first_ns = clock.nsecsElapsed();
                             first_step = latest.step;
                         }
                         end_ns = clock.nsecsElapsed();
                         end_step = latest.step;
                     });
    const auto end = [&] {
        measuring = false;
        loop.quit();
    };
    QObject::connect(&session, &TrainSession::paused, &loop,
                     [&](const session::TrainPaused&) { end(); });
    QObject::connect(&session, &TrainSession::finished, &loop,
                     [&](const session::TrainFinished&) { end(); });
    QObject::connect(&session, &TrainSession::failed, &loop, [&](const session::TrainFailed& f) {
        r.error = QString::fromStdString(f.message);
        end();
    });
    QTimer::singleShot(900000, &loop, [&] {
        r.error = QStringLiteral("timed out after 900 s");
        end();
    });
    ticker.start();
    session.start(o.config, workflows::RunCommand::Run, o.steps);
    loop.exec();
    ticker.stop();
    (void)window;
    if (end_step <= first_step) {
        if (r.error.isEmpty()) r.error = QStringLiteral("no progress arrived");
        return r;
    }
    r.steps_per_second = double(end_step - first_step) / (double(end_ns - first_ns) / 1e9);
    r.ticks = std::int64_t(gaps.size());
    std::sort(gaps.begin(), gaps.end());
    if (!gaps.empty()) {
        r.p99_gap_ms = gaps[std::min(gaps.size() - 1, gaps.size() * 99 / 100)];
        r.p999_gap_ms = gaps[std::min(gaps.size() - 1, gaps.size() * 999 / 1000)];
    }
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

Options parse(int argc, char** argv) {
    Options o;
    o.config.model = "mlp";
    o.config.loader.dataset = "fashion-mnist";
    o.config.loader.epochs = 1;
    o.config.optimizer.lr = workflows::default_learning_rate(o.config.optimizer.name);
    if (argc < 2) throw std::invalid_argument("usage: nnscope-train-gui-bench OUT.json [options]");
    o.out = QString::fromLocal8Bit(argv[1]);
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        const std::string value = argv[++i];
        if (arg == "--model")
            o.config.model = value;
        else if (arg == "--steps")
            o.steps = std::stoll(value);
        else if (arg == "--limit")
            workflows::limit_samples(o.config, std::stoll(value));
        else if (arg == "--rounds")
            o.rounds = std::stoi(value);
        else
            throw std::invalid_argument("unknown argument " + arg);
    }
    if (o.steps < 2) throw std::invalid_argument("--steps must be at least 2");
    return o;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("nnscope"));
    QApplication::setApplicationName(QStringLiteral("nnscope"));
    try {
        const Options o = parse(argc, argv);
        applyDesktopPalette(app);
        MainWindow window(nullptr, false);
        window.resize(1600, 1000);
        window.show();
        auto* page = window.findChild<TrainPage*>();
        if (!page) throw std::runtime_error("the window has no training page");
        for (int i = 0; i < window.workspaceCount(); ++i)
            if (window.workspace(i) == page) window.showWorkspace(i);
        const QString load_before = load_average();
        std::vector<double> headless_speeds, window_speeds, ratios;
        QJsonArray rounds;
        WindowResult worst;
        for (int round = 0; round < o.rounds; ++round) {
            const Speed h = headless(o);
            const WindowResult w = windowed(window, *page, o);
            if (!w.error.isEmpty()) throw std::runtime_error(w.error.toStdString());
            headless_speeds.push_back(h.steps_per_second);
            window_speeds.push_back(w.steps_per_second);
            ratios.push_back(w.steps_per_second / h.steps_per_second);
            if (w.longest_gap_ms >= worst.longest_gap_ms) worst = w;
            rounds.append(
                QJsonObject{{QStringLiteral("headless_steps_per_second"), h.steps_per_second},
                            {QStringLiteral("headless_cpu_ms_per_step"), h.train_cpu_ms},
                            {QStringLiteral("window_steps_per_second"), w.steps_per_second},
                            {QStringLiteral("longest_gap_ms"), w.longest_gap_ms},
                            {QStringLiteral("p99_gap_ms"), w.p99_gap_ms},
                            {QStringLiteral("p999_gap_ms"), w.p999_gap_ms},
                            {QStringLiteral("longest_gap_gui_cpu_ms"), w.longest_gap_gui_cpu_ms},
                            {QStringLiteral("progress_signals"), double(w.progress_signals)},
                            {QStringLiteral("ticks"), double(w.ticks)}});
        }
        QJsonObject json;
        json[QStringLiteral("model")] = QString::fromStdString(o.config.model);
        json[QStringLiteral("steps")] = double(o.steps);
        json[QStringLiteral("headless_steps_per_second")] = median(headless_speeds);
        json[QStringLiteral("window_steps_per_second")] = median(window_speeds);
        json[QStringLiteral("window_over_headless")] = median(ratios);
        json[QStringLiteral("longest_gap_ms")] = worst.longest_gap_ms;
        json[QStringLiteral("p99_gap_ms")] = worst.p99_gap_ms;
        json[QStringLiteral("rounds")] = rounds;
        json[QStringLiteral("loadavg_before")] = load_before;
        const int status = write_line(json, o.out);
        page->shutdown();
        return status;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnscope-train-gui-bench: %s\n", e.what());
        return 1;
    }
}
