#pragma once
// nnscope --screenshot OUT.png [FILE]: the window rendered offscreen once the file is shown and
// its first parameter's snapshot has arrived, so the picture shows something real.

#include <QString>
#include <cstdint>

namespace nnscope::ui {

class MainWindow;

struct ScreenshotOptions {
    int page = 0;     // the page shown once the file is (0: the browser)
    int width = 1280; // the window's size: width x (width * 5 / 8)
    // The browser's Run panel before the picture (--run): "random" or an image file run with a
    // backward from class `target`, or "dataset:CONFIG.json#N" (sample N of a DataLoader
    // configuration's data set, backward from the loss against its label); then the module at
    // `module` selected (its output shown).
    QString run;
    QString module;
    int target = 0;
};

// With options.run, the model is then run from the Run panel and the picture waits for the run
// and for the selected module's output in the tensor view (a failed run is exit code 1).
// Returns the process exit code: 0 when the PNG was written, 1 when the file could not be opened
// (message on stderr), 2 when the PNG could not be written. Another page than the browser is
// pictured once it is no longer busy (the DataLoader lab: its default configuration simulated).
int takeScreenshot(MainWindow& window, const QString& file, const QString& out,
                   const ScreenshotOptions& options = {});

// nnscope --lab ... --screenshot OUT.png: the window (its lab shown, its configurations set)
// rendered once every column's analysis has arrived and no view of a shown tab is busy.
// kLabTimeoutMs without that is an error (exit code 1); 2 when the PNG could not be written.
constexpr int kLabTimeoutMs = 30000;
int takeLabScreenshot(MainWindow& window, const QString& out, const ScreenshotOptions& options);

// nnscope --train CONFIG.json [--steps N] --screenshot OUT.png: the window on its training page,
// the configuration opened from CONFIG.json, `steps` steps trained with the statistics of every
// step, pictured once the run has paused after them (or finished sooner). A configuration that
// cannot be read or a run that cannot start is an error (exit code 1, the reason on stderr), as is
// kTrainTimeoutMs without the pause; 2 when the PNG could not be written.
constexpr int kTrainTimeoutMs = 300000;
int takeTrainScreenshot(MainWindow& window, const QString& config, std::int64_t steps,
                        const QString& out, const ScreenshotOptions& options);

} // namespace nnscope::ui
