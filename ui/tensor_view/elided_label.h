#pragma once
// A one-line label for text that comes from a file (a tensor's name can be 530 characters): cut
// in the middle to the width it is given, the whole text in its tooltip, and never asking for
// more width than a few characters, so nothing a file holds can widen the window.

#include <QLabel>

namespace nnscope::ui {

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    QString fullText() const { return full_; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();

    QString full_;
};

} // namespace nnscope::ui
