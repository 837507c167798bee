#include "ui/lab/lab_views.h"

#include "ui/lab/throughput_view.h"

namespace nnscope::ui {

std::vector<LabView*> make_lab_views(QWidget* parent) {
    std::vector<LabView*> views;
    (void)parent;
    // One line per view, in tab order: views.push_back(new OrderView(parent));
    views.push_back(new ThroughputView(parent));
    return views;
}

} // namespace nnscope::ui
