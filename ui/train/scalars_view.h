#pragma once
// The run's scalars: loss per step, learning rate, test loss and accuracy per evaluation, the
// confusion matrix and the overhead meter. (Contract skeleton; the page part builds it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class ScalarsView : public QWidget {
    Q_OBJECT
public:
    explicit ScalarsView(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
