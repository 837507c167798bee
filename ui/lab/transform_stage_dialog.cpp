#include "ui/lab/transform_stage_dialog.h"

#include "ui/lab/image_tile_grid.h"
#include "ui/lab/tensor_image.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace nnscope::ui {

QString image_size_text(const Tensor& image) {
    QStringList parts;
    for (std::int64_t d = 0; d < image.dim(); ++d)
        if (!(d == 0 && image.dim() == 3 && image.size(0) == 1))
            parts << QString::number(image.size(d));
    return parts.join(QChar(0x00d7));
}

TransformStageDialog::TransformStageDialog(workflows::TransformGridPtr grid, std::size_t cell,
                                           QWidget* parent)
    : QDialog(parent)
    , grid_(std::move(grid)) {
    const workflows::TransformGridCell& c = grid_->cells.at(cell);
    const auto& p = c.preview;
    const QString name =
        p.class_name.empty() ? QString::number(p.label) : QString::fromStdString(p.class_name);
    setWindowTitle(tr("Sample %1 (%2), seed %3").arg(c.index).arg(name).arg(c.seed));

    std::vector<ImageTile> tiles;
    tiles.push_back(
        {tr("stored picture"), tensor_image(p.before), {image_size_text(p.before)}, {}});
    for (const auto& stage : p.stages) {
        QStringList lines;
        for (const auto& d : workflows::describe_drawn(stage.drawn))
            lines << QString::fromStdString(d);
        lines << image_size_text(stage.image);
        tiles.push_back(
            {QString::fromStdString(stage.title), tensor_image(stage.image), lines, {}});
    }
    stages_ = new ImageTileGrid;
    stages_->setTiles(std::move(tiles), static_cast<int>(p.stages.size()) + 1, 196);

    auto* scroll = new QScrollArea;
    scroll->setWidget(stages_);
    scroll->setWidgetResizable(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Each stage of the pipeline, left to right; the parameters "
                                    "are what its random transforms drew with this seed.")));
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    resize(std::min(stages_->sizeHint().width() + 40, 1400), stages_->sizeHint().height() + 110);
}

} // namespace nnscope::ui
