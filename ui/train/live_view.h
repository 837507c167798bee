#pragma once
// A training view that draws only while it is shown: refresh() (connected to the session's
// signals) draws at once when the view is visible and otherwise marks it stale, so a hidden tab
// costs nothing at ~30 progress signals a second and catches up when it is next shown.

#include <QWidget>

namespace nnscope::ui {

class LiveView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // Draws done so far (a hidden view only marks itself stale).
    int redraws() const { return redraws_; }

protected:
    void refresh();
    virtual void draw() = 0;
    void showEvent(QShowEvent* event) override;

private:
    void redraw();

    bool stale_ = true;
    int redraws_ = 0;
};

} // namespace nnscope::ui
