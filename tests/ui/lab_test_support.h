#pragma once
// What the lab view tests share: hand-built analyses, laying a view out offscreen, and reading
// a plot's data and pixels.

#include "data/loader_config_json.h"
#include "workflows/loader_analysis.h"

#include <QFile>
#include <QWidget>
#include <QtTest>
#include <qcustomplot.h>

namespace lab_test {

using nnscope::workflows::LoaderAnalysis;
using nnscope::workflows::LoaderAnalysisPtr;

// range:6 over two epochs: epoch 0 sequential in batches of 4 and 2, epoch 1 shuffled in
// batches of 4 with drop_last dropping 2 and 4; labels 0, 0, 0, 1, 1, 2 (classes "a", "b", "c").
inline std::shared_ptr<LoaderAnalysis> range6() {
    auto a = std::make_shared<LoaderAnalysis>();
    a->dataset = "range:6";
    a->dataset_size = 6;
    a->labels = {0, 0, 0, 1, 1, 2};
    a->class_names = {"a", "b", "c"};
    a->class_counts = {3, 2, 1};
    nnscope::workflows::EpochDraw e0;
    e0.epoch = 0;
    e0.order = {0, 1, 2, 3, 4, 5};
    e0.batch_sizes = {4, 2};
    e0.worker = {-1, -1};
    nnscope::workflows::EpochDraw e1;
    e1.epoch = 1;
    e1.order = {3, 1, 5, 0};
    e1.batch_sizes = {4};
    e1.dropped = {2, 4};
    e1.worker = {-1};
    a->epochs = {e0, e1};
    a->draw_counts = {2, 2, 1, 2, 1, 2};
    a->drawn_per_class = {4, 3, 3};
    return a;
}

// Lays a view out at `width` x 500 on the offscreen screen and draws its plots once.
inline void show(QWidget& view, int width = 800) {
    view.resize(width, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (auto* plot : view.findChildren<QCustomPlot*>())
        plot->replot(QCustomPlot::rpImmediateRefresh);
}

// The pixel of plot coordinates (key, value) on a plot's main axes.
inline QPointF pixel(const QCustomPlot& plot, double key, double value) {
    return {plot.xAxis->coordToPixel(key), plot.yAxis->coordToPixel(value)};
}

inline double cell(const QCPColorMap& map, int key, int value) {
    return map.data()->cell(key, value);
}

inline QVector<double> barValues(const QCPBars& bars) {
    QVector<double> out;
    for (auto it = bars.data()->constBegin(); it != bars.data()->constEnd(); ++it)
        out << it->value;
    return out;
}

inline QString readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// What analyse_loader makes of a JSON configuration.
inline LoaderAnalysisPtr analyse(const char* json) {
    return nnscope::workflows::analyse_loader(
        nnscope::data::loader_config_from_json(nlohmann::json::parse(json)));
}

} // namespace lab_test
