#pragma once
// A line of text over an item view's empty viewport ("No module or tensor matches “x”"), so an
// empty view says why it is empty. The owner sets the text; it shows while the view's model has
// no rows and the text is not empty. The view's model is set before the hint is made.

#include <QLabel>

class QAbstractItemView;

namespace nnscope::ui {

class ViewHint : public QLabel {
    Q_OBJECT
public:
    explicit ViewHint(QAbstractItemView* view);
    // "" hides it; otherwise shown whenever the view has no rows.
    void setHint(const QString& text);
    // Shows or hides it after the view's model changed (not QWidget::update).
    void refresh();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QAbstractItemView* view_;
};

} // namespace nnscope::ui
