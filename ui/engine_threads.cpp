#include "ui/engine_threads.h"

#include "engine/parallel.h"
#include "workflows/training_threads.h"

#include <QSettings>
#include <algorithm>

namespace nnscope::ui {

const QString EngineThreads::kKey = QStringLiteral("engine/threads");

EngineThreads::EngineThreads()
    : automatic_(parallel::configured_threads()) {}

EngineThreads& EngineThreads::instance() {
    static EngineThreads* threads = new EngineThreads; // lives as long as the process
    return *threads;
}

void EngineThreads::set(int setting) {
    setting = std::max(0, setting);
    parallel::set_num_threads(setting > 0 ? setting : automatic_);
    if (setting == setting_) return;
    setting_ = setting;
    emit changed(setting_);
}

QString EngineThreads::describe(int setting) const {
    if (setting > 0) return setting == 1 ? tr("1 thread") : tr("%1 threads").arg(setting);
    const int training = workflows::automatic_training_threads(automatic_, 0, 1);
    return tr("Automatic (%1, %2 while training)")
        .arg(automatic_ == 1 ? tr("1 thread") : tr("%1 threads").arg(automatic_))
        .arg(training);
}

void EngineThreads::load(QSettings& settings) {
    bool ok = false;
    const int value = settings.value(kKey, 0).toInt(&ok);
    set(ok ? value : 0);
}

void EngineThreads::save(QSettings& settings) const {
    settings.setValue(kKey, setting_);
}

} // namespace nnscope::ui
