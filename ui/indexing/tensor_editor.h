#pragma once
// One tensor of the indexing page with the controls to change it: its shape typed as "2x3x4"
// (1 to 3 dims, each 1 to 12), its dtype, values typed into the grid's cells, and "Random",
// which fills it from the editor's own seeded engine Generator (so the same presses give the
// same tensors): integers in [low, high) for an integer dtype, else uniform values in [-1, 1)
// rounded to two decimals so that they stay readable.

#include "engine/generator.h"
#include "engine/tensor.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace nnscope::ui {

class TensorGridModel;
class TensorGridView;

class TensorEditor : public QWidget {
    Q_OBJECT
public:
    struct Options {
        QString title;             // "input x"
        QString name;              // "x": tool tips and element names
        std::vector<DType> dtypes; // the dtype choice; empty: no choice (setTensor's dtype)
        bool shapeEditable = true; // false: the shape follows setTensor
        double fillValue = 0;      // for the elements a larger shape adds
        std::uint64_t seed = 0;    // of the editor's Random
    };

    explicit TensorEditor(const Options& options, QWidget* parent = nullptr);

    // Shows `tensor` (dtype and shape included) without emitting tensorEdited.
    void setTensor(const Tensor& tensor);
    Tensor tensor() const;
    // The same values in another shape (kept where multi-indices overlap, else the fill value)
    // and dtype, without emitting tensorEdited.
    void reshape(const Shape& shape, DType dtype);
    // Random's range for an integer dtype.
    void setIntegerRange(std::int64_t low, std::int64_t high);
    void randomize(); // as the Random button; emits tensorEdited

    TensorGridModel* model() const { return model_; }
    TensorGridView* view() const { return view_; }
    QLineEdit* shapeField() const { return shape_field_; }
    QComboBox* dtypeBox() const { return dtype_box_; }
    QLabel* titleLabel() const { return title_; }
    QString shapeError() const;

    // "2x3x4", "2×3", "5" or "[2, 3]" as a shape of 1 to 3 dims, each 1 to 12; else nothing and
    // *error says what is wrong.
    static std::optional<Shape> parseShape(const QString& text, QString* error);
    static QString shapeText(const Shape& shape); // "2x3x4"

signals:
    // The learner changed the values, the shape or the dtype.
    void tensorEdited();

private:
    void applyShapeField();
    void applyDtype();
    void showShape();

    Options options_;
    Generator generator_;
    std::int64_t low_ = 0;
    std::int64_t high_ = 10;
    TensorGridModel* model_;
    TensorGridView* view_;
    QLabel* title_;
    QLineEdit* shape_field_;
    QComboBox* dtype_box_;
    QPushButton* random_;
    QLabel* error_;
};

} // namespace nnscope::ui
