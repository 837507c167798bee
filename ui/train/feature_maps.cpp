#include "ui/train/feature_maps.h"

#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/tensor_text.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace nnscope::ui {

FeatureMaps::FeatureMaps(QWidget* parent)
    : QWidget(parent)
    , sample_(new QSpinBox(this))
    , grid_(new KernelGridView)
    , scroll_(new QScrollArea(this)) {
    sample_->setPrefix(tr("sample "));
    sample_->setRange(0, 0);
    sample_->setToolTip(tr("Which sample of the batch the feature maps are of"));
    scroll_->setWidget(grid_);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Feature maps of"), this));
    top->addWidget(sample_);
    top->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(scroll_, 1);
    connect(sample_, &QSpinBox::valueChanged, this, [this](int sample) {
        showFetching();
        emit sampleChanged(sample);
    });
    showMessage(tr("Feature maps show for a convolution's output [N, C, H, W]."));
}

void FeatureMaps::setSamples(std::int64_t samples) {
    const QSignalBlocker block(sample_);
    sample_->setMaximum(static_cast<int>(std::clamp<std::int64_t>(samples - 1, 0, 1 << 30)));
}

int FeatureMaps::sample() const {
    return sample_->value();
}

void FeatureMaps::setSample(int sample) {
    sample_->setValue(sample);
}

void FeatureMaps::setMaps(const session::TensorSnapshot* maps, const QString& why_none) {
    if (maps && !maps->kernels) {
        showMessage(tr("The maps %1 are too large to draw as a grid; the tensor view's heatmap "
                       "shows them.")
                        .arg(shapeText(maps->shape)));
        return;
    }
    if (!maps) {
        showMessage(why_none.isEmpty() ? tr("No feature maps came with these tensors.") : why_none);
        return;
    }
    session::KernelGrid g = *maps->kernels;
    // One numbered group per channel: a grid of one group holding every channel ([1][C][H][W])
    // has the same values in the same order as C groups of one ([C][1][H][W]).
    if (g.out == 1 && g.in > 1) {
        std::swap(g.out, g.in);
        std::swap(g.total_out, g.total_in);
    }
    const std::int64_t shown = g.out * g.in;
    const std::int64_t total =
        std::max(g.total_out, std::int64_t(1)) * std::max(g.total_in, std::int64_t(1));
    QString count = QString::number(shown);
    if (g.total_out > 0 && g.total_in > 0 && total > shown)
        count = tr("the first %1 of %2").arg(shown).arg(total);
    const QString text = tr("Sample %1: %2 channel maps of %3 x %4, each numbered")
                             .arg(sample())
                             .arg(count)
                             .arg(g.kh)
                             .arg(g.kw);
    grid_->setWording(text, tr("maps shown"));
    grid_->setTensorRange(maps->stats.min, maps->stats.max);
    grid_->setKernels(g);
}

void FeatureMaps::showMessage(const QString& text) {
    grid_->showMessage(text);
}

void FeatureMaps::showFetching() {
    showMessage(tr("Fetching the feature maps of sample %1...").arg(sample()));
}

QString FeatureMaps::captionText() const {
    return grid_->images().empty() ? grid_->message() : grid_->caption();
}

} // namespace nnscope::ui
