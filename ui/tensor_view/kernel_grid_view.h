#pragma once
// The kernels of a convolution weight [out, in, kh, kw] as small images on one shared colour
// scale (per the kernels shown or per tensor, the legend says which): each output channel is a
// group, numbered at its left, holding its `in` kernels left to right; groups sit side by side
// when they are narrow, in reading order. Each pixel is scaled up by a whole factor with no
// smoothing so a 3 x 3 kernel stays nine clear squares.

#include "session/tensor_snapshot.h"
#include "ui/tensor_view/colour_scale.h"

#include <QImage>
#include <QWidget>
#include <vector>

namespace nnscope::ui {

class KernelGridView : public QWidget {
    Q_OBJECT
public:
    explicit KernelGridView(QWidget* parent = nullptr);

    void setKernels(const session::KernelGrid& kernels);
    void showMessage(const QString& text);
    // The whole tensor's finite extremes, for the colour scale per tensor.
    void setTensorRange(double min, double max);
    void setColourMode(ColourMode mode);
    ColourMode colourMode() const { return mode_; }
    // For a grid of something other than kernels (a conv output's feature maps): the words above
    // the grid and what the colour scale spans ("maps shown"); empty strings restore the kernels'.
    void setWording(const QString& caption, const QString& shown);
    // The words above the grid: what its layout means, and what the colours mean.
    QString caption() const;
    QString legendText() const;

    std::int64_t outChannels() const { return grid_.out; }
    std::int64_t inChannels() const { return grid_.in; }
    // One image per kernel, [out][in] row-major, each kw x kh pixels.
    const std::vector<QImage>& images() const { return images_; }
    const ColourScale& colourScale() const { return colours_; }
    QString message() const { return message_; }
    // Screen rectangle of kernel (o, i) at the current width.
    QRect kernelRect(std::int64_t o, std::int64_t i) const;
    // "[o, i, row, col] = value" of the kernel pixel under pos; empty elsewhere.
    QString cellTextAt(const QPoint& pos) const;

    // out,in,row,col,value: one line per kernel element.
    QString csvText() const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout {
        int scale = 1;       // screen pixels per kernel pixel
        int label_width = 0; // room for the output channel number
        int per_line = 1;    // output channels side by side
        int lines = 0;
        int group_width = 0, group_height = 0;
        int top = 0; // y of the first group, below caption and legend
        int height = 0;
    };
    Layout layout(int width) const;
    QRect kernelRect(const Layout& l, std::int64_t o, std::int64_t i) const;
    void rebuildImages();
    void paintLegend(QPainter& painter, const QRect& area);

    session::KernelGrid grid_;
    ColourScale colours_;
    std::vector<QImage> images_;
    QString message_;
    QString caption_, shown_; // setWording's, when set
    ColourMode mode_ = ColourMode::PerSlice;
    double tensor_min_ = 0, tensor_max_ = 0;
};

} // namespace nnscope::ui
