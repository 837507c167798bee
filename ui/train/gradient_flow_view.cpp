#include "ui/train/gradient_flow_view.h"

namespace nnscope::ui {

GradientFlowView::GradientFlowView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
