// The browser page and its Run panel: the panel sits in a tab beside the summary; after a run the
// module tree marks the modules with a recorded output, and selecting one shows its output (or
// its gradient) in the tensor view, through the worker's RunSnapshotJob as stored tensors go
// through the SnapshotJob.

#include "session/run_snapshot_job.h"
#include "ui/models/module_tree_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/run_panel.h"
#include "ui/tensor_view/tensor_view.h"

#include <QScrollArea>
#include <QSet>
#include <QTabWidget>
#include <QTreeView>

namespace nnscope::ui {

void BrowserPage::buildRunPanel() {
    side_tabs_ = new QTabWidget(this);
    side_tabs_->setObjectName(QStringLiteral("sideTabs"));
    side_tabs_->setDocumentMode(true);
    // The panel scrolls rather than setting the window's minimum height: its form is taller
    // than a 640 px window leaves it.
    auto* run_tab = new QScrollArea(side_tabs_);
    run_tab->setObjectName(QStringLiteral("runTab"));
    run_tab->setWidgetResizable(true);
    run_tab->setFrameShape(QFrame::NoFrame);
    run_tab->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    run_panel_ = new RunPanel(session_);
    run_tab->setWidget(run_panel_);
    side_tabs_->addTab(summary_view_, tr("Summary"));
    side_tabs_->addTab(run_tab, tr("Run"));
    connect(run_panel_, &RunPanel::resultChanged, this, [this] { runResultChanged(); });
    connect(run_panel_, &RunPanel::showChanged, this, [this] {
        run_module_.reset();
        moduleSelected();
    });
    auto& jobs = session_.jobs();
    jobs.on<session::RunSnapshotJob, session::TensorSnapshot>(
        this, [this](const session::TensorSnapshot& snapshot) {
            if (run_module_) showSnapshot(snapshot);
        });
    jobs.on<session::RunSnapshotJob, session::SnapshotFailed>(
        this, [this](const session::SnapshotFailed& failed) {
            if (!run_module_) return;
            snapshot_.reset();
            tensor_view_->showUnavailable(failed.tensor, failed.message);
            setStatusText(tr("%1: %2").arg(statusName(failed.tensor), failed.message));
        });
    jobs.on<session::RunSliceJob, session::TensorSlice>(
        tensor_view_, [this](const auto& slice) { tensor_view_->setSlice(slice); });
    jobs.on<session::RunSliceJob, session::SliceFailed>(
        tensor_view_, [this](const session::SliceFailed& failed) {
            tensor_view_->sliceFailed(failed.tensor, failed.message, failed.tag);
        });
}

void BrowserPage::requestValues(const session::TensorSliceRequest& request) {
    if (!run_module_) {
        session_.requestSlice(request);
        return;
    }
    session::RunSliceRequest r;
    r.result = run_panel_->result();
    r.module = run_module_->toStdString();
    r.gradient = run_panel_->show() == RunPanel::Show::Gradient;
    r.slice = request;
    session_.jobs().request<session::RunSliceJob>(std::move(r));
}

void BrowserPage::showRunPanel() {
    setPaneVisible(Pane::Summary, true);
    side_tabs_->setCurrentWidget(side_tabs_->findChild<QScrollArea*>(QStringLiteral("runTab")));
}

void BrowserPage::runResultChanged() {
    QSet<QString> recorded;
    if (const auto& result = run_panel_->result())
        for (const auto& m : result->run.modules)
            if (m.output.defined()) recorded.insert(QString::fromStdString(m.path));
    module_model_->setRecorded(recorded);
    run_module_.reset();
    moduleSelected(); // the selected module's output, or its stored tensors again
}

bool BrowserPage::showRunTensor() {
    const auto& result = run_panel_->result();
    const QModelIndex current = module_view_->currentIndex();
    const QString path = current.data(ModuleTreeModel::PathRole).toString();
    const workflows::ModuleRecord* record =
        result && current.isValid() && run_panel_->show() != RunPanel::Show::StoredTensors
            ? result->run.find(path.toStdString())
            : nullptr;
    if (!record || !record->ran) {
        if (run_module_) { // back to the stored tensors: no late run snapshot over them
            run_module_.reset();
            session_.jobs().cancel<session::RunSnapshotJob>();
            snapshot_.reset();
        }
        return false;
    }
    // The run's tensor replaces the stored one: a late stored snapshot must not cover it.
    session_.jobs().cancel<session::SnapshotJob>();
    tensor_table_->clearSelection();
    selected_tensor_.clear();
    snapshot_.reset(); // what is shown until the answer comes is not this module's
    if (run_module_ != path) snapshot_request_.leading.clear();
    run_module_ = path;
    requestSnapshot();
    return true;
}

} // namespace nnscope::ui
