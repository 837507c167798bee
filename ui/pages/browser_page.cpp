// The browser page's widgets and its View actions.

#include "ui/pages/browser_page.h"

#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"
#include "ui/pages/view_hint.h"
#include "ui/tensor_view/tensor_view.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace nnscope::ui {

BrowserPage::BrowserPage(QWidget* parent)
    : Workspace(parent) {
    setObjectName(QStringLiteral("browserPage"));
    module_model_ = new ModuleTreeModel(this);
    module_filter_ = new ModuleFilterModel(this);
    module_filter_->setSourceModel(module_model_);
    tensor_model_ = new TensorTableModel(this);
    summary_model_ = new SummaryModel(this);
    buildLayout();
    buildActions();
    connectSession();
}

BrowserPage::~BrowserPage() {
    // Stop the worker before the models it reports to go away.
    session_.stop();
}

void BrowserPage::buildLayout() {
    module_pane_ = new QWidget(this);
    module_pane_->setObjectName(QStringLiteral("modulePane"));
    auto* left_layout = new QVBoxLayout(module_pane_);
    left_layout->setContentsMargins(0, 0, 0, 0);
    filter_edit_ = new QLineEdit(module_pane_);
    filter_edit_->setObjectName(QStringLiteral("filter"));
    filter_edit_->setPlaceholderText(tr("Filter modules and tensors (Ctrl+F)"));
    filter_edit_->setToolTip(tr("Keeps the modules whose path or type contains the text and the "
                                "tensors whose name does. Esc clears it."));
    filter_edit_->setClearButtonEnabled(true);
    filter_edit_->installEventFilter(this); // Esc clears it
    module_view_ = new QTreeView(module_pane_);
    module_view_->setObjectName(QStringLiteral("moduleTree"));
    module_view_->setModel(module_filter_);
    module_view_->setUniformRowHeights(true);
    module_view_->setAlternatingRowColors(true);
    module_view_->setTextElideMode(Qt::ElideMiddle);
    module_view_->setIndentation(14); // ResNets nest four deep: the names keep their room
    module_view_->header()->setSectionResizeMode(QHeaderView::Interactive);
    module_view_->header()->setStretchLastSection(true);
    module_hint_ = new ViewHint(module_view_);
    left_layout->addWidget(filter_edit_);
    left_layout->addWidget(module_view_);
    connect(filter_edit_, &QLineEdit::textChanged, this,
            [this](const QString& text) { setFilterText(text); });
    connect(module_view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { moduleSelected(); });
    // Deeper rows are indented further: the names widen to fit them, within the same limit.
    connect(module_view_, &QTreeView::expanded, this, [this] { fitModuleNames(); });

    buildTensorTable();

    // A heatmap in the view has fewer pixels than this; a smaller slice keeps drawing it cheap.
    snapshot_request_.max_slice_elements = 256 * 256;
    tensor_view_ = new TensorView(this);
    tensor_view_->setObjectName(QStringLiteral("tensorView"));
    connect(tensor_view_, &TensorView::sliceRequested, this,
            [this](std::vector<std::int64_t> leading) {
                snapshot_request_.leading = std::move(leading);
                requestSnapshot();
            });
    connect(tensor_view_, &TensorView::binsRequested, this, [this](int bins) {
        snapshot_request_.bins = bins;
        requestSnapshot();
    });
    connect(tensor_view_, &TensorView::valuesRequested, this,
            [this](const session::TensorSliceRequest& request) { requestValues(request); });

    summary_view_ = new QTreeView(this);
    summary_view_->setObjectName(QStringLiteral("summary"));
    summary_view_->setModel(summary_model_);
    summary_view_->setUniformRowHeights(true);
    summary_view_->setWordWrap(false);
    summary_view_->setTextElideMode(Qt::ElideMiddle);
    summary_view_->setIndentation(12); // two levels only: room for the values

    centre_splitter_ = new QSplitter(Qt::Vertical, this);
    centre_splitter_->setObjectName(QStringLiteral("centreSplitter"));
    centre_splitter_->addWidget(tensor_table_);
    centre_splitter_->addWidget(tensor_view_);
    centre_splitter_->setStretchFactor(0, 1);
    centre_splitter_->setStretchFactor(1, 1);

    main_splitter_ = new QSplitter(Qt::Horizontal, this);
    main_splitter_->setObjectName(QStringLiteral("mainSplitter"));
    main_splitter_->addWidget(module_pane_);
    main_splitter_->addWidget(centre_splitter_);
    buildRunPanel();
    main_splitter_->addWidget(side_tabs_);
    // The table's statistics need the width most; the summary is read once.
    main_splitter_->setStretchFactor(0, 2);
    main_splitter_->setStretchFactor(1, 6);
    main_splitter_->setStretchFactor(2, 1);
    main_splitter_->setSizes({280, 1000, 320});
    // What a file holds (a 530-character name in a label) must never resize the window: the panes
    // ask for a small fixed minimum instead of their contents' (qSmartMinSize prefers it), and
    // whatever shows a name elides it.
    for (QWidget* pane : {module_pane_, static_cast<QWidget*>(tensor_table_),
                          static_cast<QWidget*>(tensor_view_), static_cast<QWidget*>(side_tabs_)})
        pane->setMinimumWidth(120);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(main_splitter_);
}

void BrowserPage::buildTensorTable() {
    tensor_table_ = new QTableView(this);
    tensor_table_->setObjectName(QStringLiteral("tensorTable"));
    tensor_table_->setModel(tensor_model_);
    tensor_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tensor_table_->setSelectionMode(QAbstractItemView::SingleSelection);
    tensor_table_->setAlternatingRowColors(true);
    tensor_table_->setTextElideMode(Qt::ElideMiddle); // names differ at both ends
    tensor_table_->verticalHeader()->hide();
    tensor_table_->horizontalHeader()->setStretchLastSection(true);
    tensor_table_->horizontalHeader()->setSortIndicatorClearable(true); // third click: file order
    tensor_table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    tensor_table_->setSortingEnabled(true);
    tensor_table_->setWordWrap(false);
    tensor_table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    tensor_hint_ = new ViewHint(tensor_table_);
    connect(tensor_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { tensorSelected(); });
}

void BrowserPage::buildActions() {
    auto add = [this](const QString& text, const QKeySequence& keys, auto slot) {
        auto* action = new QAction(text, this);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        view_actions_ << action;
    };
    add(tr("&Filter Modules"), QKeySequence::Find, [this] {
        filter_edit_->setFocus();
        filter_edit_->selectAll();
    });
    add(tr("&Expand All"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] {
        module_view_->expandAll();
        fitModuleNames();
    });
    add(tr("&Collapse All"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        [this] { module_view_->collapseAll(); });
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    view_actions_ << separator;
    add(tr("Module &Tree"), QKeySequence(Qt::ALT | Qt::Key_1),
        [this] { module_view_->setFocus(); });
    add(tr("Tensor T&able"), QKeySequence(Qt::ALT | Qt::Key_2),
        [this] { tensor_table_->setFocus(); });
    add(tr("&Summary"), QKeySequence(Qt::ALT | Qt::Key_3), [this] { summary_view_->setFocus(); });
    buildPaneActions();
    // A native model file (architecture in its metadata) can be trained in the training page.
    train_action_ = new QAction(tr("T&rain This Model"), this);
    train_action_->setToolTip(tr("Open the training page with this native model file as the "
                                 "model"));
    train_action_->setEnabled(false);
    connect(train_action_, &QAction::triggered, this,
            [this] { emit trainRequested(current_file_); });
    auto* train_separator = new QAction(this);
    train_separator->setSeparator(true);
    view_actions_ << train_separator << train_action_;
    module_view_->addAction(train_action_);
    module_view_->setContextMenuPolicy(Qt::ActionsContextMenu);
}

void BrowserPage::shutdown() {
    session_.cancelLoad();
}

} // namespace nnscope::ui
