#pragma once
// Where the indexing page shows PyTorch's refusal of a call: the Python exception and its
// message word for word ("IndexError: index out of range in self"), selectable to copy, with a
// line pointing at the index cells marked red when out-of-range values caused it.

#include <QFrame>

class QLabel;

namespace nnscope::ui {

class RefusalPanel : public QFrame {
    Q_OBJECT
public:
    explicit RefusalPanel(QWidget* parent = nullptr);

    // bad_cells: how many index cells are marked red (0: the refusal is about something else).
    void showRefusal(const QString& exception, const QString& message, std::size_t bad_cells);
    QString text() const; // "IndexError: index out of range in self"

private:
    QLabel* message_;
    QLabel* note_;
};

} // namespace nnscope::ui
