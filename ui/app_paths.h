#pragma once
// Where the application finds its bundled files.

#include <QString>

namespace nnscope::ui {

// The resources folder: $NNSCOPE_RESOURCES_DIR, else "resources" next to the binary or in
// ../share/nnscope, else the source tree's (a developer build). "" when none exists.
QString resourcesDir();
// The model shown when the window starts without a file (resources/models/mlp.safetensors).
QString defaultModelPath();
// File dialog filters for every format nnscope opens.
QString modelFileFilters();

} // namespace nnscope::ui
