#include "ui/train/hooks_panel.h"

namespace nnscope::ui {

HooksPanel::HooksPanel(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
