#pragma once
// The window's setting for the engine's threads (Settings > Engine Threads…), remembered in
// QSettings under "engine/threads": 0 is "automatic", the engine's own default (NNSCOPE_THREADS,
// else the number of cores) for everything, and while the window trains, that minus one for the
// training loop (and minus the DataLoader workers a transform keeps busy), so the GUI thread keeps
// a core; a positive count is used as it is, by every job and by training.
//
// One object for the process: the window loads and changes it, each TrainSession passes it to its
// run and forwards a change to the run under way (from its next step).

#include <QObject>
#include <QString>

class QSettings;

namespace nnscope::ui {

class EngineThreads : public QObject {
    Q_OBJECT
public:
    static EngineThreads& instance();

    // 0: automatic; else the count.
    int setting() const { return setting_; }
    // Applies `setting` (negative counts as 0) to the engine (parallel::set_num_threads) and
    // announces it when it changed.
    void set(int setting);

    // The engine's own default, as it was before the window changed anything.
    int automaticThreads() const { return automatic_; }
    // "Automatic (2 threads, 1 while training)", "1 thread", "4 threads".
    QString describe(int setting) const;

    // The setting in `settings` (the key below); a missing or unreadable value is automatic.
    void load(QSettings& settings);
    void save(QSettings& settings) const;
    static const QString kKey; // "engine/threads"

signals:
    void changed(int setting);

private:
    EngineThreads();
    int setting_ = 0;
    int automatic_ = 1;
};

} // namespace nnscope::ui
