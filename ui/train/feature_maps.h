#pragma once
// The feature maps of a convolution's output [N, C, H, W] for one chosen sample of the batch: the
// C maps of H x W as small images on one colour scale (the tensor view's KernelGridView, fed by
// the snapshot session::TrainTensors::feature_maps whose kernel grid holds the maps), and a spin
// box choosing the sample. Changing the sample is a request (sampleChanged); the maps that answer
// it come back through setMaps.

#include "session/tensor_snapshot.h"

#include <QWidget>
#include <cstdint>

class QLabel;
class QScrollArea;
class QSpinBox;

namespace nnscope::ui {

class KernelGridView;

class FeatureMaps : public QWidget {
    Q_OBJECT
public:
    explicit FeatureMaps(QWidget* parent = nullptr);

    // The batch the maps are of: the spin box ranges over its `samples` (kept when in range).
    void setSamples(std::int64_t samples);
    // The maps of the chosen sample; nullptr: none came (the words say why).
    void setMaps(const session::TensorSnapshot* maps, const QString& why_none = {});
    void showMessage(const QString& text);
    void showFetching(); // the maps of the chosen sample were asked for

    int sample() const;
    void setSample(int sample); // emits sampleChanged when it changes
    QSpinBox* sampleBox() const { return sample_; }
    KernelGridView* grid() const { return grid_; }
    // The grid's caption, or its message when no maps are shown.
    QString captionText() const;

signals:
    void sampleChanged(int sample);

private:
    QSpinBox* sample_;
    KernelGridView* grid_;
    QScrollArea* scroll_;
};

} // namespace nnscope::ui
