#include "ui/lab/image_tile_grid.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

namespace nnscope::ui {

namespace {
constexpr int kGap = 10, kMargin = 6, kTextWidth = 120;
} // namespace

ImageTileGrid::ImageTileGrid(QWidget* parent)
    : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ImageTileGrid::setTiles(std::vector<ImageTile> tiles, int columns, int target) {
    tiles_ = std::move(tiles);
    columns_ = std::max(1, columns);
    int side = 1;
    for (const auto& t : tiles_)
        side = std::max({side, t.image.width(), t.image.height()});
    scale_ = std::max(1, target / side);
    relayout();
}

int ImageTileGrid::titleHeight(const QString& title) const {
    if (title.isEmpty()) return 0;
    return fontMetrics()
               .boundingRect(QRect(0, 0, width_, 10000), Qt::TextWordWrap, title)
               .height() +
           4;
}

void ImageTileGrid::relayout() {
    int w = 0, h = 0;
    std::size_t lines = 0;
    for (const auto& t : tiles_) {
        w = std::max(w, t.image.width() * scale_);
        h = std::max(h, t.image.height() * scale_);
        lines = std::max<std::size_t>(lines, static_cast<std::size_t>(t.lines.size()));
    }
    cell_ = QSize(w, h);
    width_ = std::max(w, lines > 0 ? kTextWidth : 0);
    text_height_ = static_cast<int>(lines) * fontMetrics().height();
    const std::size_t rows = (tiles_.size() + std::size_t(columns_) - 1) / std::size_t(columns_);
    row_top_.assign(rows, 0);
    title_height_.assign(rows, 0);
    int y = kMargin;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t k = r * std::size_t(columns_);
             k < std::min(tiles_.size(), (r + 1) * std::size_t(columns_)); ++k)
            title_height_[r] = std::max(title_height_[r], titleHeight(tiles_[k].title));
        row_top_[r] = y;
        y += title_height_[r] + cell_.height() + 4 + text_height_ + kGap;
    }
    updateGeometry();
    update();
}

QRect ImageTileGrid::imageRect(int i) const {
    if (i < 0 || i >= tileCount()) return {};
    const auto r = static_cast<std::size_t>(i / columns_);
    const int x = kMargin + (i % columns_) * (width_ + kGap);
    const QImage& img = tiles_[std::size_t(i)].image;
    return {x, row_top_[r] + title_height_[r], img.width() * scale_, img.height() * scale_};
}

int ImageTileGrid::tileAt(const QPoint& pos) const {
    for (int i = 0; i < tileCount(); ++i) {
        const auto r = static_cast<std::size_t>(i / columns_);
        const QRect whole(kMargin + (i % columns_) * (width_ + kGap), row_top_[r], width_,
                          title_height_[r] + cell_.height() + 4 + text_height_);
        if (whole.contains(pos)) return i;
    }
    return -1;
}

QSize ImageTileGrid::sizeHint() const {
    const int columns = std::min<int>(columns_, std::max(1, tileCount()));
    const int w = 2 * kMargin + columns * width_ + (columns - 1) * kGap;
    int h = 2 * kMargin;
    for (std::size_t r = 0; r < row_top_.size(); ++r)
        h += title_height_[r] + cell_.height() + 4 + text_height_ + kGap;
    return {w, h};
}

void ImageTileGrid::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // nearest neighbour
    const int line = fontMetrics().height();
    for (int i = 0; i < tileCount(); ++i) {
        const ImageTile& t = tiles_[std::size_t(i)];
        const QRect img = imageRect(i);
        const auto r = static_cast<std::size_t>(i / columns_);
        if (!t.title.isEmpty())
            painter.drawText(QRect(img.x(), row_top_[r], width_, title_height_[r]),
                             Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignBottom, t.title);
        painter.drawImage(img, t.image);
        if (t.mark.isValid()) {
            painter.setPen(QPen(t.mark, 3));
            painter.drawRect(img.adjusted(-2, -2, 1, 1));
            painter.setPen(palette().color(QPalette::WindowText));
        }
        int y = row_top_[r] + title_height_[r] + cell_.height() + 4;
        for (const auto& text : t.lines) {
            painter.drawText(QRect(img.x(), y, width_, line), Qt::AlignLeft | Qt::AlignTop,
                             fontMetrics().elidedText(text, Qt::ElideRight, width_));
            y += line;
        }
    }
}

void ImageTileGrid::mouseReleaseEvent(QMouseEvent* event) {
    const int i = tileAt(event->position().toPoint());
    if (i >= 0 && event->button() == Qt::LeftButton) emit tileClicked(i);
}

} // namespace nnscope::ui
