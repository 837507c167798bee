#pragma once
// One cell of the transform grid, large: the stored picture and the image after each transform
// of the Compose side by side, each titled with the transform (its torchvision repr) and what it
// drew. Holds its own copy of the cell (immutable, shared).

#include "workflows/transform_grid.h"

#include <QDialog>

namespace nnscope::ui {

class ImageTileGrid;

class TransformStageDialog : public QDialog {
    Q_OBJECT
public:
    TransformStageDialog(workflows::TransformGridPtr grid, std::size_t cell,
                         QWidget* parent = nullptr);
    ImageTileGrid* stages() const { return stages_; }

private:
    workflows::TransformGridPtr grid_; // keeps the cell alive
    ImageTileGrid* stages_ = nullptr;
};

// "28×28" (a channel count in front when not 1: "3×28×28").
QString image_size_text(const Tensor& image);

} // namespace nnscope::ui
