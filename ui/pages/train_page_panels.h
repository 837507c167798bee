#pragma once
// A panel of the training workspace that is built the first time it is shown: a tab nobody opens
// costs nothing, which keeps the page quick for a model with thousands of modules.

#include <QWidget>
#include <functional>

namespace nnscope::ui {

class LazyPanel : public QWidget {
    Q_OBJECT
public:
    using Factory = std::function<QWidget*(QWidget* parent)>;
    explicit LazyPanel(Factory make, QWidget* parent = nullptr);

    // Null until first shown (or ensureBuilt()).
    QWidget* content() const { return content_; }
    QWidget* ensureBuilt();

signals:
    void built(QWidget* content);

protected:
    void showEvent(QShowEvent* event) override;

private:
    Factory make_;
    QWidget* content_ = nullptr;
};

} // namespace nnscope::ui
