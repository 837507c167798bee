#include "ui/train/module_tree.h"

namespace nnscope::ui {

TrainModuleTree::TrainModuleTree(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {}

} // namespace nnscope::ui
