#include "ui/train/scalars_view.h"

namespace nnscope::ui {

ScalarsView::ScalarsView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
