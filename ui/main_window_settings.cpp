// The main window's Settings menu: the engine's threads (ui/engine_threads.h).

#include "engine/parallel.h"
#include "ui/engine_threads.h"
#include "ui/main_window.h"

#include <QAction>
#include <QInputDialog>
#include <QMenuBar>
#include <QSettings>
#include <algorithm>

namespace nnscope::ui {

void MainWindow::buildSettingsMenu() {
    EngineThreads& threads = EngineThreads::instance();
    // The user's choice applies from the start; --screenshot (remember_ false) keeps the default.
    if (remember_) {
        QSettings settings;
        threads.load(settings);
    }
    QMenu* menu = menuBar()->addMenu(tr("&Settings"));
    engine_threads_action_ =
        menu->addAction(tr("Engine &Threads…"), this, &MainWindow::chooseEngineThreads);
    engine_threads_action_->setStatusTip(
        tr("How many threads each computation may use; results are the same for any count"));
}

void MainWindow::chooseEngineThreads() {
    EngineThreads& threads = EngineThreads::instance();
    // Automatic, then 1 to the cores (more threads than cores only wait for each other).
    const int most =
        std::max({parallel::hardware_threads(), threads.automaticThreads(), threads.setting()});
    QStringList items{threads.describe(0)};
    for (int n = 1; n <= most; ++n)
        items << threads.describe(n);
    bool ok = false;
    const QString chosen = QInputDialog::getItem(
        this, tr("Engine Threads"),
        tr("Threads of each computation (training, statistics, previews).\nAutomatic leaves the "
           "window a core while it trains."),
        items, static_cast<int>(threads.setting()), false, &ok);
    if (!ok) return;
    setEngineThreads(static_cast<int>(items.indexOf(chosen)));
}

void MainWindow::setEngineThreads(int setting) {
    EngineThreads& threads = EngineThreads::instance();
    threads.set(setting);
    if (!remember_) return;
    QSettings settings;
    threads.save(settings);
}

} // namespace nnscope::ui
