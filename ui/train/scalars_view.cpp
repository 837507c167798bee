#include "ui/train/scalars_view.h"

#include "ui/lab/lab_plot.h"
#include "ui/tensor_view/plot_style.h"
#include "ui/train/confusion_view.h"
#include "ui/train/train_session.h"

#include <QGridLayout>
#include <QTimer>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr int kRefreshMs = 40;

// The point of `graph` nearest a pixel's step: "step 12: loss 0.731".
QString graphHover(const QCPGraph& graph, const QPointF& pos, const QString& what) {
    if (graph.data()->isEmpty()) return {};
    const double step = graph.keyAxis()->pixelToCoord(pos.x());
    const auto data = graph.data();
    auto it = data->findBegin(step);
    if (it == data->constEnd()) return {};
    if (it != data->constBegin() && std::abs((it - 1)->key - step) < std::abs(it->key - step)) --it;
    return QObject::tr("step %1: %2 %3").arg(it->key).arg(what).arg(it->value, 0, 'g', 6);
}

QCPGraph* lineGraph(QCustomPlot& plot, QCPAxis* y, const QColor& colour) {
    QCPGraph* g = plot.addGraph(plot.xAxis, y);
    g->setPen(QPen(colour, 1.5));
    g->setAdaptiveSampling(true);
    return g;
}

} // namespace

ScalarsView::ScalarsView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , loss_(new LabPlot(QStringLiteral("loss"), this))
    , lr_(new LabPlot(QStringLiteral("learning_rate"), this))
    , eval_(new LabPlot(QStringLiteral("evaluation"), this))
    , confusion_(new ConfusionView(this))
    , timer_(new QTimer(this)) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(2, 2, 2, 2);
    grid->addWidget(loss_, 0, 0);
    grid->addWidget(eval_, 0, 1);
    grid->addWidget(lr_, 1, 0);
    grid->addWidget(confusion_, 1, 1);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);

    QCustomPlot& loss = *loss_->plot();
    QCPGraph* band_low = lineGraph(loss, loss.yAxis, categoryColour(0).lighter(150));
    QCPGraph* band_high = lineGraph(loss, loss.yAxis, categoryColour(0).lighter(150));
    loss_line_ = lineGraph(loss, loss.yAxis, categoryColour(0));
    band_high->setChannelFillGraph(band_low);
    band_high->setBrush(
        QColor(categoryColour(0).red(), categoryColour(0).green(), categoryColour(0).blue(), 50));
    loss.xAxis->setLabel(tr("step"));
    loss.yAxis->setLabel(tr("loss"));
    QCustomPlot& lr = *lr_->plot();
    lineGraph(lr, lr.yAxis, categoryColour(1));
    lr.xAxis->setLabel(tr("step"));
    lr.yAxis->setLabel(tr("learning rate"));
    QCustomPlot& ev = *eval_->plot();
    QCPGraph* test_loss = lineGraph(ev, ev.yAxis, categoryColour(0));
    test_loss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    test_loss->setName(tr("test loss"));
    ev.yAxis2->setVisible(true);
    QCPGraph* accuracy = lineGraph(ev, ev.yAxis2, categoryColour(2));
    accuracy->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, 6));
    accuracy->setName(tr("accuracy"));
    ev.xAxis->setLabel(tr("step"));
    ev.yAxis->setLabel(tr("test loss"));
    ev.yAxis2->setLabel(tr("accuracy"));
    ev.yAxis2->setRange(0, 1);
    legendAbove(ev, 2);

    for (LabPlot* p : {loss_, lr_}) {
        QCustomPlot& plot = *p->plot();
        plot.setSelectionRectMode(QCP::srmCustom);
        connect(plot.selectionRect(), &QCPSelectionRect::accepted, this,
                [this, &plot](const QRect& rect) {
                    brush(plot.xAxis->pixelToCoord(rect.left()),
                          plot.xAxis->pixelToCoord(rect.right()));
                });
        connect(&plot, &QCustomPlot::mouseDoubleClick, this,
                [this] { session_->setStepRange(std::nullopt); });
    }
    loss_->setHover([this](const QPointF& pos) { return graphHover(*loss_line_, pos, tr("loss")); },
                    tr("Drag: zoom to steps; double-click: all"));
    lr_->setHover(
        [this](const QPointF& pos) { return graphHover(*lr_->plot()->graph(0), pos, tr("lr")); },
        tr("Drag: zoom to steps; double-click: all"));
    eval_->setHover(
        [this](const QPointF& pos) {
            return graphHover(*eval_->plot()->graph(0), pos, tr("test loss"));
        },
        tr("Test loss and accuracy at each evaluation"));

    timer_->setSingleShot(true);
    timer_->setInterval(kRefreshMs);
    connect(timer_, &QTimer::timeout, this, &ScalarsView::refresh);
    connect(session_, &TrainSession::progressed, this, &ScalarsView::schedule);
    connect(session_, &TrainSession::started, this, &ScalarsView::schedule);
    connect(session_, &TrainSession::stateChanged, this, &ScalarsView::schedule);
    connect(session_, &TrainSession::stepRangeChanged, this, &ScalarsView::showRange);
    clearPlots();
}

void ScalarsView::schedule() {
    dirty_ = true;
    if (isVisible() && !timer_->isActive()) timer_->start();
}

void ScalarsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (dirty_) refresh();
}

void ScalarsView::clearPlots() {
    loss_->showMessage(tr("The loss of every step appears here once the run trains (Run or Step "
                          "batch)."));
    lr_->showMessage(tr("The learning rate of every step."));
    eval_->showMessage(tr("Test loss and accuracy appear after each evaluation (every epoch, or "
                          "every N steps as configured)."));
    confusion_->clear();
}

void ScalarsView::refresh() {
    dirty_ = false;
    const workflows::TrainingHistory& history = session_->history();
    const auto& losses = history.losses();
    if (losses.empty()) {
        clearPlots();
        return;
    }
    QVector<double> steps, loss, low, high, lr;
    steps.reserve(qsizetype(losses.size()));
    for (const workflows::LossPoint& p : losses) {
        steps << double(p.step);
        loss << p.loss;
        low << p.loss_min;
        high << p.loss_max;
        lr << p.lr;
    }
    QCustomPlot& l = *loss_->plot();
    l.graph(0)->setData(steps, low, true);
    l.graph(1)->setData(steps, high, true);
    l.graph(2)->setData(steps, loss, true);
    lr_->plot()->graph(0)->setData(steps, lr, true);
    const auto first_bad = history.first_nonfinite_step();
    loss_->setNote(
        first_bad
            ? tr("%1 steps; the loss is not finite from step %2")
                  .arg(history.steps())
                  .arg(*first_bad)
            : tr("%1 steps, last loss %2").arg(history.steps()).arg(losses.back().loss, 0, 'g', 5));
    lr_->setNote(tr("learning rate %1").arg(losses.back().lr, 0, 'g', 4));

    const auto& evaluations = history.evaluations();
    if (evaluations.empty()) {
        eval_->showMessage(tr("Test loss and accuracy appear after each evaluation (every "
                              "epoch, or every N steps as configured)."));
        confusion_->clear();
    } else {
        QVector<double> at, test_loss, accuracy;
        for (const workflows::EvalRecord& e : evaluations) {
            at << double(e.step);
            test_loss << e.loss;
            accuracy << e.accuracy;
        }
        QCustomPlot& ev = *eval_->plot();
        ev.graph(0)->setData(at, test_loss, true);
        ev.graph(1)->setData(at, accuracy, true);
        // Losses and accuracies are not negative: the axes start at 0.
        double most = 0;
        for (double v : test_loss)
            if (std::isfinite(v)) most = std::max(most, v);
        ev.yAxis->setRange(0, most > 0 ? most * 1.15 : 1);
        const double last_step = std::max(at.back(), double(losses.back().step));
        ev.xAxis->setRange(-0.5, last_step * 1.03 + 1);
        const workflows::EvalRecord& last = evaluations.back();
        eval_->setNote(tr("step %1: test loss %2, accuracy %3%")
                           .arg(last.step)
                           .arg(last.loss, 0, 'g', 5)
                           .arg(last.accuracy * 100, 0, 'f', 2));
        eval_->showPlot();
        const session::TrainStarted* run = session_->run();
        confusion_->setEvaluation(last, run ? run->class_names : std::vector<std::string>{});
    }
    showRange();
}

void ScalarsView::showRange() {
    const auto range = session_->stepRange();
    for (LabPlot* p : {loss_, lr_}) {
        QCustomPlot& plot = *p->plot();
        if (plot.graph(plot.graphCount() - 1)->data()->isEmpty()) continue;
        if (range) {
            plot.xAxis->setRange(double(range->first) - 0.5, double(range->second) + 0.5);
            bool found = false;
            const QCPRange keys = plot.xAxis->range();
            QCPRange values =
                plot.graph(plot.graphCount() - 1)->getValueRange(found, QCP::sdBoth, keys);
            if (found) plot.yAxis->setRange(values.lower, values.upper);
            if (found && values.size() == 0) plot.yAxis->scaleRange(1.2);
        } else {
            plot.xAxis->rescale();
            // From 0: a constant learning rate or a flat loss is not a line in the middle of
            // nowhere.
            bool found = false;
            const QCPRange y = plot.graph(plot.graphCount() - 1)->getValueRange(found);
            if (found)
                plot.yAxis->setRange(std::min(0.0, y.lower), y.upper > 0 ? y.upper * 1.1 : 1);
        }
        p->showPlot();
    }
}

void ScalarsView::brush(double from, double to) {
    if (!std::isfinite(from) || !std::isfinite(to)) return;
    const auto a = static_cast<std::int64_t>(std::ceil(std::min(from, to)));
    const auto b = static_cast<std::int64_t>(std::floor(std::max(from, to)));
    if (b < a) return; // narrower than one step: nothing to zoom into
    session_->setStepRange(std::pair{a, b});
}

} // namespace nnscope::ui
