#pragma once
// Asks for the pixel size of an image export, the plot's on-screen size filled in.

#include <QSize>
#include <optional>

class QWidget;

namespace nnscope::ui {

// The size chosen, or nothing when the dialog was cancelled.
std::optional<QSize> askExportSize(QWidget* parent, QSize on_screen);

} // namespace nnscope::ui
