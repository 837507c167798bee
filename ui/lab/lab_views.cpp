#include "ui/lab/lab_views.h"

#include "ui/lab/composition_view.h"
#include "ui/lab/draws_view.h"
#include "ui/lab/order_view.h"
#include "ui/lab/ranks_view.h"
#include "ui/lab/workers_view.h"

namespace nnscope::ui {

std::vector<LabView*> make_lab_views(QWidget* parent) {
    std::vector<LabView*> views;
    // One line per view, in tab order: views.push_back(new OrderView(parent));
    views.push_back(new OrderView(parent));
    views.push_back(new DrawsView(parent));
    views.push_back(new CompositionView(parent));
    views.push_back(new RanksView(parent));
    views.push_back(new WorkersView(parent));
    return views;
}

} // namespace nnscope::ui
