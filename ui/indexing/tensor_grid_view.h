#pragma once
// The table view of a TensorGridModel on the indexing page: compact cells, one cell selected at
// a time, hover reported, and the marked cells (those the selection links to) framed so that the
// frame shows on any cell colour.

#include <QTableView>

namespace nnscope::ui {

class TensorGridModel;

class TensorGridView : public QTableView {
    Q_OBJECT
public:
    explicit TensorGridView(QWidget* parent = nullptr);

    void setGridModel(TensorGridModel* model);
    TensorGridModel* gridModel() const { return grid_; }
    // Scrolls the first marked cell into view.
    void showMarked();

signals:
    // The user (or the test) made this element, row-major, the current one; -1: none.
    void elementChosen(std::int64_t flat);
    // The mouse is over this element; -1: it left the grid.
    void elementHovered(std::int64_t flat);

protected:
    void leaveEvent(QEvent* event) override;

private:
    TensorGridModel* grid_ = nullptr;
};

} // namespace nnscope::ui
