#include "ui/train/hook_timeline_view.h"

#include "ui/models/hook_timeline_model.h"
#include "ui/train/feature_maps.h"
#include "ui/train/tensor_inspector.h"
#include "ui/train/train_session.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace nnscope::ui {

namespace {

bool same(const session::TensorsRequest& a, const session::TensorsRequest& b) {
    return a.step == b.step && a.seq == b.seq && a.sample == b.sample;
}

} // namespace

HookTimelineView::HookTimelineView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , model_(new HookTimelineModel(this))
    , status_(new QLabel(this))
    , lines_(new QCheckBox(tr("PyTorch lines"), this))
    , table_(new QTableView)
    , inspector_(new TensorInspector) {
    status_->setWordWrap(true);
    lines_->setToolTip(tr("Show the PyTorch line that registers each hook"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnHidden(HookTimelineModel::Registration, true);

    auto* top = new QHBoxLayout;
    top->addWidget(status_, 1);
    top->addWidget(lines_);
    auto* upper = new QWidget;
    auto* upper_layout = new QVBoxLayout(upper);
    upper_layout->setContentsMargins(0, 0, 0, 0);
    upper_layout->addLayout(top);
    upper_layout->addWidget(table_, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(inspector_);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(lines_, &QCheckBox::toggled, this,
            [this](bool on) { table_->setColumnHidden(HookTimelineModel::Registration, !on); });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HookTimelineView::onSelection);
    connect(inspector_, &TensorInspector::sampleChanged, this, &HookTimelineView::request);
    clear();
    if (!session_) return;
    connect(session_, &TrainSession::started, this, &HookTimelineView::clear);
    connect(session_, &TrainSession::paused, this, &HookTimelineView::showPaused);
    connect(session_, &TrainSession::resumed, this, &HookTimelineView::showRunning);
    connect(session_, &TrainSession::finished, this, &HookTimelineView::showEnded);
    connect(session_, &TrainSession::failed, this, &HookTimelineView::showEnded);
    connect(session_, &TrainSession::tensorsArrived, this, &HookTimelineView::showTensors);
    // Panels are built when first shown, maybe long after the run paused.
    if (session_->pausedAt()) showPaused(*session_->pausedAt());
}

void HookTimelineView::showPaused(const session::TrainPaused& paused) {
    const std::optional<std::int64_t> selected = selectedSeq();
    // Follow the run while the selection is on the event it waited at (or on nothing).
    const bool follow =
        !selected || selected == model_->currentSeq() || paused.step != model_->step();
    run_ = Run::Paused;
    model_->setPaused(paused);
    setStatus();
    if (follow && model_->currentSeq())
        selectEvent(*model_->currentSeq());
    else if (selectedSeq())
        request(); // kept: the worker can answer again now that it waits
}

void HookTimelineView::showRunning() {
    run_ = Run::Running;
    setStatus();
}

void HookTimelineView::showEnded() {
    run_ = Run::Ended;
    setStatus();
}

void HookTimelineView::clear() {
    run_ = Run::Paused;
    requested_.reset();
    model_->clear();
    inspector_->showMessage(tr("Select a hook event to see its tensors."));
    setStatus();
}

void HookTimelineView::showTensors(const session::TrainTensorsPtr& tensors) {
    if (tensors && requested_ && same(tensors->request, *requested_))
        inspector_->setTensors(tensors);
}

void HookTimelineView::setStatus() {
    const QString fills =
        tr("The timeline fills when the run is paused or stepping (Step hook event).");
    if (run_ == Run::Ended) {
        status_->setText(
            model_->rowCount() == 0
                ? tr("The run has ended.")
                : tr("The run has ended; these are the events of step %1.").arg(model_->step()));
        return;
    }
    if (run_ == Run::Running) {
        status_->setText(
            model_->rowCount() == 0
                ? tr("Running. ") + fills
                : tr("Running: these are the events of step %1. ").arg(model_->step()) + fills);
        return;
    }
    if (model_->rowCount() == 0) {
        status_->setText(fills);
        return;
    }
    QString text = tr("Step %1: %2 hook events").arg(model_->step()).arg(model_->rowCount());
    if (const auto seq = model_->currentSeq()) {
        const auto* event = model_->event(model_->rowOfSeq(*seq));
        if (event)
            text += tr(" so far, paused at %1 (bold)")
                        .arg(QString::fromStdString(workflows::describe_place(*event)));
    }
    status_->setText(text + tr(". Select one to see its tensors."));
}

QString HookTimelineView::statusText() const {
    return status_->text();
}

void HookTimelineView::selectEvent(std::int64_t seq) {
    const int row = model_->rowOfSeq(seq);
    if (row < 0) return;
    table_->selectRow(row);
    table_->scrollTo(model_->index(row, 0));
}

std::optional<std::int64_t> HookTimelineView::selectedSeq() const {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return std::nullopt;
    const auto* event = model_->event(rows.first().row());
    return event ? std::optional(event->seq) : std::nullopt;
}

void HookTimelineView::onSelection() {
    const std::optional<std::int64_t> seq = selectedSeq();
    if (session_) session_->selectEvent(seq);
    if (!seq) {
        inspector_->showMessage(tr("Select a hook event to see its tensors."));
        return;
    }
    inspector_->setEvent(*model_->event(model_->rowOfSeq(*seq)));
    request();
}

void HookTimelineView::request() {
    const std::optional<std::int64_t> seq = selectedSeq();
    if (!seq || run_ != Run::Paused || !isVisible()) return;
    const session::TensorsRequest wanted{model_->step(), *seq, inspector_->featureMaps()->sample()};
    if (requested_ && same(*requested_, wanted)) return;
    requested_ = wanted;
    emit tensorsRequested(wanted);
    if (session_) session_->requestTensors(wanted);
}

void HookTimelineView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    request();
}

} // namespace nnscope::ui
