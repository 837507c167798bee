// nnscope-gap-probe --lab: the DataLoader lab's responsiveness. Column A reads DATASET in shuffled
// batches over 3 epochs; its batch size spin box is scrubbed as fast as a held arrow key (kChanges
// values kStepMs apart) while a 1 ms timer notes the longest gap between two event-loop
// iterations. Then kSingles single changes, each waited for: the time from setValue() to the
// analysis arriving in the GUI thread (what the views are handed). One JSON line out.

#include "gap_probe.h"
#include "ui/lab/config_column.h"
#include "ui/lab/config_form.h"
#include "ui/main_window.h"
#include "ui/pages/lab_page.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QSpinBox>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

namespace nnscope::ui {

namespace {

constexpr int kChanges = 200, kStepMs = 10, kSingles = 20;

// Runs the event loop until `done` or `ms` pass; false on time out.
bool wait_until(const std::function<bool()>& done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms) return false;
        QApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int measureLabGaps(MainWindow& window, const QString& dataset, const QString& out) {
    window.resize(1280, 800);
    window.show();
    auto* lab = window.findChild<LabPage*>();
    for (int i = 0; i < window.workspaceCount(); ++i)
        if (window.workspace(i) == lab) window.showWorkspace(i);
    data::DataLoaderConfig config;
    config.dataset = dataset.toStdString();
    config.batch_size = 64;
    config.shuffle = true;
    config.generator_seed = 0;
    config.epochs = 3;
    lab->setConfigurations({config, config});
    ConfigColumn* column = lab->column(0);
    QString error;
    QObject::connect(column, &ConfigColumn::failed, column,
                     [&](const QString& message) { error = message; });
    if (!wait_until([&] { return !lab->isComputing() || !error.isEmpty(); }, 120000) ||
        !error.isEmpty()) {
        std::fprintf(
            stderr, "nnscope-gap-probe: %s\n",
            qPrintable(error.isEmpty() ? QStringLiteral("the lab did not settle") : error));
        return 1;
    }
    const std::int64_t samples = column->analysis()->dataset_size;
    auto* spin = column->form()->findChild<QSpinBox*>(QStringLiteral("batch_size"));

    // When each batch size was set, and the latencies of the analyses that arrived.
    QElapsedTimer clock;
    clock.start();
    std::map<std::int64_t, double> set_at;
    std::vector<double> latencies;
    QObject::connect(column, &ConfigColumn::analysed, column, [&] {
        const auto it = set_at.find(column->analysis()->config.batch_size.value_or(0));
        if (it != set_at.end())
            latencies.push_back(double(clock.nsecsElapsed()) / 1e6 - it->second);
    });
    const auto change = [&](int value) {
        set_at[value] = double(clock.nsecsElapsed()) / 1e6;
        spin->setValue(value);
    };

    double longest = 0, longest_cpu = 0, last_ms = 0, last_cpu = thread_cpu_ms();
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const double now = double(clock.nsecsElapsed()) / 1e6, cpu = thread_cpu_ms();
        if (now - last_ms > longest) {
            longest = now - last_ms;
            longest_cpu = cpu - last_cpu;
        }
        last_ms = now;
        last_cpu = cpu;
    });
    const QString load_before = load_average();
    last_ms = double(clock.nsecsElapsed()) / 1e6;
    ticker.start();
    int next = 0;
    QTimer scrub;
    scrub.setTimerType(Qt::PreciseTimer);
    QObject::connect(&scrub, &QTimer::timeout, &scrub, [&] {
        change(65 + next++);
        if (next == kChanges) scrub.stop();
    });
    scrub.start(kStepMs);
    wait_until([&] { return next == kChanges && !lab->isComputing(); }, 120000);
    ticker.stop();
    const double scrub_ms = double(clock.nsecsElapsed()) / 1e6;
    const std::size_t scrub_arrived = latencies.size();
    const double scrub_last = latencies.empty() ? -1 : latencies.back();

    std::vector<double> single;
    for (int i = 0; i < kSingles; ++i) {
        latencies.clear();
        change(16 + i);
        if (!wait_until([&] { return !latencies.empty(); }, 60000)) {
            std::fprintf(stderr, "nnscope-gap-probe: no analysis after a change\n");
            return 1;
        }
        single.push_back(latencies.front());
    }

    QJsonObject json;
    json[QStringLiteral("dataset")] = dataset;
    json[QStringLiteral("samples")] = double(samples);
    json[QStringLiteral("epochs")] = 3;
    json[QStringLiteral("changes")] = kChanges;
    json[QStringLiteral("change_every_ms")] = kStepMs;
    json[QStringLiteral("scrub_ms")] = scrub_ms;
    json[QStringLiteral("longest_gap_ms")] = longest;
    json[QStringLiteral("longest_gap_gui_cpu_ms")] = longest_cpu;
    json[QStringLiteral("analyses_during_scrub")] = double(scrub_arrived);
    json[QStringLiteral("last_scrub_change_to_analysis_ms")] = scrub_last;
    json[QStringLiteral("change_to_analysis_median_ms")] = median(single);
    json[QStringLiteral("change_to_analysis_max_ms")] =
        *std::max_element(single.begin(), single.end());
    json[QStringLiteral("loadavg_before")] = load_before;
    return write_line(json, out);
}

} // namespace nnscope::ui
