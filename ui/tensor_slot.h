#pragma once
// The tensor-view slot of the main window, behind three functions so that the plotting widget
// (ui/tensor_view, built separately) replaces the placeholder by editing only
// main_window_tensor_slot.cpp.

#include "session/tensor_snapshot.h"

#include <QWidget>
#include <cstdint>
#include <functional>
#include <vector>

namespace nnscope::ui {

QWidget* createTensorView(QWidget* parent);
void showTensorSnapshot(QWidget* view, const session::TensorSnapshot& snapshot);
// Calls back when the view asks for another 2-D slice or another number of bins.
void connectTensorView(QWidget* view, std::function<void(std::vector<std::int64_t>)> slice,
                       std::function<void(int)> bins);

} // namespace nnscope::ui
