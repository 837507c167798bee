#include "ui/train/train_toolbar.h"

#include "ui/train/overhead_meter.h"
#include "ui/train/train_session.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolBar>

namespace nnscope::ui {

using workflows::RunCommand;
using workflows::RunState;

QString runStateText(RunState state, std::int64_t step,
                     const std::optional<session::TrainPaused>& paused) {
    const QString at_step = QObject::tr("step %1").arg(step);
    switch (state) {
    case RunState::Ready:
        return QObject::tr("ready");
    case RunState::Running:
        return QObject::tr("running, %1").arg(at_step);
    case RunState::Paused:
    case RunState::PausedAtEvent: {
        if (!paused) return QObject::tr("paused, %1").arg(at_step);
        if (paused->hit)
            return QObject::tr("paused: %1").arg(QString::fromStdString(paused->hit->message));
        const QString step_text = QObject::tr("step %1").arg(paused->step);
        if (paused->event)
            return QObject::tr("paused at %1, %2")
                .arg(QString::fromStdString(workflows::describe_place(*paused->event)), step_text);
        return QObject::tr("paused before %1").arg(step_text);
    }
    case RunState::Finished:
        return QObject::tr("finished after %1 steps").arg(step);
    case RunState::Stopped:
        return QObject::tr("stopped at %1").arg(at_step);
    case RunState::Failed:
        return QObject::tr("failed");
    }
    return {};
}

TrainToolbar::TrainToolbar(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {
    build();
    connect(session_, &TrainSession::stateChanged, this, [this] {
        updateActions();
        updateStateText();
        if (session_->state() == RunState::Ready && !session_->latest()) meter_->clear();
    });
    connect(session_, &TrainSession::paused, this, &TrainToolbar::updateStateText);
    connect(session_, &TrainSession::resumed, this, &TrainToolbar::updateStateText);
    connect(session_, &TrainSession::started, this, [this] {
        filling_lr_ = true;
        lr_->setValue(session_->run()->lr);
        filling_lr_ = false;
        lr_->setEnabled(true);
    });
    connect(session_, &TrainSession::progressed, this, [this](const session::TrainProgress& p) {
        meter_->setSeconds(p.train_seconds, p.observe_seconds, p.steps_per_second);
        if (!lr_->hasFocus() && p.lr > 0) {
            filling_lr_ = true;
            lr_->setValue(p.lr);
            filling_lr_ = false;
        }
        updateStateText();
    });
    connect(session_, &TrainSession::finished, this, [this](const session::TrainFinished& f) {
        updateStateText();
        if (!f.message.empty()) state_->setToolTip(QString::fromStdString(f.message));
    });
    connect(session_, &TrainSession::failed, this, [this](const session::TrainFailed& f) {
        state_->setText(tr("failed: %1").arg(QString::fromStdString(f.message)));
    });
    updateActions();
    updateStateText();
}

void TrainToolbar::build() {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    bar_ = new QToolBar(this);
    bar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    layout->addWidget(bar_, 1);
    const auto action = [this](const QString& text, const QString& tip, const QKeySequence& key) {
        QAction* a = bar_->addAction(text);
        a->setToolTip(key.isEmpty() ? tip : tip + QStringLiteral(" (") + key.toString() + u')');
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        return a;
    };
    run_ = action(tr("Run"), tr("Train until a breakpoint, the end or Pause"), Qt::Key_F5);
    pause_ = action(tr("Pause"), tr("Pause at the next hook event"), Qt::Key_F6);
    step_batch_ = action(tr("Step batch"), tr("Train one batch, then pause"), Qt::Key_F10);
    step_event_ = action(tr("Step hook event"), tr("Go to the next hook firing and pause there"),
                         Qt::Key_F11);
    stop_ = action(tr("Stop"), tr("End the run"), Qt::SHIFT | Qt::Key_F5);
    reset_ = action(tr("Reset"), tr("A new run from the configuration, ready at step 0"), {});
    connect(run_, &QAction::triggered, this, [this] { send(RunCommand::Run); });
    connect(pause_, &QAction::triggered, this, [this] { send(RunCommand::Pause); });
    connect(step_batch_, &QAction::triggered, this, [this] { send(RunCommand::StepBatch); });
    connect(step_event_, &QAction::triggered, this, [this] { send(RunCommand::StepEvent); });
    connect(stop_, &QAction::triggered, this, [this] { send(RunCommand::Stop); });
    connect(reset_, &QAction::triggered, this, &TrainToolbar::resetRequested);
    bar_->addSeparator();

    auto* lr_label = new QLabel(tr("lr"), this);
    lr_label->setToolTip(tr("The learning rate, applied from the next step"));
    bar_->addWidget(lr_label);
    lr_ = new QDoubleSpinBox(this);
    lr_->setObjectName(QStringLiteral("learningRate"));
    lr_->setDecimals(6);
    lr_->setRange(1e-6, 100);
    lr_->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    lr_->setKeyboardTracking(false);
    lr_->setToolTip(lr_label->toolTip());
    bar_->addWidget(lr_);
    connect(lr_, &QDoubleSpinBox::valueChanged, this, [this](double lr) {
        if (!filling_lr_) session_->setLearningRate(lr);
    });
    bar_->addSeparator();
    meter_ = new OverheadMeter(this);
    bar_->addWidget(meter_);
    bar_->addSeparator();
    save_checkpoint_ = action(tr("Save checkpoint…"),
                              tr("Save the weights as .safetensors or a .pt torch.load reads"), {});
    open_config_ = action(tr("Open…"), tr("Open a training configuration (JSON)"), {});
    save_config_ = action(tr("Save…"), tr("Save the training configuration (JSON)"), {});
    connect(save_checkpoint_, &QAction::triggered, this, &TrainToolbar::chooseCheckpoint);
    connect(open_config_, &QAction::triggered, this, &TrainToolbar::openConfigRequested);
    connect(save_config_, &QAction::triggered, this, &TrainToolbar::saveConfigRequested);

    state_ = new QLabel(this);
    state_->setObjectName(QStringLiteral("runState"));
    state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    state_->setMinimumWidth(120);
    layout->addWidget(state_);
}

void TrainToolbar::send(RunCommand command) {
    if (session_->isActive())
        session_->command(command);
    else if (command != RunCommand::Pause && command != RunCommand::Stop)
        emit startRequested(command);
}

void TrainToolbar::updateActions() {
    const RunState state = session_->state();
    const bool active = session_->isActive();
    const bool running = active && state == RunState::Running;
    run_->setEnabled(!running);
    pause_->setEnabled(running);
    step_batch_->setEnabled(!running);
    step_event_->setEnabled(!running);
    stop_->setEnabled(active);
    save_checkpoint_->setEnabled(session_->run() != nullptr);
    lr_->setEnabled(active);
}

void TrainToolbar::updateStateText() {
    const auto& latest = session_->latest();
    const std::int64_t step = latest ? latest->step : 0;
    state_->setText(runStateText(session_->state(), step, session_->pausedAt()));
    state_->setToolTip({});
    updateActions();
}

QString TrainToolbar::stateText() const {
    return state_->text();
}

void TrainToolbar::chooseCheckpoint() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save checkpoint"), QStringLiteral("checkpoint.safetensors"),
        tr("safetensors (*.safetensors);;PyTorch state_dict (*.pt *.pth)"));
    if (!path.isEmpty()) saveCheckpointTo(path);
}

void TrainToolbar::saveCheckpointTo(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    session::CheckpointRequest request;
    request.path = path.toStdString();
    request.format = suffix == QStringLiteral("pt") || suffix == QStringLiteral("pth")
                         ? session::CheckpointFormat::Pytorch
                         : session::CheckpointFormat::Native;
    session_->saveCheckpoint(request);
}

} // namespace nnscope::ui
