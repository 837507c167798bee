#include "ui/train/hook_timeline_view.h"

namespace nnscope::ui {

HookTimelineView::HookTimelineView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
