#pragma once
// nnscope-gap-probe OUT.json FILE (for bench/gui.sh; a benchmark target, not shipped): opens FILE
// in the real window, selects its largest tensor as a user would, and waits until that tensor's
// histogram is shown and every tensor's statistics have arrived, while a 1 ms timer notes the
// longest gap between two iterations of the GUI event loop. Writes one JSON line (also to stdout).

#include <QString>

namespace nnscope::ui {

class MainWindow;

// 0 on success; 1 when the file cannot be opened or the wait times out; 2 when OUT cannot be
// written.
int measureGaps(MainWindow& window, const QString& file, const QString& out);

} // namespace nnscope::ui
