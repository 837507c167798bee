#include "ui/indexing/tensor_grid_view.h"

#include "ui/indexing/tensor_grid_model.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyledItemDelegate>

namespace nnscope::ui {

namespace {

// Paints the cell without the selection's highlight, then a two-tone frame around a marked one: a
// dark outer line and a light inner one, so it shows on every palette colour and on the red of a
// refused index.
class MarkedCellDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        // The selection shows as the frame (a chosen cell is always marked): the highlight would
        // hide the cell's colour, which says where it came from.
        QStyleOptionViewItem plain(option);
        plain.state &= ~(QStyle::State_Selected | QStyle::State_HasFocus);
        if (!index.data(TensorGridModel::MarkedRole).toBool())
            return QStyledItemDelegate::paint(painter, plain, index);
        // A marked cell's text keeps clear of the frame: the background fills the whole cell,
        // the text is drawn a few pixels in from the right.
        const QVariant background = index.data(Qt::BackgroundRole);
        if (background.canConvert<QColor>())
            painter->fillRect(option.rect, background.value<QColor>());
        plain.rect.adjust(0, 0, -5, 0);
        QStyledItemDelegate::paint(painter, plain, index);
        painter->save();
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(QColor(0x10, 0x10, 0x10), 2));
        painter->drawRect(option.rect.adjusted(1, 1, -1, -1));
        painter->setPen(QPen(Qt::white, 1));
        painter->drawRect(option.rect.adjusted(3, 3, -4, -4));
        painter->restore();
    }

    // Room for the frame beside right-aligned bold text.
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(10, 0);
    }
};

} // namespace

TensorGridView::TensorGridView(QWidget* parent)
    : QTableView(parent) {
    setItemDelegate(new MarkedCellDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                    QAbstractItemView::AnyKeyPressed);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setMinimumSectionSize(40);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setMinimumHeight(4 * (fontMetrics().height() + 8));
    setMouseTracking(true);
    connect(this, &QAbstractItemView::entered, this,
            [this](const QModelIndex& index) { emit elementHovered(grid_->flatIndex(index)); });
}

void TensorGridView::leaveEvent(QEvent* event) {
    QTableView::leaveEvent(event);
    emit elementHovered(-1);
}

void TensorGridView::setGridModel(TensorGridModel* model) {
    grid_ = model;
    setModel(model);
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { emit elementChosen(grid_->flatIndex(current)); });
}

void TensorGridView::showMarked() {
    const std::vector<std::int64_t> marked = grid_->marked();
    if (!marked.empty()) scrollTo(grid_->cell(marked.front()));
}

} // namespace nnscope::ui
