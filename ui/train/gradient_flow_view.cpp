#include "ui/train/gradient_flow_view.h"

#include "ui/lab/lab_plot.h"
#include "ui/tensor_view/plot_style.h"
#include "ui/train/band_plot_brush.h"
#include "ui/train/train_session.h"

#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr std::size_t kMostParams = 8;  // lines of a container's parameters
constexpr std::size_t kMostLabels = 40; // layer names under the bars, past that only on hover

std::string ownerOf(const std::string& param) {
    const auto dot = param.rfind('.');
    return dot == std::string::npos ? std::string() : param.substr(0, dot);
}

bool isUnder(const std::string& param, const std::string& module) {
    return module.empty() ||
           (param.size() > module.size() && param.compare(0, module.size(), module) == 0 &&
            param[module.size()] == '.');
}

// Log axes cannot show zero, a negative or NaN: such points are left out (a gap).
double positive(double v) {
    return v > 0 && std::isfinite(v) ? v : NAN;
}

void logAxis(QCPAxis& axis) {
    axis.setScaleType(QCPAxis::stLogarithmic);
    axis.setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    axis.setNumberFormat(QStringLiteral("gb"));
    axis.setNumberPrecision(3);
}

// The smallest and largest positive value of the graphs, widened to two decades at least so the
// log axis has a power of ten to mark: the log axis's range.
void fitLog(QCPAxis& axis, const std::vector<double>& values) {
    double lo = INFINITY, hi = 0;
    for (double v : values)
        if (v > 0 && std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (!(hi > 0)) return;
    lo /= 2;
    hi *= 2;
    if (const double short_by = 100 / (hi / lo); short_by > 1) {
        lo /= std::sqrt(short_by);
        hi *= std::sqrt(short_by);
    }
    axis.setRange(lo, hi);
}

} // namespace

GradientFlowView::GradientFlowView(TrainSession* session, QWidget* parent)
    : LiveView(parent)
    , session_(session)
    , norms_(new LabPlot(QStringLiteral("norms"), this))
    , ratio_(new LabPlot(QStringLiteral("update_ratio"), this))
    , flow_(new LabPlot(QStringLiteral("gradient_flow"), this)) {
    for (LabPlot* p : {norms_, ratio_}) {
        p->plot()->xAxis->setLabel(tr("step"));
        logAxis(*p->plot()->yAxis);
        new StepBrush(p->plot(), session_);
    }
    norms_->plot()->yAxis->setLabel(tr("2-norm"));
    ratio_->plot()->yAxis->setLabel(tr("update / weight"));
    rule_ = new QCPItemStraightLine(ratio_->plot());
    rule_->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    rule_->point1->setCoords(0, 1e-3);
    rule_->point2->setCoords(1, 1e-3);

    QCustomPlot* f = flow_->plot();
    logAxis(*f->yAxis);
    f->yAxis->setLabel(tr("gradient 2-norm"));
    bars_ = new QCPBars(f->xAxis, f->yAxis);
    selected_bar_ = new QCPBars(f->xAxis, f->yAxis);
    bars_->setBrush(categoryColour(0));
    selected_bar_->setBrush(categoryColour(1));
    for (QCPBars* b : {bars_, selected_bar_}) {
        b->setPen(Qt::NoPen);
        b->setWidth(0.8);
        b->setBaseValue(1e-30); // bars rise from the bottom of the log axis
    }
    flow_->setHover(
        [this](const QPointF& pos) {
            const auto i = std::llround(flow_->plot()->xAxis->pixelToCoord(pos.x()));
            if (i < 0 || std::size_t(i) >= layers_.size()) return QString();
            return tr("%1: gradient norm %2")
                .arg(QString::fromStdString(layers_[std::size_t(i)]))
                .arg(flow_values_[std::size_t(i)], 0, 'g', 4);
        },
        tr("Point at a bar for its layer"));
    flow_->setCsv([this] {
        QString csv = QStringLiteral("layer,grad_norm\n");
        for (std::size_t i = 0; i < layers_.size(); ++i)
            csv += QString::fromStdString(layers_[i]) + QLatin1Char(',') +
                   QString::number(flow_values_[i], 'g', 9) + QLatin1Char('\n');
        return csv;
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(norms_, 1);
    layout->addWidget(ratio_, 1);
    layout->addWidget(flow_, 1);

    connect(session_, &TrainSession::started, this, &GradientFlowView::refresh);
    connect(session_, &TrainSession::progressed, this, &GradientFlowView::refresh);
    connect(session_, &TrainSession::paused, this, &GradientFlowView::refresh);
    connect(session_, &TrainSession::moduleSelected, this, &GradientFlowView::refresh);
    connect(session_, &TrainSession::stepRangeChanged, this, &GradientFlowView::refresh);
    refresh();
}

void GradientFlowView::draw() {
    drawSeries();
    drawFlow();
}

void GradientFlowView::drawSeries() {
    const auto& history = session_->history();
    const QString selected = session_->selectedModule();
    const std::string module = selected.toStdString();
    shown_.clear();
    if (!selected.isNull()) {
        for (const std::string& p : history.params())
            if (ownerOf(p) == module) shown_.push_back(p);
        if (shown_.empty())
            for (const std::string& p : history.params())
                if (isUnder(p, module) && shown_.size() < kMostParams) shown_.push_back(p);
    }
    for (LabPlot* p : {norms_, ratio_})
        p->plot()->clearGraphs();
    if (shown_.empty()) {
        const QString why = selected.isNull()
                                ? tr("Select a module in the tree.")
                                : tr("%1 has no parameters with recorded norms.")
                                      .arg(selected.isEmpty() ? tr("The model") : selected);
        norms_->showMessage(why);
        ratio_->showMessage(why);
        return;
    }
    std::int64_t first = 0, last = INT64_MAX;
    if (const auto range = session_->stepRange()) std::tie(first, last) = *range;
    std::vector<double> norm_values, ratio_values;
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < shown_.size(); ++i) {
        const auto points = history.param_series(shown_[i], first, last);
        QVector<double> steps, grad, weight, ratio;
        for (const workflows::ParamPoint* p : points) {
            steps << double(p->step);
            grad << positive(p->grad_norm);
            weight << positive(p->weight_norm);
            ratio << positive(p->update_ratio());
        }
        if (!steps.isEmpty()) {
            lo = std::min(lo, steps.front());
            hi = std::max(hi, steps.back());
        }
        norm_values.insert(norm_values.end(), grad.begin(), grad.end());
        norm_values.insert(norm_values.end(), weight.begin(), weight.end());
        ratio_values.insert(ratio_values.end(), ratio.begin(), ratio.end());
        const QColor colour = categoryColour(i);
        const QString name = QString::fromStdString(shown_[i]);
        auto add = [&](LabPlot* plot, const QVector<double>& values, Qt::PenStyle style,
                       const QString& label) {
            QCPGraph* g = plot->plot()->addGraph();
            g->setPen(QPen(colour, 1.5, style));
            g->setName(label);
            g->setData(steps, values, true);
        };
        add(norms_, grad, Qt::SolidLine, tr("%1 grad").arg(name));
        add(norms_, weight, Qt::DashLine, tr("%1 weight").arg(name));
        add(ratio_, ratio, Qt::SolidLine, name);
    }
    if (!(lo <= hi)) {
        norms_->showMessage(tr("No steps recorded in this range."));
        ratio_->showMessage(tr("No steps recorded in this range."));
        return;
    }
    ratio_values.push_back(1e-3); // the rule of thumb stays in view
    fitLog(*norms_->plot()->yAxis, norm_values);
    fitLog(*ratio_->plot()->yAxis, ratio_values);
    norms_->setNote(tr("Gradient norm (solid) and weight norm (dashed) per step"));
    ratio_->setNote(tr("Update-to-weight ratio ||Δp|| / ||p|| per step"));
    for (LabPlot* p : {norms_, ratio_}) {
        p->plot()->legend->setVisible(true);
        applyStepRange(*p->plot()->xAxis, *session_, lo, hi);
        p->showPlot();
    }
}

void GradientFlowView::drawFlow() {
    const auto& history = session_->history();
    layers_.clear();
    flow_values_.clear();
    flow_step_.reset();
    // The paused step when the history has it (the step is done), else the latest observed.
    std::vector<std::int64_t> candidates;
    if (const auto& paused = session_->pausedAt()) candidates.push_back(paused->step);
    if (const auto last = history.last_observed_step()) candidates.push_back(*last);
    std::vector<double> squares;
    for (std::int64_t step : candidates) {
        for (const std::string& p : history.params()) {
            const auto points = history.param_series(p, step, step);
            if (points.empty() || std::isnan(points.front()->grad_norm)) continue;
            const std::string owner = ownerOf(p);
            if (layers_.empty() || layers_.back() != owner) {
                layers_.push_back(owner);
                squares.push_back(0);
            }
            squares.back() += points.front()->grad_norm * points.front()->grad_norm;
        }
        if (!layers_.empty()) {
            flow_step_ = step;
            break;
        }
    }
    if (layers_.empty()) {
        bars_->data()->clear();
        selected_bar_->data()->clear();
        flow_->showMessage(tr("No parameter gradients recorded yet."));
        return;
    }
    QVector<double> keys, values, sel_keys, sel_values;
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    const std::string selected = session_->selectedModule().toStdString();
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const double v = std::sqrt(squares[i]);
        flow_values_.push_back(v);
        auto& k = layers_[i] == selected ? sel_keys : keys;
        auto& vals = layers_[i] == selected ? sel_values : values;
        k << double(i);
        vals << positive(v);
        if (layers_.size() <= kMostLabels)
            ticker->addTick(double(i),
                            QString::fromStdString(layers_[i].empty() ? "(model)" : layers_[i]));
    }
    bars_->setData(keys, values, true);
    selected_bar_->setData(sel_keys, sel_values, true);
    QCustomPlot* f = flow_->plot();
    f->xAxis->setTicker(ticker);
    f->xAxis->setTickLabelRotation(layers_.size() > 8 ? 60 : 0);
    f->xAxis->setRange(-0.6, double(layers_.size()) - 0.4);
    fitLog(*f->yAxis, flow_values_);
    flow_->setNote(tr("Gradient flow at step %1: one bar per layer (its parameters' gradient norm)")
                       .arg(*flow_step_));
    flow_->showPlot();
}

} // namespace nnscope::ui
