#include "ui/pages/train_page.h"

#include "data/config_error.h"
#include "ui/lab/lab_plot.h"
#include "ui/pages/train_page_panels.h"
#include "ui/train/batch_view.h"
#include "ui/train/distributions_view.h"
#include "ui/train/gradient_flow_view.h"
#include "ui/train/hook_timeline_view.h"
#include "ui/train/hooks_panel.h"
#include "ui/train/module_tree.h"
#include "ui/train/scalars_view.h"
#include "ui/train/train_config_form.h"
#include "ui/train/train_session.h"
#include "ui/train/train_toolbar.h"
#include "workflows/training_config_json.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace nnscope::ui {

namespace {

template <class View> LazyPanel::Factory viewOf(TrainSession* session) {
    return [session](QWidget* parent) { return new View(session, parent); };
}

} // namespace

TrainPage::TrainPage(QWidget* parent)
    : Workspace(parent)
    , session_(new TrainSession(this)) {
    build();
    connectSession();
    setStatusText(tr("Set up a run on the left, then Run or Step batch"));
}

TrainPage::~TrainPage() {
    session_->shutdown(); // before the views it reports to go away
}

void TrainPage::shutdown() {
    session_->shutdown();
}

void TrainPage::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("trainSplitter"), splitter_->saveState());
}

void TrainPage::restoreState(QSettings& settings) {
    splitter_->restoreState(settings.value(QStringLiteral("trainSplitter")).toByteArray());
}

void TrainPage::showHooksPanel() {
    sidebar_->setCurrentIndex(hooks_tab_);
}

void TrainPage::build() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    toolbar_ = new TrainToolbar(session_, this);
    layout->addWidget(toolbar_);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setObjectName(QStringLiteral("trainSplitter"));
    sidebar_ = new QTabWidget(splitter_);
    sidebar_->setDocumentMode(true);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    form_ = new TrainConfigForm;
    scroll->setWidget(form_);
    sidebar_->addTab(scroll, tr("Configuration"));
    // "Attach hook..." in the tree's menu selects the module and brings the hooks panel out.
    const auto tree = [this](QWidget* parent) -> QWidget* {
        auto* view = new TrainModuleTree(session_, parent);
        connect(view, &TrainModuleTree::attachHookRequested, this, [this](const QString& path) {
            session_->selectModule(path);
            showHooksPanel();
        });
        return view;
    };
    sidebar_->addTab(new LazyPanel(tree), tr("Modules"));
    // The hooks and breakpoints of the selected module: a tab beside the tree, so the plots keep
    // the width at 1,024 px.
    auto* hooks = new LazyPanel(viewOf<HooksPanel>(session_));
    hooks->setObjectName(QStringLiteral("hooksPanel"));
    hooks_tab_ = sidebar_->addTab(hooks, tr("Hooks"));

    views_ = new QTabWidget(splitter_);
    views_->setDocumentMode(true);
    const std::pair<LazyPanel::Factory, QString> views[] = {
        {viewOf<ScalarsView>(session_), tr("Scalars")},
        {viewOf<DistributionsView>(session_), tr("Distributions")},
        {viewOf<GradientFlowView>(session_), tr("Gradient flow")},
        {viewOf<HookTimelineView>(session_), tr("Hook timeline")},
        {viewOf<BatchView>(session_), tr("Batch")},
    };
    for (const auto& [make, name] : views) {
        auto* panel = new LazyPanel(make);
        panels_.push_back(panel);
        views_->addTab(panel, name);
    }
    splitter_->addWidget(sidebar_);
    splitter_->addWidget(views_);
    splitter_->setStretchFactor(0, 0);
    splitter_->setStretchFactor(1, 1);
    splitter_->setSizes({320, 1000});
    splitter_->setCollapsible(0, true);
    splitter_->setCollapsible(1, false);
    layout->addWidget(splitter_, 1);

    connect(toolbar_, &TrainToolbar::startRequested, this,
            [this](workflows::RunCommand initial) { startRun(initial); });
    connect(toolbar_, &TrainToolbar::resetRequested, this, [this] { startRun(); });
    connect(toolbar_, &TrainToolbar::openConfigRequested, this, &TrainPage::chooseConfigToOpen);
    connect(toolbar_, &TrainToolbar::saveConfigRequested, this, &TrainPage::chooseConfigToSave);
}

void TrainPage::connectSession() {
    connect(session_, &TrainSession::started, this, [this] {
        const session::TrainStarted& run = *session_->run();
        setStatusText(
            tr("%1: %2 an epoch, %3, %4")
                .arg(QString::fromStdString(run.description),
                     countOf(run.batches_per_epoch, tr("batch"), tr("batches")),
                     countOf(run.epochs, tr("epoch"), tr("epochs")),
                     countOf(run.engine_threads, tr("engine thread"), tr("engine threads"))));
        sidebar_->setCurrentIndex(1); // the module tree of the run
    });
    connect(session_, &TrainSession::failed, this, [this](const session::TrainFailed& f) {
        const QString message = QString::fromStdString(f.message);
        form_->showError(f.field, message);
        sidebar_->setCurrentIndex(0);
        setStatusText(tr("The run could not start: %1").arg(message));
    });
    connect(session_, &TrainSession::finished, this, [this](const session::TrainFinished& f) {
        setStatusText(QString::fromStdString(f.message));
    });
    connect(session_, &TrainSession::paused, this, [this](const session::TrainPaused& p) {
        if (p.hit) setStatusText(QString::fromStdString(p.hit->message));
    });
    connect(session_, &TrainSession::checkpointSaved, this,
            [this](const session::CheckpointSaved& saved) {
                const QString path = QString::fromStdString(saved.request.path);
                setStatusText(
                    saved.error.empty()
                        ? tr("Saved the weights of step %1 to %2").arg(saved.step).arg(path)
                        : tr("%1: %2").arg(path, QString::fromStdString(saved.error)));
            });
}

QWidget* TrainPage::view(View view) {
    return panels_.at(static_cast<std::size_t>(view))->ensureBuilt();
}

bool TrainPage::isBuilt(View view) const {
    return panels_.at(static_cast<std::size_t>(view))->content() != nullptr;
}

void TrainPage::setConfiguration(const workflows::TrainingConfig& config) {
    form_->setConfiguration(config);
    sidebar_->setCurrentIndex(0);
}

void TrainPage::trainModelFile(const QString& path) {
    form_->setModel(path);
    sidebar_->setCurrentIndex(0);
    setStatusText(
        tr("%1 is the model: Run or Step batch to train it").arg(QFileInfo(path).fileName()));
}

bool TrainPage::startRun(workflows::RunCommand initial,
                         std::optional<std::int64_t> pause_after_steps) {
    const auto config = form_->validConfiguration();
    if (!config) {
        sidebar_->setCurrentIndex(0);
        setStatusText(tr("The configuration is not valid: %1").arg(form_->errorText()));
        return false;
    }
    setStatusText(tr("Building the run…"));
    session_->start(*config, initial, pause_after_steps);
    return true;
}

QString TrainPage::openConfig(const QString& path) {
    try {
        form_->setConfiguration(workflows::read_training_config(path.toStdString()));
    } catch (const data::ConfigError& e) {
        return QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what()));
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    sidebar_->setCurrentIndex(0);
    setStatusText(tr("Opened %1").arg(QFileInfo(path).fileName()));
    return {};
}

QString TrainPage::saveConfig(const QString& path) {
    const auto config = form_->validConfiguration();
    if (!config) return tr("The configuration is not valid: %1").arg(form_->errorText());
    try {
        workflows::write_training_config(path.toStdString(), *config);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    setStatusText(tr("Saved %1").arg(QFileInfo(path).fileName()));
    return {};
}

void TrainPage::chooseConfigToOpen() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open training configuration"), {},
                                                      tr("JSON (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    if (const QString error = openConfig(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Open training configuration"), error);
}

void TrainPage::chooseConfigToSave() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save training configuration"),
                                     QStringLiteral("training.json"), tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    if (const QString error = saveConfig(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Save training configuration"), error);
}

} // namespace nnscope::ui
