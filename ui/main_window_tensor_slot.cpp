// The tensor-view slot of the main window, filled by nnscope::ui::TensorView (ui/tensor_view).

#include "ui/tensor_slot.h"
#include "ui/tensor_view/tensor_view.h"

namespace nnscope::ui {

QWidget* createTensorView(QWidget* parent) {
    auto* view = new TensorView(parent);
    view->setObjectName(QStringLiteral("tensorView"));
    return view;
}

void showTensorSnapshot(QWidget* view, const session::TensorSnapshot& snapshot) {
    if (auto* tensor_view = qobject_cast<TensorView*>(view)) tensor_view->setSnapshot(snapshot);
}

void connectTensorView(QWidget* view, std::function<void(std::vector<std::int64_t>)> slice,
                       std::function<void(int)> bins) {
    auto* tensor_view = qobject_cast<TensorView*>(view);
    if (!tensor_view) return;
    QObject::connect(tensor_view, &TensorView::sliceRequested, view, std::move(slice));
    QObject::connect(tensor_view, &TensorView::binsRequested, view, std::move(bins));
}

} // namespace nnscope::ui
