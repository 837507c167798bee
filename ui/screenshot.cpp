#include "ui/screenshot.h"

#include "io/atomic_file.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/lab_page.h"
#include "ui/pages/run_panel.h"
#include "ui/pages/train_page.h"
#include "ui/train/train_session.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>
#include <QTreeView>
#include <cstdio>

namespace nnscope::ui {

namespace {

void print_error(const QString& message) {
    std::fprintf(stderr, "nnscope: %s\n", qPrintable(message));
}

int save(MainWindow& window, const QString& out) {
    QApplication::processEvents();
    const QPixmap picture = window.grab();
    try { // through io::AtomicFile: an interrupted screenshot leaves no torn PNG
        if (!io::write_through_path(out.toStdString(), [&](const std::filesystem::path& temporary) {
                return picture.save(QString::fromStdString(temporary.string()), "PNG");
            })) {
            print_error(QStringLiteral("%1: cannot write the PNG").arg(out));
            return 2;
        }
    } catch (const std::exception& e) {
        print_error(QString::fromStdString(e.what()));
        return 2;
    }
    return 0;
}

// Runs the opened model from the Run panel and selects options.module: "" when shown, else the
// error.
QString run_and_select(BrowserPage& browser, const ScreenshotOptions& options) {
    RunPanel& panel = *browser.runPanel();
    browser.showRunPanel();
    static const QLatin1String dataset("dataset:");
    if (options.run == QLatin1String("random")) {
        panel.setInput(RunPanel::InputKind::Random);
        panel.setBackward(RunPanel::Backward::ClassScore, options.target);
    } else if (options.run.startsWith(dataset)) { // dataset:CONFIG.json#N, loss vs its label
        const QString spec = options.run.mid(dataset.size());
        const qsizetype hash = spec.lastIndexOf(QLatin1Char('#'));
        panel.setInput(RunPanel::InputKind::DatasetSample, hash < 0 ? spec : spec.left(hash));
        panel.setSample(hash < 0 ? 0 : spec.mid(hash + 1).toInt());
        panel.setBackward(RunPanel::Backward::Loss, RunPanel::kLabel);
    } else {
        panel.setInput(RunPanel::InputKind::Image, options.run);
        panel.setBackward(RunPanel::Backward::ClassScore, options.target);
    }
    if (!panel.run()) return panel.message();
    QEventLoop loop;
    QObject::connect(&panel, &RunPanel::resultChanged, &loop, &QEventLoop::quit);
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (!panel.isRunning()) loop.quit(); // failed: the panel says why
    });
    check.start(50);
    QTimer::singleShot(kTrainTimeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    if (!panel.result())
        return panel.isRunning() ? QStringLiteral("timed out waiting for the run")
                                 : panel.message();
    QEventLoop shown;
    QObject::connect(&browser, &BrowserPage::snapshotShown, &shown, &QEventLoop::quit);
    QTimer::singleShot(15000, &shown, &QEventLoop::quit);
    if (!browser.selectModule(options.module))
        return QStringLiteral("no module '%1' in the tree").arg(options.module);
    if (!browser.currentSnapshot() || !browser.runModuleShown()) shown.exec();
    browser.moduleView()->expandAll();
    // The plots redraw on the next event-loop turns, not inside setSnapshot.
    const QDeadlineTimer redraw(300);
    while (!redraw.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    return {};
}

} // namespace

int takeScreenshot(MainWindow& window, const QString& file, const QString& out,
                   const ScreenshotOptions& options) {
    window.resize(options.width, options.width * 5 / 8);
    window.show();
    BrowserPage& browser = *window.browser();
    QEventLoop loop;
    QString error;
    bool shown = false;
    QObject::connect(&browser, &BrowserPage::snapshotShown, &loop, [&] {
        shown = true;
        loop.quit();
    });
    QObject::connect(&browser, &BrowserPage::documentShown, &loop, [&] {
        // A file without parameters selects no tensor: the picture waits a little, not forever.
        if (!browser.currentSnapshot())
            QTimer::singleShot(3000, &loop, [&] {
                shown = true;
                loop.quit();
            });
    });
    QObject::connect(&browser, &BrowserPage::loadFailed, &loop,
                     [&](const QString& f, const QString& message) {
                         error = f + QStringLiteral(": ") + message;
                         loop.quit();
                     });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    window.openFile(file);
    loop.exec();
    if (!error.isEmpty()) {
        print_error(error);
        return 1;
    }
    if (!shown) {
        print_error(QStringLiteral("%1: timed out waiting for the model to load").arg(file));
        return 1;
    }
    // The table's statistics stream in after the load; give them a bounded moment to arrive.
    const QDeadlineTimer deadline(15000);
    while (window.isBusy() && !deadline.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!options.run.isEmpty()) {
        if (const QString problem = run_and_select(browser, options); !problem.isEmpty()) {
            print_error(QStringLiteral("%1: %2").arg(file, problem));
            return 1;
        }
    }
    if (options.page != 0) {
        window.showWorkspace(options.page);
        // A page may start its work a moment after it is shown (the lab's debounce).
        const QDeadlineTimer start(500), done(15000);
        while (!start.hasExpired() || (window.isBusy() && !done.hasExpired()))
            QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return save(window, out);
}

int takeLabScreenshot(MainWindow& window, const QString& out, const ScreenshotOptions& options) {
    window.resize(options.width, options.width * 5 / 8);
    window.show();
    auto* lab = window.findChild<LabPage*>();
    if (lab->isComputing()) {
        QEventLoop loop;
        QObject::connect(lab, &LabPage::settled, &loop, &QEventLoop::quit);
        QTimer::singleShot(kLabTimeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (lab->isComputing()) {
        print_error(QStringLiteral("timed out after %1 s waiting for the lab's analyses")
                        .arg(kLabTimeoutMs / 1000));
        return 1;
    }
    return save(window, out);
}

int takeTrainScreenshot(MainWindow& window, const QString& config, std::int64_t steps,
                        const QString& out, const ScreenshotOptions& options) {
    window.resize(options.width, options.width * 5 / 8);
    auto* page = window.findChild<TrainPage*>();
    for (int i = 0; i < window.workspaceCount(); ++i)
        if (window.workspace(i) == page) window.showWorkspace(i);
    window.show();
    if (const QString error = page->openConfig(config); !error.isEmpty()) {
        print_error(error);
        return 1;
    }
    TrainSession& session = *page->session();
    session.setObserveEveryStep(true); // every step's statistics: the same picture every time
    QEventLoop loop;
    QString error;
    bool settled = false;
    const auto settle = [&] {
        settled = true;
        loop.quit();
    };
    QObject::connect(&session, &TrainSession::paused, &loop, settle);
    QObject::connect(&session, &TrainSession::finished, &loop, settle);
    QObject::connect(&session, &TrainSession::failed, &loop, [&](const session::TrainFailed& f) {
        error = QString::fromStdString(f.message);
        loop.quit();
    });
    if (!page->startRun(workflows::RunCommand::Run, steps)) {
        print_error(QStringLiteral("%1: %2").arg(config, page->status().text));
        return 1;
    }
    QTimer::singleShot(kTrainTimeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    if (!error.isEmpty()) {
        print_error(QStringLiteral("%1: %2").arg(config, error));
        return 1;
    }
    if (!settled) {
        print_error(QStringLiteral("timed out after %1 s waiting for %2 steps to train")
                        .arg(kTrainTimeoutMs / 1000)
                        .arg(steps));
        return 1;
    }
    // The views redraw on a short timer after the last progress.
    const QDeadlineTimer redraw(300);
    while (!redraw.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    return save(window, out);
}

} // namespace nnscope::ui
