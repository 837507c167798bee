#pragma once
// What the user looks at in the browser — the selected module, tensor, plot tab and slice — taken
// before a reload and put back once the file is shown again, as far as it still exists there.

#include "ui/tensor_view/tensor_view.h"

#include <QObject>
#include <QString>
#include <cstdint>
#include <functional>
#include <vector>

namespace nnscope::ui {

class BrowserPage;

struct BrowserSelection {
    QString module; // dotted path, "" for the whole model
    QString tensor; // "" when none is selected
    TensorView::Tab tab = TensorView::Tab::Histogram;
    std::vector<std::int64_t> leading; // the heatmap's slice, empty for the first

    static BrowserSelection capture(const BrowserPage& page);
};

// Selects `selection` again in `page` (whose new document is shown) and calls `done` with what was
// kept and what was lost ("kept module layer1, tensor layer1.0.weight, heatmap, slice [3]";
// "tensor fc.weight is gone"), once the tensor's snapshot has come back. The restoring stops when
// `page` is destroyed or another document is shown first.
void restoreSelection(BrowserPage& page, const BrowserSelection& selection,
                      std::function<void(const QString& report)> done);

} // namespace nnscope::ui
