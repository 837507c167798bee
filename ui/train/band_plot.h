#pragma once
// One stream of one module over steps as TensorBoard's distributions view draws it: filled bands
// between the percentiles 0-100, 7-93, 16-84 and 31-69 (darker inwards) and the median as a line,
// read from each step's histogram (workflows::band_percentiles). The hover line reads the step
// under the mouse; a marker shows the step whose histogram is shown below.

#include "workflows/train_history.h"

#include <QColor>
#include <QWidget>
#include <optional>
#include <vector>

class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;

namespace nnscope::ui {

class LabPlot;

class BandPlot : public QWidget {
    Q_OBJECT
public:
    // `name` is the file name an export suggests; `colour` the bands' hue.
    BandPlot(const QString& name, const QColor& colour, QWidget* parent = nullptr);

    // Draws the points (in step order); none shows `empty` in the plot's place.
    void setSeries(const std::vector<const workflows::StreamPoint*>& points, const QString& note,
                   const QString& empty);
    // The step whose histogram is shown (a vertical line), or none.
    void setMarker(std::optional<std::int64_t> step);

    QCustomPlot* plot() const;
    LabPlot* frame() const { return frame_; }
    std::size_t pointCount() const { return steps_.size(); }
    // The step of the point nearest to pixel x of the plot; none without points.
    std::optional<std::int64_t> stepAt(double x) const;
    // The 9 band percentiles drawn at a step's point (empty when absent).
    std::vector<double> bandsAt(std::int64_t step) const;
    QString hoverTextAt(double x) const;

signals:
    void stepHovered(std::int64_t step);

private:
    LabPlot* frame_;
    std::vector<QCPGraph*> graphs_; // lower and upper of each band, then the median
    QCPItemStraightLine* marker_;
    std::vector<double> steps_;
    std::vector<std::vector<double>> bands_;
};

} // namespace nnscope::ui
