#include "ui/train/distributions_view.h"

namespace nnscope::ui {

DistributionsView::DistributionsView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
