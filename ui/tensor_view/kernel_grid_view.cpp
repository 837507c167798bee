#include "ui/tensor_view/kernel_grid_view.h"

#include "ui/tensor_view/plot_export.h"
#include "ui/tensor_view/tensor_text.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

namespace nnscope::ui {

namespace {
constexpr int margin = 8;
constexpr int kernel_gap = 2;   // between the kernels of one output channel
constexpr int group_gap_x = 14; // between output channels side by side
constexpr int group_gap_y = 6;
constexpr int legend_bar = 12;
constexpr int target_kernel_px = 48; // a kernel's size on screen at least, when there is room
constexpr int max_kernel_px = 128;   // and at most, when few kernels leave room to spare
} // namespace

KernelGridView::KernelGridView(QWidget* parent)
    : QWidget(parent) {
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    showMessage(tr("No convolution kernels: this view is for 4-D weights."));
}

void KernelGridView::setKernels(const session::KernelGrid& kernels) {
    const auto elements = kernels.out * kernels.in * kernels.kh * kernels.kw;
    if (elements <= 0 || kernels.values.size() != std::size_t(elements)) {
        showMessage(tr("No kernels to show."));
        return;
    }
    grid_ = kernels;
    message_.clear();
    rebuildImages();
    setMinimumHeight(heightForWidth(width()));
    updateGeometry();
    update();
}

void KernelGridView::showMessage(const QString& text) {
    grid_ = {};
    images_.clear();
    message_ = text;
    setMinimumHeight(0);
    updateGeometry();
    update();
}

void KernelGridView::setTensorRange(double min, double max) {
    tensor_min_ = min;
    tensor_max_ = max;
    if (mode_ == ColourMode::PerTensor && !images_.empty()) {
        rebuildImages();
        update();
    }
}

void KernelGridView::setColourMode(ColourMode mode) {
    if (mode_ == mode) return;
    mode_ = mode;
    if (images_.empty()) return;
    rebuildImages();
    update();
}

void KernelGridView::setWording(const QString& caption, const QString& shown) {
    caption_ = caption;
    shown_ = shown;
    update();
}

QString KernelGridView::caption() const {
    if (images_.empty()) return {};
    if (!caption_.isEmpty()) return caption_;
    const std::int64_t total_out = grid_.total_out > 0 ? grid_.total_out : grid_.out;
    const std::int64_t total_in = grid_.total_in > 0 ? grid_.total_in : grid_.in;
    auto count = [](std::int64_t shown, std::int64_t total) {
        return shown == total ? QString::number(total) : tr("first %1 of %2").arg(shown).arg(total);
    };
    return tr("%1 output channels, one numbered group each; in a group its %2 input channels "
              "left to right; %3 x %4 kernels, %5 px per value")
        .arg(count(grid_.out, total_out), count(grid_.in, total_in))
        .arg(grid_.kh)
        .arg(grid_.kw)
        .arg(layout(width()).scale);
}

QString KernelGridView::legendText() const {
    return images_.empty()
               ? QString()
               : colourScaleText(colours_, mode_, shown_.isEmpty() ? tr("kernels shown") : shown_);
}

void KernelGridView::rebuildImages() {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (float v : grid_.values)
        if (std::isfinite(v)) {
            lo = std::min<double>(lo, v);
            hi = std::max<double>(hi, v);
        }
    if (mode_ == ColourMode::PerTensor) {
        lo = tensor_min_;
        hi = tensor_max_;
    }
    colours_ = chooseColourScale(lo, hi, palette());
    images_.clear();
    images_.reserve(std::size_t(grid_.out * grid_.in));
    const float* v = grid_.values.data();
    for (std::int64_t k = 0; k < grid_.out * grid_.in; ++k) {
        QImage image(int(grid_.kw), int(grid_.kh), QImage::Format_RGB32);
        for (std::int64_t r = 0; r < grid_.kh; ++r)
            for (std::int64_t c = 0; c < grid_.kw; ++c, ++v) {
                double x = *v;
                if (std::isinf(x)) x = x > 0 ? colours_.range.upper : colours_.range.lower;
                image.setPixel(int(c), int(r),
                               std::isnan(x) ? nanColour().rgb()
                                             : colours_.gradient.color(x, colours_.range));
            }
        images_.push_back(std::move(image));
    }
}

KernelGridView::Layout KernelGridView::layout(int width) const {
    Layout l;
    const QFontMetrics fm = fontMetrics();
    l.top = margin + 2 * fm.height() + 6 + legend_bar + fm.height() + 10;
    if (grid_.out <= 0) {
        l.height = l.top;
        return l;
    }
    l.label_width = fm.horizontalAdvance(QString::number(grid_.out - 1)) + 6;
    const int in = int(grid_.in), kw = int(grid_.kw), kh = int(grid_.kh);
    const int room = std::max(1, width - 2 * margin);
    auto group_width = [&](int s) { return l.label_width + in * kw * s + (in - 1) * kernel_gap; };
    auto arrange = [&](int s) {
        l.scale = s;
        l.group_width = group_width(s);
        l.group_height = kh * s;
        const int fit = std::max(1, (room + group_gap_x) / (l.group_width + group_gap_x));
        // Balanced lines: 16 channels at 10 per line become 8 + 8, not 10 + 6.
        l.lines = int((grid_.out + fit - 1) / fit);
        l.per_line = int((grid_.out + l.lines - 1) / l.lines);
        l.height = l.top + l.lines * (l.group_height + group_gap_y) + margin;
    };
    int widest = std::clamp(max_kernel_px / std::max(kh, kw), 1, 64);
    while (widest > 1 && group_width(widest) > room)
        --widest;
    const int readable = std::min(std::clamp(target_kernel_px / std::max(kh, kw), 1, 16), widest);
    // As large as fits the visible area without scrolling; when nothing readable fits, readable
    // size and a scroll bar.
    const int visible = parentWidget() ? parentWidget()->height() : height();
    for (int s = widest; s > readable; --s) {
        arrange(s);
        if (l.height <= visible) return l;
    }
    arrange(readable);
    return l;
}

QRect KernelGridView::kernelRect(std::int64_t o, std::int64_t i) const {
    return kernelRect(layout(width()), o, i);
}

QRect KernelGridView::kernelRect(const Layout& l, std::int64_t o, std::int64_t i) const {
    const int line = int(o) / l.per_line, column = int(o) % l.per_line;
    const int x = margin + column * (l.group_width + group_gap_x) + l.label_width +
                  int(i) * (int(grid_.kw) * l.scale + kernel_gap);
    const int y = l.top + line * (l.group_height + group_gap_y);
    return QRect(x, y, int(grid_.kw) * l.scale, int(grid_.kh) * l.scale);
}

QString KernelGridView::cellTextAt(const QPoint& pos) const {
    if (images_.empty()) return {};
    const Layout l = layout(width());
    for (std::int64_t o = 0; o < grid_.out; ++o)
        for (std::int64_t i = 0; i < grid_.in; ++i) {
            const QRect rect = kernelRect(l, o, i);
            if (!rect.contains(pos)) continue;
            const int r = (pos.y() - rect.top()) / l.scale, c = (pos.x() - rect.left()) / l.scale;
            const float v =
                grid_.values[std::size_t(((o * grid_.in + i) * grid_.kh + r) * grid_.kw + c)];
            return QStringLiteral("[%1, %2, %3, %4] = %5")
                .arg(o)
                .arg(i)
                .arg(r)
                .arg(c)
                .arg(std::isfinite(v) ? QString::number(double(v), 'g', 7) : valueText(v));
        }
    return {};
}

int KernelGridView::heightForWidth(int width) const {
    return layout(width).height;
}

QSize KernelGridView::sizeHint() const {
    return QSize(640, heightForWidth(640));
}

void KernelGridView::paintLegend(QPainter& painter, const QRect& area) {
    // The shared scale: a gradient bar with its ends (and 0 when diverging) written under it.
    const QColor text = palette().color(QPalette::WindowText);
    QImage bar(area.width(), 1, QImage::Format_RGB32);
    for (int x = 0; x < area.width(); ++x) {
        const double t = area.width() > 1 ? double(x) / (area.width() - 1) : 0.5;
        bar.setPixel(x, 0,
                     colours_.gradient.color(colours_.range.lower + t * colours_.range.size(),
                                             colours_.range));
    }
    const QRect bar_rect(area.left(), area.top(), area.width(), legend_bar);
    painter.drawImage(bar_rect, bar);
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(bar_rect.adjusted(0, 0, -1, -1));
    painter.setPen(text);
    const QRect labels(area.left(), bar_rect.bottom() + 2, area.width(), fontMetrics().height());
    painter.drawText(labels, Qt::AlignLeft, valueText(colours_.range.lower));
    painter.drawText(labels, Qt::AlignRight, valueText(colours_.range.upper));
    if (colours_.diverging) painter.drawText(labels, Qt::AlignHCenter, QStringLiteral("0"));
}

void KernelGridView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QColor text = palette().color(QPalette::WindowText);
    if (images_.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(margin, margin, -margin, -margin),
                         Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    const Layout l = layout(width());
    const QFontMetrics fm = fontMetrics();
    painter.setPen(text);
    const int line_width = width() - 2 * margin;
    painter.drawText(QRect(margin, margin, line_width, fm.height()), Qt::AlignLeft,
                     fm.elidedText(caption(), Qt::ElideRight, line_width));
    painter.drawText(QRect(margin, margin + fm.height() + 2, line_width, fm.height()),
                     Qt::AlignLeft, fm.elidedText(legendText(), Qt::ElideRight, line_width));
    paintLegend(painter, QRect(margin, margin + 2 * fm.height() + 6,
                               std::min(320, width() - 2 * margin), legend_bar + fm.height()));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // nearest neighbour
    const QColor frame = palette().color(QPalette::Mid);
    for (std::int64_t o = 0; o < grid_.out; ++o) {
        const QRect first = kernelRect(l, o, 0);
        painter.setPen(text);
        painter.drawText(
            QRect(first.left() - l.label_width, first.top(), l.label_width - 4, first.height()),
            Qt::AlignRight | Qt::AlignVCenter, QString::number(o));
        for (std::int64_t i = 0; i < grid_.in; ++i) {
            const QRect r = kernelRect(l, o, i);
            painter.drawImage(r, images_[std::size_t(o * grid_.in + i)]);
            painter.setPen(frame);
            painter.drawRect(r.adjusted(-1, -1, 0, 0));
        }
    }
}

void KernelGridView::resizeEvent(QResizeEvent* event) {
    // In a scroll area that resizes its widget, the height must follow the width by hand.
    setMinimumHeight(images_.empty() ? 0 : heightForWidth(width()));
    QWidget::resizeEvent(event);
}

void KernelGridView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && !images_.empty()) {
        rebuildImages();
        update();
    }
    QWidget::changeEvent(event);
}

bool KernelGridView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = cellTextAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

QString KernelGridView::csvText() const {
    QString text = QStringLiteral("out,in,row,col,value\n");
    std::size_t k = 0;
    for (std::int64_t o = 0; o < grid_.out; ++o)
        for (std::int64_t i = 0; i < grid_.in; ++i)
            for (std::int64_t r = 0; r < grid_.kh; ++r)
                for (std::int64_t c = 0; c < grid_.kw; ++c, ++k)
                    text += QStringLiteral("%1,%2,%3,%4,").arg(o).arg(i).arg(r).arg(c) +
                            csvNumber(grid_.values[k]) + QLatin1Char('\n');
    return text;
}

} // namespace nnscope::ui
