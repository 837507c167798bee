#pragma once
// nnscope --screenshot OUT.png [FILE]: the window rendered offscreen once the file is shown and
// its first parameter's snapshot has arrived, so the picture shows something real.

#include <QString>

namespace nnscope::ui {

class MainWindow;

// Returns the process exit code: 0 when the PNG was written, 1 when the file could not be opened
// (message on stderr), 2 when the PNG could not be written.
int takeScreenshot(MainWindow& window, const QString& file, const QString& out);

} // namespace nnscope::ui
