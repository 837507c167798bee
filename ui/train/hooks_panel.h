#pragma once
// The hooks panel of the selected module: attach capture, scale/zero gradient, clip norm and input
// noise hooks without code, each shown with its PyTorch line and removable through its handle.
// (Contract skeleton; the modules part builds it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class HooksPanel : public QWidget {
    Q_OBJECT
public:
    explicit HooksPanel(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
