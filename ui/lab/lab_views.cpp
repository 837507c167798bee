#include "ui/lab/lab_views.h"

#include "ui/lab/batch_inspector.h"
#include "ui/lab/composition_view.h"
#include "ui/lab/draws_view.h"
#include "ui/lab/order_view.h"
#include "ui/lab/ranks_view.h"
#include "ui/lab/throughput_view.h"
#include "ui/lab/transform_grid_view.h"
#include "ui/lab/workers_view.h"

namespace nnscope::ui {

std::vector<LabView*> make_lab_views(QWidget* parent) {
    // In tab order.
    return {new OrderView(parent),         new DrawsView(parent),     new CompositionView(parent),
            new RanksView(parent),         new WorkersView(parent),   new BatchInspector(parent),
            new TransformGridView(parent), new ThroughputView(parent)};
}

} // namespace nnscope::ui
