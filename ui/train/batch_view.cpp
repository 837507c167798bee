#include "ui/train/batch_view.h"

namespace nnscope::ui {

BatchView::BatchView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
