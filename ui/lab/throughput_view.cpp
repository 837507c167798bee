#include "ui/lab/throughput_view.h"

#include "session/throughput_job.h"
#include "ui/lab/throughput_plots.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace nnscope::ui {

namespace {

// Whether points measured on `a` still describe `b`: the epochs do not matter (a measurement
// runs epochs until its budget is spent), nor, for a sweep, the worker settings it varies.
bool sameLoading(data::DataLoaderConfig a, data::DataLoaderConfig b, bool sweep) {
    a.epochs = b.epochs = 1;
    if (sweep) {
        a = workflows::with_workers(a, 0);
        b = workflows::with_workers(b, 0);
    }
    return a == b;
}

QString ms(double value) {
    return QString::number(value, 'f', value < 10 ? 2 : 1);
}

} // namespace

ThroughputView::ThroughputView(QWidget* parent)
    : LabView(parent)
    , jobs_(QStringLiteral("nnscope speed"))
    , machine_(workflows::read_machine_load())
    , measure_button_(new QPushButton(tr("Measure")))
    , sweep_button_(new QPushButton(tr("Sweep num_workers 0..4")))
    , stop_button_(new QPushButton(tr("Stop")))
    , export_button_(new QToolButton)
    , status_(new QLabel)
    , machine_label_(new QLabel)
    , verdict_(new QLabel)
    , plots_(new ThroughputPlots) {
    jobs_.add<session::ThroughputJob>();
    jobs_.start();
    jobs_.on<session::ThroughputJob, session::ThroughputStarted>(
        this, [this](const session::ThroughputStarted& s) { onStarted(s); });
    jobs_.on<session::ThroughputJob, session::ThroughputPointPtr>(
        this, [this](const session::ThroughputPointPtr& p) { onPoint(*p); });
    jobs_.on<session::ThroughputJob, session::ThroughputFinished>(
        this, [this](const session::ThroughputFinished& f) { onFinished(f); });
    jobs_.on<session::ThroughputJob, session::LoaderFailed>(
        this, [this](const session::LoaderFailed& f) { onFailed(f); });

    measure_button_->setToolTip(tr("Load real batches of this configuration (its transforms, "
                                   "collate function and workers) for a few seconds"));
    sweep_button_->setToolTip(tr("Measure this configuration with num_workers = 0, 1, 2, 3 and 4"));
    stop_button_->setToolTip(tr("Stop measuring; the points already measured stay"));
    connect(measure_button_, &QPushButton::clicked, this, &ThroughputView::measure);
    connect(sweep_button_, &QPushButton::clicked, this, &ThroughputView::sweep);
    connect(stop_button_, &QPushButton::clicked, this, &ThroughputView::stop);
    buildExportMenu();
    for (QLabel* label : {status_, machine_label_, verdict_}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(measure_button_);
    buttons->addWidget(sweep_button_);
    buttons->addWidget(stop_button_);
    buttons->addStretch(1);
    buttons->addWidget(export_button_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    layout->addWidget(machine_label_);
    layout->addWidget(plots_, 1);
    layout->addWidget(verdict_);

    machine_label_->setText(machineText());
    plots_->showMessage(tr("Nothing measured yet."));
    status_->setText(tr("Waiting for a valid configuration."));
    updateButtons();
}

ThroughputView::~ThroughputView() {
    jobs_.stop();
}

void ThroughputView::shutdown() {
    jobs_.stop(); // the point being measured ends within one batch
    shut_down_ = true;
    setBusy(false);
    updateButtons();
}

void ThroughputView::setConfiguration(const data::DataLoaderConfig& config) {
    config_ = config;
    updateButtons();
    if (busy_) return; // the run's progress stays; its end says whether it is stale
    if (isStale())
        showStale();
    else if (measured_)
        status_->setText(result_text_);
    else
        status_->setText(tr("Measure loads real batches of this configuration for %1 s (at most "
                            "%2 batches); Sweep does it for num_workers 0 to %3.")
                             .arg(budget_.seconds)
                             .arg(budget_.max_batches)
                             .arg(workflows::kSweepMaxWorkers));
}

void ThroughputView::measure() {
    start(false);
}

void ThroughputView::sweep() {
    start(true);
}

void ThroughputView::start(bool sweep) {
    if (!config_ || shut_down_) return;
    using Mode = session::ThroughputRequest::Mode;
    jobs_.request<session::ThroughputJob>({*config_, sweep ? Mode::Sweep : Mode::Single, budget_});
    measured_ = config_;
    measured_sweep_ = sweep;
    points_.clear();
    planned_.clear();
    verdict_->clear();
    plots_->showMessage(tr("Measuring..."));
    status_->setText(tr("Starting..."));
    setBusy(true);
}

void ThroughputView::stop() {
    if (!busy_) return;
    jobs_.cancel<session::ThroughputJob>();
    setBusy(false);
    result_text_ = tr("Stopped; points measured: %1.").arg(points_.size());
    status_->setText(result_text_);
    if (points_.empty()) plots_->showMessage(tr("Stopped before the first point."));
}

void ThroughputView::setBusy(bool busy) {
    if (busy_ == busy) return;
    busy_ = busy;
    updateButtons();
    emit busyChanged(busy);
}

void ThroughputView::updateButtons() {
    const bool can = config_ && !busy_ && !shut_down_;
    measure_button_->setEnabled(can);
    sweep_button_->setEnabled(can);
    stop_button_->setEnabled(busy_);
    export_button_->setEnabled(!points_.empty());
}

void ThroughputView::onStarted(const session::ThroughputStarted& started) {
    machine_ = started.machine;
    planned_ = started.workers;
    machine_label_->setText(machineText());
    if (!planned_.empty())
        status_->setText(
            tr("Measuring num_workers=%1 (1 of %2)...").arg(planned_.front()).arg(planned_.size()));
}

void ThroughputView::onPoint(const workflows::ThroughputPoint& point) {
    points_.push_back(point);
    plots_->setPoints(points_, point, machine_);
    if (points_.size() < planned_.size())
        status_->setText(tr("Measuring num_workers=%1 (%2 of %3)...")
                             .arg(planned_[points_.size()])
                             .arg(points_.size() + 1)
                             .arg(planned_.size()));
    else
        status_->setText(result_text_ = pointText(point));
    if (points_.size() > 1)
        verdict_->setText(QString::fromStdString(workflows::sweep_verdict(points_, machine_)));
    updateButtons();
}

QString ThroughputView::pointText(const workflows::ThroughputPoint& point) {
    return tr("num_workers=%1: %2 samples/s over %3 batches; first batch %4 ms, then a median "
              "wait of %5 ms (p90 %6 ms, max %7 ms).")
        .arg(point.num_workers)
        .arg(point.samples_per_second, 0, 'f', 0)
        .arg(point.batches)
        .arg(ms(point.first_batch_ms), ms(point.median_ms), ms(point.p90_ms), ms(point.max_ms));
}

void ThroughputView::onFinished(const session::ThroughputFinished&) {
    setBusy(false);
    if (isStale()) showStale();
}

void ThroughputView::onFailed(const session::LoaderFailed& failure) {
    setBusy(false);
    const QString message = QString::fromStdString(failure.message);
    status_->setText(result_text_ = failure.field.empty()
                                        ? tr("Cannot measure: %1").arg(message)
                                        : tr("Cannot measure (%1): %2")
                                              .arg(QString::fromStdString(failure.field), message));
    if (points_.empty()) plots_->showMessage(tr("Nothing measured."));
}

bool ThroughputView::isStale() const {
    return measured_ && config_ && !sameLoading(*measured_, *config_, measured_sweep_);
}

void ThroughputView::showStale() {
    status_->setText(tr("Stale: these numbers are for an earlier configuration. Press Measure "
                        "or Sweep to time this one."));
}

QString ThroughputView::statusText() const {
    return status_->text();
}

QString ThroughputView::machineText() const {
    QString text = machine_.cores == 1 ? tr("This machine: 1 core")
                                       : tr("This machine: %1 cores").arg(machine_.cores);
    if (machine_.load1 >= 0)
        text += tr(", load average %1 / %2 / %3 (1 / 5 / 15 min) before the run, about %4 "
                   "free")
                    .arg(machine_.load1)
                    .arg(machine_.load5)
                    .arg(machine_.load15)
                    .arg(machine_.free_cores(), 0, 'f', 1);
    return text + QLatin1Char('.');
}

QString ThroughputView::verdictText() const {
    return verdict_->text();
}

} // namespace nnscope::ui
