#pragma once
// nnscope-gap-probe OUT.json FILE (for bench/gui.sh; a benchmark target, not shipped): opens FILE
// in the real window, selects its largest tensor as a user would, and waits until that tensor's
// histogram is shown and every tensor's statistics have arrived, while a 1 ms timer notes the
// longest gap between two iterations of the GUI event loop. Writes one JSON line (also to stdout).

#include <QJsonObject>
#include <QString>

namespace nnscope::ui {

class MainWindow;

// 0 on success; 1 when the file cannot be opened or the wait times out; 2 when OUT cannot be
// written.
int measureGaps(MainWindow& window, const QString& file, const QString& out);

// nnscope-gap-probe --lab OUT.json [DATASET] (bench/lab_gap.sh): the DataLoader lab on DATASET
// (default fashion-mnist), its batch size spin box scrubbed quickly, the longest event-loop gap
// and the time from a change to its analysis arriving (bench/lab_gap.cpp). Same exit codes.
int measureLabGaps(MainWindow& window, const QString& dataset, const QString& out);

// Shared by both measurements: the GUI thread's CPU time (ms), /proc/loadavg, the build type,
// and the result written as one JSON line to stdout and OUT (with the load average after, the
// cores and the build added; 2 when OUT cannot be written).
double thread_cpu_ms();
QString load_average();
QString build_kind();
int write_line(QJsonObject json, const QString& out);

} // namespace nnscope::ui
