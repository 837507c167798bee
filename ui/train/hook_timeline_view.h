#pragma once
// The hook timeline of the current step: every hook firing in PyTorch's order with its module and
// shapes; selecting one inspects its tensors in a TensorView, with the feature maps of conv outputs
// for a chosen sample. (Contract skeleton; the timeline part builds it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class HookTimelineView : public QWidget {
    Q_OBJECT
public:
    explicit HookTimelineView(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
