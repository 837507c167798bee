// The browser page's flow: what the session sends (load progress, the document, statistics,
// snapshots, errors) and what the user selects (module, tensor, slice, bins).

#include "io/native_model.h"
#include "session/run_snapshot_job.h"
#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/run_panel.h"
#include "ui/tensor_view/tensor_view.h"

#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableView>
#include <QTreeView>
#include <algorithm>

namespace nnscope::ui {

void BrowserPage::connectSession() {
    using session::SessionController;
    connect(&session_, &SessionController::loadStarted, this, [this](const QString& file) {
        setBusy(true, tr("Opening %1…").arg(QFileInfo(file).fileName()));
    });
    connect(&session_, &SessionController::loadProgress, this,
            [this](int percent, const QString& step) {
                setProgress(percent);
                setStatusText(step);
            });
    connect(&session_, &SessionController::loaded, this,
            [this](const session::DocumentSnapshotPtr& document) { showDocument(document); });
    connect(&session_, &SessionController::loadFailed, this,
            [this](const QString& file, const QString& message) {
                setBusy(false);
                showError(file, message);
            });
    connect(&session_, &SessionController::loadCancelled, this,
            [this] { setBusy(false, tr("Cancelled")); });
    connect(&session_, &SessionController::statsReady, this,
            [this](const session::StatsBatchPtr& batch) {
                tensor_model_->addStats(*batch);
                if (batch->total > 0) {
                    setProgress(100 * batch->done / batch->total);
                    setStatusText(
                        tr("Statistics %1 of %2 tensors").arg(batch->done).arg(batch->total));
                }
            });
    connect(&session_, &SessionController::statsFinished, this, [this] {
        setBusy(false);
        showIdleStatus();
    });
    connect(&session_, &SessionController::snapshotReady, this,
            [this](const session::TensorSnapshot& snapshot) { showSnapshot(snapshot); });
    connect(&session_, &SessionController::snapshotFailed, this,
            [this](const QString& tensor, const QString& message) {
                // The previous tensor's plot must not stand for this one: say why instead.
                snapshot_.reset();
                tensor_view_->showUnavailable(tensor, message);
                setStatusText(tr("%1: %2").arg(statusName(tensor), message));
            });
    connect(&session_, &SessionController::sliceReady, tensor_view_, &TensorView::setSlice);
    connect(&session_, &SessionController::sliceFailed, tensor_view_, &TensorView::sliceFailed);
}

void BrowserPage::showSnapshot(const session::TensorSnapshot& snapshot) {
    snapshot_ = snapshot;
    tensor_view_->setSnapshot(snapshot);
    if (!isBusy()) showIdleStatus(); // "Computing …" is over
    emit snapshotShown();
}

void BrowserPage::openFile(const QString& path) {
    session_.open(QFileInfo(path).absoluteFilePath());
    setBusy(true, tr("Opening %1…").arg(QFileInfo(path).fileName()));
}

void BrowserPage::cancel() {
    session_.cancelLoad();
}

void BrowserPage::showDocument(const session::DocumentSnapshotPtr& document) {
    current_file_ = QString::fromStdString(document->file);
    train_action_->setEnabled(io::is_native_model(document->metadata));
    snapshot_.reset();
    selected_tensor_.clear();
    run_module_.reset();
    tensor_view_->clear();
    module_model_->setDocument(document);
    run_panel_->setModelFile(current_file_); // a new file: the last run's result goes
    tensor_model_->setDocument(document);
    summary_model_->setDocument(document);
    summary_view_->expandAll();
    summary_view_->resizeColumnToContents(0);
    // Names elide before values do: a value is what the summary is read for.
    summary_view_->setColumnWidth(0,
                                  std::min(summary_view_->columnWidth(0),
                                           std::max(110, summary_view_->viewport()->width() / 2)));
    setFilterText(filter_edit_->text()); // the filter, made again for this document
    module_view_->expandToDepth(1);
    fitModuleColumns();
    fitTensorColumns();
    emit fileShown(current_file_);
    // The number `nnscope-cli summary` prints: the modules the file lists (io::ModelSummary).
    setStatusText(tr("%1: %2 modules, %3 tensors")
                      .arg(QFileInfo(current_file_).fileName())
                      .arg(document->listed_modules.size())
                      .arg(document->tensors.size()));
    // Show something real at once: the whole model, its first parameter.
    selectModule(QString());
    for (const auto& t : document->tensors)
        if (t.role == io::TensorRole::Parameter) {
            selectTensor(QString::fromStdString(t.name));
            break;
        }
    emit documentShown();
}

void BrowserPage::showError(const QString& file, const QString& message) {
    last_error_ = message;
    setStatusText(tr("Could not open %1").arg(QFileInfo(file).fileName()));
    if (error_box_) error_box_->close();
    // open(), not exec(): the window keeps running (and tests can look at the box and close it).
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open file"),
                                tr("nnscope could not open\n%1").arg(file), QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    error_box_ = box;
    box->open();
    emit loadFailed(file, message);
}

bool BrowserPage::selectModule(const QString& path) {
    const QModelIndex source = module_model_->indexOfPath(path);
    const QModelIndex index = module_filter_->mapFromSource(source);
    if (!index.isValid()) return false;
    module_view_->setCurrentIndex(index);
    module_view_->scrollTo(index);
    moduleSelected(); // also when it was current already
    return true;
}

void BrowserPage::moduleSelected() {
    const QModelIndex current = module_view_->currentIndex();
    if (current.isValid())
        tensor_model_->setModule(current.data(ModuleTreeModel::PathRole).toString());
    else
        tensor_model_->clearModule(); // nothing selected (a filter matched nothing): no tensors
    if (showRunTensor()) return;
    showCurrentOrFirstTensor();
}

void BrowserPage::showCurrentOrFirstTensor() {
    if (!selected_tensor_.isEmpty() && selectTensor(selected_tensor_)) return;
    if (tensor_model_->rowCount() > 0) {
        selectTensor(tensor_model_->tensorName(0));
        return;
    }
    // No tensor to show: no plot of a tensor the table does not list.
    selected_tensor_.clear();
    snapshot_.reset();
    tensor_view_->clear();
}

namespace {

// Deep names fit up to 70% of the pane and elide in the middle beyond; the types elide first.
int module_name_limit(const QTreeView& view) {
    return std::max(100, view.viewport()->width() * 7 / 10);
}

} // namespace

void BrowserPage::fitModuleColumns() {
    // Long TorchScript type names must not push the counts out of sight.
    for (int c = 0; c < ModuleTreeModel::ColumnCount; ++c) {
        module_view_->resizeColumnToContents(c);
        const int limit = c == ModuleTreeModel::Name ? module_name_limit(*module_view_) : 180;
        module_view_->setColumnWidth(c, std::min(module_view_->columnWidth(c), limit));
    }
}

void BrowserPage::fitModuleNames() {
    // QTreeView's override (indentation included) through its public base declaration.
    const QAbstractItemView& view = *module_view_;
    const int width =
        std::min(view.sizeHintForColumn(ModuleTreeModel::Name), module_name_limit(*module_view_));
    if (width > module_view_->columnWidth(ModuleTreeModel::Name))
        module_view_->setColumnWidth(ModuleTreeModel::Name, width);
}

void BrowserPage::fitTensorColumns() {
    // Widths that do not follow the contents: the statistics stay in sight at 1,600 px whatever
    // the names, and nothing moves as the statistics stream in. Long names and ties elide in the
    // middle; the tooltips hold the full text.
    const QFontMetrics fm = fontMetrics();
    const auto text = [&](const char* sample) {
        return fm.horizontalAdvance(QLatin1String(sample)) + 12;
    };
    const std::pair<int, int> widths[] = {
        {TensorTableModel::Name, text("layer4.1.downsample.weight")},
        {TensorTableModel::Shape, text("[512, 256, 3, 3]")},
        {TensorTableModel::DType, text("bfloat16")},
        {TensorTableModel::Numel, text("2,359,296")},
        {TensorTableModel::Role, text("parameter (inferred)")},
        {TensorTableModel::Min, text("-1.23457e-05")},
        {TensorTableModel::Max, text("-1.23457e-05")},
        {TensorTableModel::Mean, text("-1.23457e-05")},
        {TensorTableModel::Std, text("-1.23457e-05")},
        {TensorTableModel::NonFinite, text("NaN/Inf")},
    };
    for (const auto& [column, width] : widths)
        tensor_table_->setColumnWidth(column, width);
}

bool BrowserPage::selectTensor(const QString& name) {
    int row = tensor_model_->rowOfTensor(name);
    while (row < 0 && tensor_model_->canFetchMore({})) {
        tensor_model_->fetchMore({});
        row = tensor_model_->rowOfTensor(name);
    }
    if (row < 0) return false;
    tensor_table_->selectRow(row);
    tensor_table_->scrollTo(tensor_model_->index(row, 0));
    if (selected_tensor_ != name) tensorSelected();
    return true;
}

void BrowserPage::tensorSelected() {
    const QModelIndex current = tensor_table_->currentIndex();
    if (!current.isValid()) return;
    const QString name = tensor_model_->tensorName(current.row());
    if (run_module_) { // a stored tensor again, in place of the run's
        run_module_.reset();
        session_.jobs().cancel<session::RunSnapshotJob>();
        snapshot_.reset();
    }
    if (name == selected_tensor_ && snapshot_) return;
    selected_tensor_ = name;
    snapshot_request_.leading.clear(); // another tensor: its first slice
    requestSnapshot();
}

void BrowserPage::requestSnapshot() {
    if (run_module_) {
        session::RunSnapshotRequest r;
        r.result = run_panel_->result();
        r.module = run_module_->toStdString();
        r.gradient = run_panel_->show() == RunPanel::Show::Gradient;
        r.request = snapshot_request_;
        session_.jobs().request<session::RunSnapshotJob>(std::move(r));
        return;
    }
    if (selected_tensor_.isEmpty()) return;
    session_.requestSnapshot(selected_tensor_.toStdString(), snapshot_request_);
    setStatusText(tr("Computing %1…").arg(statusName(selected_tensor_)));
}

QString BrowserPage::statusName(const QString& name) const {
    return fontMetrics().elidedText(name, Qt::ElideMiddle, 50 * fontMetrics().averageCharWidth());
}

void BrowserPage::showIdleStatus() {
    const QString file = QFileInfo(current_file_).fileName();
    const QString shown =
        run_module_ && snapshot_ ? QString::fromStdString(snapshot_->name) : selected_tensor_;
    setStatusText(shown.isEmpty() ? tr("%1 — ready").arg(file)
                                  : tr("%1 — %2").arg(file, statusName(shown)));
}

} // namespace nnscope::ui
