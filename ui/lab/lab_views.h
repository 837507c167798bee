#pragma once
// The views every lab configuration shows, in tab order. Each view's file adds itself here.

#include "ui/lab/lab_view.h"

#include <vector>

namespace nnscope::ui {

std::vector<LabView*> make_lab_views(QWidget* parent);

} // namespace nnscope::ui
