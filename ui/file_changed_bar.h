#pragma once
// The bar above the pages that says the shown file changed on disk, with a Reload button:
// non-modal, it stays until the file is shown again (or dismissed).

#include <QFrame>

class QLabel;
class QPushButton;

namespace nnscope::ui {

class FileChangedBar : public QFrame {
    Q_OBJECT
public:
    explicit FileChangedBar(QWidget* parent = nullptr);

    // Shows the bar with `message` ("model.pt changed on disk after it was opened (…)").
    void showChange(const QString& message);
    QString message() const;
    QPushButton* reloadButton() const { return reload_; }

signals:
    void reloadRequested();

private:
    QLabel* text_;
    QPushButton* reload_;
};

} // namespace nnscope::ui
