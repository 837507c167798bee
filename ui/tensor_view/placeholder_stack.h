#pragma once
// A plot, or in its place a sentence saying why there is nothing to plot ("empty tensor", "no
// finite values"): a blank plot would leave the user guessing.

#include <QStackedWidget>

class QLabel;

namespace nnscope::ui {

class PlaceholderStack : public QStackedWidget {
    Q_OBJECT
public:
    explicit PlaceholderStack(QWidget* content, QWidget* parent = nullptr);

    void showMessage(const QString& text);
    void showContent();
    // The sentence shown instead of the plot; empty while the plot is shown.
    QString message() const;
    bool isMessageShown() const;

private:
    QWidget* content_;
    QLabel* label_;
};

} // namespace nnscope::ui
