#include "ui/builder/inspector_apply_tab.h"

#include "ui/builder/apply_rules_model.h"
#include "ui/builder/before_after_histogram.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace nnscope::ui {

namespace {

// Combo boxes for the columns that take one of a list (module type, scheme).
class RuleDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override {
        const int column = index.column();
        if (column != ApplyRulesModel::ModuleType && column != ApplyRulesModel::Scheme)
            return QStyledItemDelegate::createEditor(parent, option, index);
        auto* combo = new QComboBox(parent);
        combo->addItems(column == ApplyRulesModel::ModuleType ? ApplyRulesModel::moduleTypes()
                                                              : ApplyRulesModel::schemes());
        combo->setMaxVisibleItems(20);
        return combo;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        if (auto* combo = qobject_cast<QComboBox*>(editor))
            combo->setCurrentText(index.data(Qt::EditRole).toString());
        else
            QStyledItemDelegate::setEditorData(editor, index);
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override {
        if (auto* combo = qobject_cast<QComboBox*>(editor))
            model->setData(index, combo->currentText());
        else
            QStyledItemDelegate::setModelData(editor, model, index);
    }
};

QString stepTitle(const workflows::ApplyStep& step) {
    return step.path.empty() ? QStringLiteral("(root) %1").arg(QString::fromStdString(step.type))
                             : QStringLiteral("%1 (%2)").arg(QString::fromStdString(step.path),
                                                             QString::fromStdString(step.type));
}

} // namespace

InspectorApplyTab::InspectorApplyTab(QWidget* parent)
    : QWidget(parent)
    , rules_(new ApplyRulesModel(this))
    , rules_view_(new QTableView(this))
    , add_(new QPushButton(tr("Add rule"), this))
    , remove_(new QPushButton(tr("Remove"), this))
    , apply_(new QPushButton(tr("Apply"), this))
    , message_(new QLabel(this))
    , steps_(new QTreeWidget(this))
    , tensor_(new QComboBox(this))
    , histogram_(new BeforeAfterHistogram(this))
    , script_(new QPlainTextEdit(this)) {
    rules_view_->setModel(rules_);
    rules_view_->setItemDelegate(new RuleDelegate(rules_view_));
    rules_view_->verticalHeader()->hide();
    rules_view_->horizontalHeader()->setStretchLastSection(true);
    rules_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    rules_view_->setEditTriggers(QAbstractItemView::AllEditTriggers);
    rules_view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    rules_view_->setMinimumHeight(4 * fontMetrics().height());
    connect(rules_, &QAbstractItemModel::modelReset, rules_view_,
            &QTableView::resizeColumnsToContents);
    apply_->setToolTip(
        tr("Build the model with its seed, then model.apply(init) with these rules"));
    apply_->setDefault(true);
    connect(add_, &QPushButton::clicked, this,
            [this] { rules_->insertRows(rules_->rowCount(), 1); });
    connect(remove_, &QPushButton::clicked, this, [this] {
        const QModelIndex current = rules_view_->currentIndex();
        if (current.isValid()) rules_->removeRows(current.row(), 1);
    });
    connect(apply_, &QPushButton::clicked, this, &InspectorApplyTab::applyRequested);
    connect(rules_, &ApplyRulesModel::rulesChanged, this, &InspectorApplyTab::markEdited);

    message_->setWordWrap(true);
    message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    message_->setStyleSheet(QStringLiteral("color: #b22222;"));
    message_->hide();

    steps_->setHeaderLabels({tr("apply's order: children first, then the module")});
    steps_->setRootIsDecorated(true);
    connect(steps_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && !item->data(0, KeyRole).toString().isEmpty())
            selectTensor(item->data(0, KeyRole).toString());
    });
    tensor_->setToolTip(tr("Any tensor of the model: its values before and after apply"));
    tensor_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    tensor_->setMinimumContentsLength(10);
    connect(tensor_, &QComboBox::currentTextChanged, this, &InspectorApplyTab::showTensor);

    script_->setReadOnly(true);
    script_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    script_->setLineWrapMode(QPlainTextEdit::NoWrap);
    script_->setPlaceholderText(tr("The init function and model.apply(init) appear here."));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add_);
    buttons->addWidget(remove_);
    buttons->addStretch();
    buttons->addWidget(apply_);
    auto* rules_box = new QWidget(this);
    auto* rules_layout = new QVBoxLayout(rules_box);
    rules_layout->setContentsMargins(0, 0, 0, 0);
    rules_layout->addWidget(rules_view_, 1);
    rules_layout->addLayout(buttons);
    rules_layout->addWidget(message_);

    auto* values_box = new QWidget(this);
    auto* values_layout = new QVBoxLayout(values_box);
    values_layout->setContentsMargins(0, 0, 0, 0);
    auto* pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("Tensor"), this));
    pick->addWidget(tensor_, 1);
    values_layout->addLayout(pick);
    values_layout->addWidget(histogram_, 1);

    auto* middle = new QSplitter(Qt::Horizontal, this);
    middle->setObjectName(QStringLiteral("inspectorApplyMiddleSplitter"));
    middle->addWidget(steps_);
    middle->addWidget(values_box);
    middle->setChildrenCollapsible(false);
    middle->setStretchFactor(0, 1);
    middle->setStretchFactor(1, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("inspectorApplySplitter"));
    split->addWidget(rules_box);
    split->addWidget(middle);
    split->addWidget(script_);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setStretchFactor(2, 2);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

void InspectorApplyTab::setInspection(const session::BuilderInspectionPtr& inspection) {
    inspection_ = inspection;
    const QString shown = tensor_->currentText();
    steps_->clear();
    {
        const QSignalBlocker block(tensor_);
        tensor_->clear();
    }
    const bool built = inspection && !inspection->build_error;
    script_->setPlainText(built ? QString::fromStdString(inspection->apply_script) : QString());
    const QString error = built && inspection->apply_error
                              ? QString::fromStdString(*inspection->apply_error)
                              : QString();
    message_->setText(error);
    message_->setVisible(!error.isEmpty());
    if (!built) {
        histogram_->showMessage(tr("No model to apply the rules to."));
        return;
    }
    QString first_changed;
    for (const auto& s : inspection->steps) {
        auto* item = new QTreeWidgetItem(steps_, {stepTitle(s.step)});
        std::vector<QTreeWidgetItem*> calls;
        for (const auto& call : s.step.calls)
            calls.push_back(new QTreeWidgetItem(item, {QString::fromStdString(call)}));
        for (const auto& t : s.tensors) {
            if (t.call >= calls.size()) continue;
            const QString key = QString::fromStdString(t.key);
            calls[t.call]->setData(0, KeyRole, key);
            calls[t.call]->setToolTip(0, tr("%1: click for its histograms").arg(key));
            if (first_changed.isEmpty()) first_changed = key;
        }
        item->setExpanded(!s.step.calls.empty());
    }
    {
        const QSignalBlocker block(tensor_);
        for (const auto& key : inspection->value_keys)
            tensor_->addItem(QString::fromStdString(key));
    }
    const QString want = !shown.isEmpty() && inspection->valueIndex(shown.toStdString()) >= 0
                             ? shown
                             : first_changed;
    if (want.isEmpty() || !selectTensor(want)) {
        if (tensor_->count() > 0)
            selectTensor(tensor_->itemText(0));
        else
            histogram_->showMessage(tr("The model has no tensors with values."));
    }
}

void InspectorApplyTab::setAppliedRules(const std::vector<workflows::InitRule>& rules) {
    applied_ = rules;
    markEdited();
}

void InspectorApplyTab::markEdited() {
    const auto& now = rules_->rules();
    const bool same = std::equal(now.begin(), now.end(), applied_.begin(), applied_.end(),
                                 [](const workflows::InitRule& x, const workflows::InitRule& y) {
                                     return x.module_type == y.module_type &&
                                            x.tensor == y.tensor && x.scheme == y.scheme &&
                                            x.a == y.a && x.b == y.b;
                                 });
    apply_->setText(same ? tr("Apply") : tr("Apply (edited)"));
}

bool InspectorApplyTab::selectTensor(const QString& key) {
    const int i = tensor_->findText(key);
    if (i < 0) return false;
    if (tensor_->currentIndex() == i)
        showTensor(key);
    else
        tensor_->setCurrentIndex(i);
    return true;
}

void InspectorApplyTab::showTensor(const QString& key) {
    if (!inspection_) return;
    const int i = inspection_->valueIndex(key.toStdString());
    if (i < 0 || std::size_t(i) >= inspection_->after.size()) return;
    histogram_->setValues(key, inspection_->before[std::size_t(i)],
                          inspection_->after[std::size_t(i)]);
}

QString InspectorApplyTab::scriptText() const {
    return script_->toPlainText();
}

QString InspectorApplyTab::messageText() const {
    return message_->isVisibleTo(this) ? message_->text() : QString();
}

} // namespace nnscope::ui
