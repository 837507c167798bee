#include "ui/main_window.h"

#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"
#include "ui/tensor_slot.h"

#include <QCloseEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace nnscope::ui {

MainWindow::MainWindow(QWidget* parent, bool remember)
    : QMainWindow(parent)
    , remember_(remember) {
    setWindowTitle(QStringLiteral("nnscope"));
    setAcceptDrops(true);
    module_model_ = new ModuleTreeModel(this);
    module_filter_ = new ModuleFilterModel(this);
    module_filter_->setSourceModel(module_model_);
    tensor_model_ = new TensorTableModel(this);
    summary_model_ = new SummaryModel(this);
    buildLayout();
    buildActions();
    connectSession();
    if (remember_) restoreSettings();
}

MainWindow::~MainWindow() {
    // Stop the worker before the models it reports to go away.
    session_.stop();
}

void MainWindow::buildLayout() {
    auto* left = new QWidget(this);
    auto* left_layout = new QVBoxLayout(left);
    left_layout->setContentsMargins(0, 0, 0, 0);
    filter_edit_ = new QLineEdit(left);
    filter_edit_->setPlaceholderText(tr("Filter modules (Ctrl+F)"));
    filter_edit_->setClearButtonEnabled(true);
    module_view_ = new QTreeView(left);
    module_view_->setObjectName(QStringLiteral("moduleTree"));
    module_view_->setModel(module_filter_);
    module_view_->setUniformRowHeights(true);
    module_view_->setAlternatingRowColors(true);
    module_view_->header()->setSectionResizeMode(QHeaderView::Interactive);
    module_view_->header()->setStretchLastSection(true);
    left_layout->addWidget(filter_edit_);
    left_layout->addWidget(module_view_);
    connect(filter_edit_, &QLineEdit::textChanged, this, [this](const QString& text) {
        module_filter_->setFilterText(text);
        if (!text.isEmpty()) module_view_->expandAll();
    });
    connect(module_view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { moduleSelected(); });

    tensor_table_ = new QTableView(this);
    tensor_table_->setObjectName(QStringLiteral("tensorTable"));
    tensor_table_->setModel(tensor_model_);
    tensor_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tensor_table_->setSelectionMode(QAbstractItemView::SingleSelection);
    tensor_table_->setAlternatingRowColors(true);
    tensor_table_->verticalHeader()->hide();
    tensor_table_->horizontalHeader()->setStretchLastSection(true);
    tensor_table_->setWordWrap(false);
    tensor_table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    connect(tensor_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { tensorSelected(); });

    // A heatmap in the slot has fewer pixels than this; a smaller slice keeps drawing it cheap.
    snapshot_request_.max_slice_elements = 256 * 256;
    tensor_view_ = createTensorView(this);
    connectTensorView(
        tensor_view_,
        [this](std::vector<std::int64_t> leading) {
            snapshot_request_.leading = std::move(leading);
            requestSnapshot();
        },
        [this](int bins) {
            snapshot_request_.bins = bins;
            requestSnapshot();
        });

    summary_view_ = new QTreeView(this);
    summary_view_->setObjectName(QStringLiteral("summary"));
    summary_view_->setModel(summary_model_);
    summary_view_->setUniformRowHeights(true);
    summary_view_->setWordWrap(false);

    centre_splitter_ = new QSplitter(Qt::Vertical, this);
    centre_splitter_->setObjectName(QStringLiteral("centreSplitter"));
    centre_splitter_->addWidget(tensor_table_);
    centre_splitter_->addWidget(tensor_view_);
    centre_splitter_->setStretchFactor(0, 1);
    centre_splitter_->setStretchFactor(1, 1);

    main_splitter_ = new QSplitter(Qt::Horizontal, this);
    main_splitter_->setObjectName(QStringLiteral("mainSplitter"));
    main_splitter_->addWidget(left);
    main_splitter_->addWidget(centre_splitter_);
    main_splitter_->addWidget(summary_view_);
    main_splitter_->setStretchFactor(0, 2);
    main_splitter_->setStretchFactor(1, 4);
    main_splitter_->setStretchFactor(2, 2);
    main_splitter_->setSizes({380, 560, 340});
    setCentralWidget(main_splitter_);

    status_label_ = new QLabel(tr("Ready"), this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(true);
    cancel_button_ = new QToolButton(this);
    cancel_button_->setText(tr("Cancel"));
    cancel_button_->setToolTip(tr("Cancel loading (Esc)"));
    connect(cancel_button_, &QToolButton::clicked, this, &MainWindow::cancelLoad);
    statusBar()->addWidget(status_label_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_button_);
    progress_->hide();
    cancel_button_->hide();
    resize(1280, 800);
}

void MainWindow::connectSession() {
    using session::SessionController;
    connect(&session_, &SessionController::loadStarted, this, [this](const QString& file) {
        setBusy(true, tr("Opening %1…").arg(QFileInfo(file).fileName()));
    });
    connect(&session_, &SessionController::loadProgress, this,
            [this](int percent, const QString& step) {
                progress_->setValue(percent);
                status_label_->setText(step);
            });
    connect(&session_, &SessionController::loaded, this,
            [this](const session::DocumentSnapshotPtr& document) { showDocument(document); });
    connect(&session_, &SessionController::loadFailed, this,
            [this](const QString& file, const QString& message) {
                setBusy(false);
                showError(file, message);
            });
    connect(&session_, &SessionController::loadCancelled, this, [this] {
        setBusy(false);
        status_label_->setText(tr("Cancelled"));
    });
    connect(&session_, &SessionController::statsReady, this,
            [this](const session::StatsBatchPtr& batch) {
                tensor_model_->addStats(*batch);
                if (batch->total > 0) {
                    progress_->setValue(100 * batch->done / batch->total);
                    status_label_->setText(
                        tr("Statistics %1 of %2 tensors").arg(batch->done).arg(batch->total));
                }
            });
    connect(&session_, &SessionController::statsFinished, this, [this] {
        setBusy(false);
        fitTensorColumns();
        status_label_->setText(tr("%1 — ready").arg(QFileInfo(current_file_).fileName()));
    });
    connect(&session_, &SessionController::snapshotReady, this,
            [this](const session::TensorSnapshot& snapshot) {
                snapshot_ = snapshot;
                showTensorSnapshot(tensor_view_, snapshot);
                emit snapshotShown();
            });
    connect(&session_, &SessionController::snapshotFailed, this,
            [this](const QString& tensor, const QString& message) {
                status_label_->setText(tr("%1: %2").arg(tensor, message));
            });
}

void MainWindow::openFile(const QString& path) {
    loading_file_ = QFileInfo(path).absoluteFilePath();
    session_.open(loading_file_);
    setBusy(true, tr("Opening %1…").arg(QFileInfo(path).fileName()));
}

void MainWindow::cancelLoad() {
    session_.cancelLoad();
}

bool MainWindow::isBusy() const {
    return !progress_->isHidden();
}

void MainWindow::setBusy(bool busy, const QString& text) {
    progress_->setVisible(busy);
    cancel_button_->setVisible(busy);
    cancel_action_->setEnabled(busy);
    if (busy) progress_->setValue(0);
    if (!text.isEmpty()) status_label_->setText(text);
}

void MainWindow::showDocument(const session::DocumentSnapshotPtr& document) {
    current_file_ = QString::fromStdString(document->file);
    setWindowTitle(tr("%1 — nnscope").arg(QFileInfo(current_file_).fileName()));
    addRecentFile(current_file_);
    snapshot_.reset();
    selected_tensor_.clear();
    module_model_->setDocument(document);
    tensor_model_->setDocument(document);
    summary_model_->setDocument(document);
    summary_view_->expandAll();
    summary_view_->resizeColumnToContents(0);
    module_view_->expandToDepth(1);
    // Long TorchScript type names must not push the counts out of sight.
    for (int c = 0; c < ModuleTreeModel::ColumnCount; ++c) {
        module_view_->resizeColumnToContents(c);
        module_view_->setColumnWidth(c, std::min(module_view_->columnWidth(c), 180));
    }
    reload_action_->setEnabled(true);
    status_label_->setText(tr("%1: %2 modules, %3 tensors")
                               .arg(QFileInfo(current_file_).fileName())
                               .arg(document->modules.size())
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

void MainWindow::showError(const QString& file, const QString& message) {
    last_error_ = message;
    status_label_->setText(tr("Could not open %1").arg(QFileInfo(file).fileName()));
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

bool MainWindow::selectModule(const QString& path) {
    const QModelIndex source = module_model_->indexOfPath(path);
    const QModelIndex index = module_filter_->mapFromSource(source);
    if (!index.isValid()) return false;
    module_view_->setCurrentIndex(index);
    module_view_->scrollTo(index);
    moduleSelected(); // also when it was current already
    return true;
}

void MainWindow::moduleSelected() {
    const QModelIndex current = module_view_->currentIndex();
    const QString path =
        current.isValid() ? current.data(ModuleTreeModel::PathRole).toString() : QString();
    tensor_model_->setModule(path);
    fitTensorColumns();
    const int row = tensor_model_->rowOfTensor(selected_tensor_);
    if (row >= 0) tensor_table_->selectRow(row);
}

void MainWindow::fitTensorColumns() {
    tensor_table_->resizeColumnsToContents();
    // Long names and ties ("shares storage with …") must not push the statistics out of sight;
    // the tooltips say it all.
    for (const int c : {TensorTableModel::Name, TensorTableModel::Flags})
        tensor_table_->setColumnWidth(c, std::min(tensor_table_->columnWidth(c), 220));
    // Statistics arrive later: keep room for them.
    for (int c = TensorTableModel::Min; c < TensorTableModel::ColumnCount; ++c)
        tensor_table_->setColumnWidth(
            c, std::max(tensor_table_->columnWidth(c),
                        fontMetrics().horizontalAdvance(QStringLiteral("-0.0000000000"))));
}

bool MainWindow::selectTensor(const QString& name) {
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

void MainWindow::tensorSelected() {
    const QModelIndex current = tensor_table_->currentIndex();
    if (!current.isValid()) return;
    const QString name = tensor_model_->tensorName(current.row());
    if (name == selected_tensor_ && snapshot_) return;
    selected_tensor_ = name;
    snapshot_request_.leading.clear(); // another tensor: its first slice
    requestSnapshot();
}

void MainWindow::requestSnapshot() {
    if (selected_tensor_.isEmpty()) return;
    session_.requestSnapshot(selected_tensor_.toStdString(), snapshot_request_);
    status_label_->setText(tr("Computing %1…").arg(selected_tensor_));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (remember_) saveSettings();
    session_.cancelLoad();
    QMainWindow::closeEvent(event);
}

} // namespace nnscope::ui
