#pragma once
// The model's module tree in training mode: live numbers per module (activation mean/std, dead-unit
// fraction, gradient norm), the module running while stepping highlighted, and a context menu to
// set forward/backward breakpoints and attach hooks. (Contract skeleton; the modules part builds
// it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class TrainModuleTree : public QWidget {
    Q_OBJECT
public:
    explicit TrainModuleTree(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
