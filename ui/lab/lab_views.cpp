#include "ui/lab/lab_views.h"

#include "ui/lab/batch_inspector.h"
#include "ui/lab/transform_grid_view.h"

namespace nnscope::ui {

std::vector<LabView*> make_lab_views(QWidget* parent) {
    std::vector<LabView*> views;
    // One line per view, in tab order: views.push_back(new OrderView(parent));
    views.push_back(new BatchInspector(parent));
    views.push_back(new TransformGridView(parent));
    return views;
}

} // namespace nnscope::ui
