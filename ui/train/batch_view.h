#pragma once
// The current batch as images with predicted and true labels, wrong ones marked.
// (Contract skeleton; the timeline part builds it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class BatchView : public QWidget {
    Q_OBJECT
public:
    explicit BatchView(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
