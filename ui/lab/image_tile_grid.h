#pragma once
// Small images in a grid, each with an optional title above and lines of text below, scaled up
// by a whole factor with no smoothing so that a 28 x 28 picture shows its pixels. A tile may be
// marked (a coloured frame and a word, e.g. "repeat"). Clicking a tile emits tileClicked. The
// lab's transform grid, its stage view and the batch inspector show their images with it.

#include <QImage>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace nnscope::ui {

struct ImageTile {
    QString title; // above the image, wrapped to the tile's width
    QImage image;
    QStringList lines; // below the image
    QColor mark;       // valid: a frame of this colour around the image
};

class ImageTileGrid : public QWidget {
    Q_OBJECT
public:
    explicit ImageTileGrid(QWidget* parent = nullptr);

    // `columns` tiles per row; `target` is the size in screen pixels the largest image side is
    // scaled up to (by a whole factor, at least 1).
    void setTiles(std::vector<ImageTile> tiles, int columns, int target = 84);
    void clear() { setTiles({}, 1); }

    int tileCount() const { return static_cast<int>(tiles_.size()); }
    const ImageTile& tile(int i) const { return tiles_[static_cast<std::size_t>(i)]; }
    int columns() const { return columns_; }
    int scale() const { return scale_; }
    // The image's rectangle of tile i on screen; -1 from tileAt when no tile is under pos.
    QRect imageRect(int i) const;
    int tileAt(const QPoint& pos) const;

    QSize sizeHint() const override;

signals:
    void tileClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void relayout();
    int titleHeight(const QString& title) const;

    std::vector<ImageTile> tiles_;
    int columns_ = 1, scale_ = 1;
    QSize cell_;                    // image area of every tile (the largest image, scaled)
    int width_ = 0;                 // of a tile, image or text, whichever is wider
    std::vector<int> row_top_;      // y of each row's top
    std::vector<int> title_height_; // per row
    int text_height_ = 0;           // lines below, the most any tile has
};

} // namespace nnscope::ui
