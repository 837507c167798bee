#include "ui/train/distributions_view.h"

#include "ui/lab/lab_plot.h"
#include "ui/tensor_view/plot_style.h"
#include "ui/train/band_plot.h"
#include "ui/train/band_plot_brush.h"
#include "ui/train/distributions_view_step.h"
#include "ui/train/train_session.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnscope::ui {

using workflows::Stream;
using workflows::StreamPoint;

namespace {

QString moduleText(const QString& module, const std::string& type) {
    const QString name = module.isEmpty() ? DistributionsView::tr("the model") : module;
    return type.empty() ? name : QStringLiteral("%1 (%2)").arg(name, QString::fromStdString(type));
}

} // namespace

DistributionsView::DistributionsView(TrainSession* session, QWidget* parent)
    : LiveView(parent)
    , session_(session)
    , title_(new QLabel(this))
    , act_(new BandPlot(QStringLiteral("activations"), categoryColour(0), this))
    , grad_(new BandPlot(QStringLiteral("gradients"), categoryColour(1), this))
    , zeros_(new LabPlot(QStringLiteral("zeros"), this))
    , step_(new StepHistogram(this)) {
    title_->setWordWrap(true);
    QCustomPlot* z = zeros_->plot();
    zero_line_ = z->addGraph();
    zero_line_->setPen(QPen(categoryColour(4), 1.5));
    zero_line_->setName(tr("zeros in the output"));
    act_nonfinite_ = new QCPBars(z->xAxis, z->yAxis2);
    grad_nonfinite_ = new QCPBars(z->xAxis, z->yAxis2);
    act_nonfinite_->setName(tr("NaN/Inf in the output"));
    grad_nonfinite_->setName(tr("NaN/Inf in grad_output"));
    act_nonfinite_->setBrush(QColor(0xe1, 0x57, 0x59));
    grad_nonfinite_->setBrush(QColor(0x9c, 0x2a, 0x2a));
    for (QCPBars* bars : {act_nonfinite_, grad_nonfinite_}) {
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.8);
    }
    grad_nonfinite_->moveAbove(act_nonfinite_);
    z->xAxis->setLabel(tr("step"));
    z->yAxis->setLabel(tr("share of zeros"));
    z->yAxis->setRange(0, 1.05);
    z->yAxis2->setVisible(true);
    z->yAxis2->setLabel(tr("NaN/Inf count"));
    legendAbove(*z, 3);

    for (BandPlot* plot : {act_, grad_}) {
        const Stream stream = plot == act_ ? Stream::Activation : Stream::Gradient;
        auto* brush = new StepBrush(plot->plot(), session_);
        connect(brush, &StepBrush::stepClicked, this,
                [this, stream](std::int64_t step) { showStep(stream, step); });
        connect(plot, &BandPlot::stepHovered, this,
                [this, stream](std::int64_t step) { showStep(stream, step); });
    }
    auto* zeros_brush = new StepBrush(z, session_);
    connect(zeros_brush, &StepBrush::stepClicked, this,
            [this](std::int64_t step) { showStep(Stream::Activation, step); });

    auto* bands = new QWidget(this);
    auto* bands_layout = new QVBoxLayout(bands);
    bands_layout->setContentsMargins(0, 0, 0, 0);
    bands_layout->addWidget(act_, 1);
    bands_layout->addWidget(grad_, 1);
    bands_layout->addWidget(zeros_, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(bands);
    split->addWidget(step_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addWidget(split, 1);

    connect(session_, &TrainSession::started, this, [this] {
        step_shown_.reset();
        refresh();
    });
    connect(session_, &TrainSession::progressed, this, &DistributionsView::refresh);
    connect(session_, &TrainSession::moduleSelected, this, &DistributionsView::refresh);
    connect(session_, &TrainSession::stepRangeChanged, this, &DistributionsView::refresh);
    refresh();
}

void DistributionsView::showStep(Stream stream, std::int64_t step) {
    if (stream_ == stream && step_shown_ == step) return;
    stream_ = stream;
    step_shown_ = step;
    drawStep();
}

void DistributionsView::draw() {
    const QString module = session_->selectedModule();
    const auto& history = session_->history();
    if (module.isNull()) {
        title_->setText(tr("Select a module in the tree to see its distributions over steps."));
        act_->setSeries({}, {}, tr("No module selected."));
        grad_->setSeries({}, {}, tr("No module selected."));
        zeros_->showMessage(tr("No module selected."));
        drawStep();
        return;
    }
    const std::string path = module.toStdString();
    const std::string type = history.module_type(path);
    const QString name = moduleText(module, type);
    std::int64_t first = 0, last = INT64_MAX;
    if (const auto range = session_->stepRange()) std::tie(first, last) = *range;
    const auto acts = history.series(path, Stream::Activation, first, last);
    const auto grads = history.series(path, Stream::Gradient, first, last);
    title_->setText(session_->stepRange()
                        ? tr("%1, steps %2 to %3 (double-click a plot to see all)")
                              .arg(name)
                              .arg(first)
                              .arg(last)
                        : name);
    act_->setSeries(acts,
                    tr("Output of %1: percentiles 0, 7, 16, 31, 50, 69, 84, 93, 100").arg(name),
                    tr("No activations of %1 recorded yet.").arg(name));
    grad_->setSeries(grads, tr("Gradient w.r.t. the output of %1 (grad_output)").arg(name),
                     tr("No gradients of %1 recorded yet.").arg(name));
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* series : {&acts, &grads})
        if (!series->empty()) {
            lo = std::min(lo, double(series->front()->step));
            hi = std::max(hi, double(series->back()->step));
        }
    if (lo <= hi)
        for (QCustomPlot* p : {act_->plot(), grad_->plot(), zeros_->plot()}) {
            applyStepRange(*p->xAxis, *session_, lo, hi);
            replotWhenShown(*p);
        }
    drawZeros(acts, grads);
    drawStep();
}

void DistributionsView::drawZeros(const std::vector<const StreamPoint*>& acts,
                                  const std::vector<const StreamPoint*>& grads) {
    const bool relu =
        session_->history().module_type(session_->selectedModule().toStdString()) == "ReLU";
    zero_line_->setName(relu ? tr("dead units (zeros after the ReLU)") : tr("zeros in the output"));
    QVector<double> keys, zeros, act_bad, grad_keys, grad_bad;
    double most = 0;
    for (const StreamPoint* p : acts) {
        const auto& s = p->stats.stats;
        keys << double(p->step);
        zeros << s.zero_fraction();
        act_bad << double(s.nan + s.pos_inf + s.neg_inf);
        most = std::max(most, act_bad.back());
    }
    for (const StreamPoint* p : grads) {
        const auto& s = p->stats.stats;
        grad_keys << double(p->step);
        grad_bad << double(s.nan + s.pos_inf + s.neg_inf);
        most = std::max(most, grad_bad.back());
    }
    if (keys.isEmpty() && grad_keys.isEmpty()) {
        zeros_->showMessage(tr("Nothing recorded yet for this module."));
        return;
    }
    zero_line_->setData(keys, zeros, true);
    act_nonfinite_->setData(keys, act_bad, true);
    grad_nonfinite_->setData(grad_keys, grad_bad, true);
    zeros_->plot()->yAxis2->setRange(0, std::max(1.0, most * 1.1));
    zeros_->setNote(most > 0 ? tr("Red bars: steps with NaN or Inf values (never dropped)")
                             : tr("No NaN or Inf so far"));
    zeros_->showPlot();
}

void DistributionsView::drawStep() {
    act_->setMarker(stream_ == Stream::Activation ? step_shown_ : std::nullopt);
    grad_->setMarker(stream_ == Stream::Gradient ? step_shown_ : std::nullopt);
    replotWhenShown(*act_->plot());
    replotWhenShown(*grad_->plot());
    const QString module = session_->selectedModule();
    if (module.isNull() || !step_shown_) {
        step_->setPoint(nullptr, {}, tr("Point at a step of a plot for its histogram."));
        return;
    }
    const StreamPoint* point = session_->history().at(module.toStdString(), stream_, *step_shown_);
    const QString what = stream_ == Stream::Activation ? tr("Output") : tr("grad_output");
    if (!point) {
        step_->setPoint(nullptr, what, tr("Nothing recorded at step %1.").arg(*step_shown_));
        return;
    }
    step_->setPoint(point,
                    tr("%1 of %2 at step %3")
                        .arg(what, module.isEmpty() ? tr("the model") : module)
                        .arg(point->step),
                    {});
}

} // namespace nnscope::ui
