#include "ui/train/band_plot.h"

#include "ui/lab/lab_plot.h"

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr int kBands = 4;  // 0-100, 7-93, 16-84, 31-69
constexpr int kMedian = 4; // band_percentiles[4] is 50
constexpr int kAlpha[kBands] = {45, 75, 110, 150};

} // namespace

BandPlot::BandPlot(const QString& name, const QColor& colour, QWidget* parent)
    : QWidget(parent)
    , frame_(new LabPlot(name, this))
    , marker_(nullptr) {
    QCustomPlot* p = frame_->plot();
    for (int b = 0; b < kBands; ++b) {
        auto* lower = p->addGraph();
        auto* upper = p->addGraph();
        QColor fill = colour;
        fill.setAlpha(kAlpha[b]);
        lower->setPen(Qt::NoPen);
        upper->setPen(Qt::NoPen);
        upper->setBrush(fill);
        upper->setChannelFillGraph(lower);
        graphs_.push_back(lower);
        graphs_.push_back(upper);
    }
    auto* median = p->addGraph();
    median->setPen(QPen(colour.darker(140), 1.5));
    graphs_.push_back(median);
    for (QCPGraph* g : graphs_)
        g->setSelectable(QCP::stNone);
    marker_ = new QCPItemStraightLine(p);
    marker_->setPen(QPen(QColor(0xe1, 0x57, 0x59), 1, Qt::DashLine));
    marker_->setVisible(false);
    p->xAxis->setLabel(tr("step"));
    frame_->setHover([this](const QPointF& pos) { return hoverTextAt(pos.x()); },
                     tr("Point at a step for its percentiles; click it for its histogram"));
    frame_->setCsv([this] {
        QString csv = QStringLiteral("step,p0,p7,p16,p31,p50,p69,p84,p93,p100\n");
        for (std::size_t i = 0; i < steps_.size(); ++i) {
            csv += QString::number(std::int64_t(steps_[i]));
            for (double v : bands_[i])
                csv += QLatin1Char(',') + QString::number(v, 'g', 9);
            csv += QLatin1Char('\n');
        }
        return csv;
    });
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (const auto step = stepAt(event->pos().x())) emit stepHovered(*step);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(frame_);
}

QCustomPlot* BandPlot::plot() const {
    return frame_->plot();
}

void BandPlot::setSeries(const std::vector<const workflows::StreamPoint*>& points,
                         const QString& note, const QString& empty) {
    steps_.clear();
    bands_.clear();
    const int n = int(points.size());
    QVector<double> keys(n);
    std::vector<QVector<double>> values(std::size(workflows::band_percentiles), QVector<double>(n));
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; ++i) {
        const workflows::StreamPoint& point = *points[std::size_t(i)];
        keys[i] = double(point.step);
        steps_.push_back(keys[i]);
        std::vector<double> bands = point.bands;
        bands.resize(std::size(workflows::band_percentiles), NAN); // a step without finite values
        for (std::size_t q = 0; q < bands.size(); ++q) {
            values[q][i] = bands[q]; // NaN leaves a gap
            if (std::isfinite(bands[q])) {
                lo = std::min(lo, bands[q]);
                hi = std::max(hi, bands[q]);
            }
        }
        bands_.push_back(std::move(bands));
    }
    frame_->setNote(note);
    if (n == 0 || !(lo <= hi)) {
        for (QCPGraph* g : graphs_)
            g->data()->clear();
        frame_->showMessage(empty);
        return;
    }
    for (int b = 0; b < kBands; ++b) {
        graphs_[std::size_t(2 * b)]->setData(keys, values[std::size_t(b)], true);
        graphs_[std::size_t(2 * b + 1)]->setData(keys, values[std::size_t(8 - b)], true);
    }
    graphs_.back()->setData(keys, values[kMedian], true);
    const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(1e-6, 0.05 * std::abs(hi));
    plot()->yAxis->setRange(lo - pad, hi + pad);
    frame_->showPlot();
}

void BandPlot::setMarker(std::optional<std::int64_t> step) {
    marker_->setVisible(step.has_value());
    if (step) {
        marker_->point1->setCoords(double(*step), 0);
        marker_->point2->setCoords(double(*step), 1);
    }
}

std::optional<std::int64_t> BandPlot::stepAt(double x) const {
    if (steps_.empty()) return std::nullopt;
    const double key = plot()->xAxis->pixelToCoord(x);
    auto it = std::lower_bound(steps_.begin(), steps_.end(), key);
    if (it == steps_.end() || (it != steps_.begin() && key - *(it - 1) < *it - key)) --it;
    return std::int64_t(*it);
}

std::vector<double> BandPlot::bandsAt(std::int64_t step) const {
    const auto it = std::find(steps_.begin(), steps_.end(), double(step));
    return it == steps_.end() ? std::vector<double>{} : bands_[std::size_t(it - steps_.begin())];
}

QString BandPlot::hoverTextAt(double x) const {
    const auto step = stepAt(x);
    if (!step) return {};
    const std::vector<double> b = bandsAt(*step);
    if (b.empty() || !std::isfinite(b[kMedian])) return tr("step %1: no finite values").arg(*step);
    auto v = [](double d) { return QString::number(d, 'g', 4); };
    return tr("step %1: median %2, 16-84%: [%3, %4], min %5, max %6")
        .arg(*step)
        .arg(v(b[kMedian]), v(b[2]), v(b[6]), v(b[0]), v(b[8]));
}

} // namespace nnscope::ui
