#pragma once
// The loading-speed plots of the lab's Speed tab: samples/s against num_workers (left axis) with
// each point's median batch wait and an error bar up to its p90 (right axis) and a dashed line
// at the machine's core count; under it, the per-batch wait of the last point measured, the
// first batch (iter() and the workers' start-up) marked apart.

#include "workflows/loader_throughput.h"

#include <QWidget>
#include <vector>

class QCustomPlot;

namespace nnscope::ui {

class PlaceholderStack;

class ThroughputPlots : public QWidget {
    Q_OBJECT
public:
    explicit ThroughputPlots(QWidget* parent = nullptr);

    // Points in any order (drawn by num_workers); the latency plot shows `latest`'s batches.
    void setPoints(const std::vector<workflows::ThroughputPoint>& points,
                   const workflows::ThroughputPoint& latest, const workflows::MachineLoad& machine);
    void showMessage(const QString& text);

    QCustomPlot* ratePlot() const { return rate_; }
    QCustomPlot* latencyPlot() const { return latency_; }
    // The points drawn on the rate plot (0 when a message is shown).
    int pointCount() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColours();
    void drawLatencies(const workflows::ThroughputPoint& point);

    QCustomPlot* rate_;
    QCustomPlot* latency_;
    PlaceholderStack* stack_;
};

} // namespace nnscope::ui
