#pragma once
// Which 2-D slice of a tensor of rank > 2 to show: one spin box per leading dimension. Changes are
// debounced so that holding an arrow key asks the worker for the last slice only.

#include <QTimer>
#include <QWidget>
#include <cstdint>
#include <vector>

class QHBoxLayout;
class QSpinBox;

namespace nnscope::ui {

class SlicePicker : public QWidget {
    Q_OBJECT
public:
    explicit SlicePicker(QWidget* parent = nullptr);

    // Rebuilds the spin boxes when the shape changes and shows `leading` without emitting. Hidden
    // for rank <= 2, where there is nothing to pick.
    void setShape(const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& leading);
    std::vector<std::int64_t> leading() const;
    const std::vector<QSpinBox*>& spinBoxes() const { return boxes_; }
    static constexpr int debounce_ms = 120;

signals:
    void sliceRequested(std::vector<std::int64_t> leading);

private:
    QHBoxLayout* layout_;
    std::vector<QSpinBox*> boxes_;
    std::vector<std::int64_t> shape_;
    QTimer debounce_;
};

} // namespace nnscope::ui
