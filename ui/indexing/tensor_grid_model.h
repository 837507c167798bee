#pragma once
// A small tensor (any number of dims, a few hundred elements at most) as a table for the
// indexing page: the last dim runs along the columns and every leading multi-index is a row
// ("0,2" heads the row x[0, 2, :]), so a 3-d tensor shows as its 2-d slices stacked and every
// element stays in view. Cells can be editable (values typed in, checked against the dtype),
// coloured (text black or white by the colour's luminance), marked (the cells a selection links
// to: bold, framed by TensorGridView), marked bad (red: the index values PyTorch refused) and
// suffixed ("3.0 ×3": the fan-in beside a gradient).

#include "engine/tensor.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QString>
#include <cstdint>
#include <vector>

namespace nnscope::ui {

class TensorGridModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum DataRole { MarkedRole = Qt::UserRole + 1, BadRole };

    // name: the tensor's name in tool tips ("x[0, 2] = 1.5").
    explicit TensorGridModel(const QString& name, QObject* parent = nullptr);

    // A tensor of the shape shown keeps the rows and columns (dataChanged: selections survive
    // an edit of the input); another shape resets the model and clears the decorations.
    void setTensor(const Tensor& tensor);
    void clear(); // no tensor: no rows
    Tensor tensor() const;
    const Shape& shape() const { return shape_; }
    DType dtype() const { return dtype_; }
    bool isEmpty() const { return values_.empty(); }
    const std::vector<double>& values() const { return values_; }
    const QString& name() const { return name_; }
    void setName(const QString& name) { name_ = name; }
    void setEditable(bool editable) { editable_ = editable; }

    // Per element, row-major (an empty vector, or one of the wrong size, removes them).
    void setColours(std::vector<QColor> colours);
    void setSuffixes(std::vector<QString> suffixes);
    void setToolTips(std::vector<QString> tips);
    // Row-major element positions.
    void setMarked(const std::vector<std::int64_t>& flat);
    void setBad(const std::vector<std::int64_t>& flat);
    std::vector<std::int64_t> marked() const;

    // A cell's row-major element position and back (-1 / invalid when outside).
    std::int64_t flatIndex(const QModelIndex& index) const;
    QModelIndex cell(std::int64_t flat) const;
    // "x[0, 2]": the element at row-major position flat.
    QString elementName(std::int64_t flat) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

signals:
    // A value typed into a cell (not setTensor).
    void valueEdited(std::int64_t flat);

private:
    void allCellsChanged(const QList<int>& roles);

    QString name_;
    Shape shape_;
    DType dtype_ = DType::Float32;
    std::vector<double> values_;
    std::vector<QColor> colours_;
    std::vector<QString> suffixes_;
    std::vector<QString> tips_;
    std::vector<bool> marked_;
    std::vector<bool> bad_;
    bool editable_ = false;
};

// A value as the grid shows it: integers plainly, floats with a decimal point ("3.0", "-0.53").
QString gridValueText(double value, DType dtype);
// The shortest text that reads back as the stored value (a float32 as a float: "0.1").
QString exactValueText(double value, DType dtype);
// Black or white, whichever reads better on `background` (by its relative luminance).
QColor readableTextColour(const QColor& background);
// The row-major position of multi-index `at` in `shape`, and back.
std::int64_t flatOf(const Shape& at, const Shape& shape);
Shape multiIndexOf(std::int64_t flat, const Shape& shape);

} // namespace nnscope::ui
