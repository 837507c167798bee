// The main window's File menu, recent files, reload and watch, drag and drop and remembered
// settings.

#include "ui/app_paths.h"
#include "ui/file_changed_bar.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/browser_selection.h"
#include "ui/recent_files.h"
#include "ui/workspace.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <utility>

namespace nnscope::ui {

namespace {

constexpr int kMaxRecentFiles = 10;
const QString kRecentKey = QStringLiteral("recentFiles");
const QString kFolderKey = QStringLiteral("lastFolder");

QString local_file(const QMimeData* mime) {
    if (!mime || !mime->hasUrls()) return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) return url.toLocalFile();
    return {};
}

} // namespace

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    recent_menu_ = file->addMenu(tr("Open &Recent"));
    // Files deleted since the list was built drop out when it is opened.
    connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    reload_action_ = file->addAction(tr("Re&load"), this, &MainWindow::reload);
    reload_action_->setShortcut(QKeySequence::Refresh);
    reload_action_->setStatusTip(tr("Open the file again, keeping the selected module, tensor and "
                                    "view where they still exist"));
    reload_action_->setEnabled(false);
    watch_action_ = file->addAction(tr("&Watch This File"));
    watch_action_->setCheckable(true);
    watch_action_->setEnabled(false);
    watch_action_->setStatusTip(tr("Reload by itself whenever another program has finished "
                                   "writing the file"));
    cancel_action_ = file->addAction(tr("&Cancel Loading"), this, &MainWindow::cancelLoad);
    cancel_action_->setShortcut(Qt::Key_Escape);
    cancel_action_->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    view_menu_ = menuBar()->addMenu(tr("&View"));
    buildSettingsMenu();
    rebuildRecentMenu();
}

void MainWindow::connectFileChanges() {
    session::SessionController& session = browser_->session();
    connect(&session, &session::SessionController::fileChanged, changed_bar_,
            &FileChangedBar::showChange);
    connect(changed_bar_, &FileChangedBar::reloadRequested, this, &MainWindow::reload);
    connect(watch_action_, &QAction::toggled, this, [this](bool on) {
        watched_files_.removeAll(current_file_);
        if (on) watched_files_ << current_file_;
        browser_->session().setWatching(on);
    });
    // Reloads asked by the watch come through here too.
    connect(&session, &session::SessionController::aboutToReload, this, [this] {
        pending_selection_ =
            std::make_shared<const BrowserSelection>(BrowserSelection::capture(*browser_));
        pending_file_ = browser_->session().file();
    });
    connect(browser_, &BrowserPage::documentShown, this, [this] {
        const auto selection = std::exchange(pending_selection_, nullptr);
        if (!selection || browser_->currentFile() != pending_file_) return;
        const QString name = QFileInfo(pending_file_).fileName();
        restoreSelection(*browser_, *selection, [this, name](const QString& report) {
            reload_report_ = report.isEmpty() ? tr("Reloaded %1").arg(name)
                                              : tr("Reloaded %1: %2").arg(name, report);
            statusBar()->showMessage(reload_report_, 10000);
        });
    });
}

void MainWindow::reload() {
    if (current_file_.isEmpty()) return;
    changed_bar_->hide();
    browser_->session().reload();
}

// Coming back to the window is when a person expects it to know about the file's changes.
void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && browser_)
        browser_->session().checkFile();
}

void MainWindow::showOpenDialog() {
    QSettings settings;
    const QString folder = settings.value(kFolderKey).toString();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Model"), folder, modelFileFilters());
    if (path.isEmpty()) return;
    settings.setValue(kFolderKey, QFileInfo(path).absolutePath());
    openFile(path);
}

void MainWindow::addRecentFile(const QString& path) {
    if (!remember_) return;
    if (existingRecentFiles({path}, defaultModelPath()).isEmpty()) return; // no file of the user's
    QSettings settings;
    QStringList files = settings.value(kRecentKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(kRecentKey, files);
    settings.setValue(kFolderKey, QFileInfo(path).absolutePath());
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recent_menu_->clear();
    QSettings settings;
    const QStringList remembered = settings.value(kRecentKey).toStringList();
    const QStringList files = existingRecentFiles(remembered, defaultModelPath());
    if (remember_ && files != remembered) settings.setValue(kRecentKey, files); // gone for good
    const QStringList tails = uniquePathTails(files);
    for (int i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        // &1 … &9, &0: a keyboard path to each of the first ten.
        QString tail = tails[i];
        tail.replace(QLatin1Char('&'), QStringLiteral("&&"));
        const QString label = QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(tail);
        QAction* action = recent_menu_->addAction(label, this, [this, path] { openFile(path); });
        action->setToolTip(path);
        action->setStatusTip(path);
    }
    recent_menu_->addSeparator();
    recent_menu_->addAction(tr("Clear List"), this, [this] {
        QSettings().remove(kRecentKey);
        rebuildRecentMenu();
    });
    recent_menu_->setEnabled(!files.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!local_file(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = local_file(event->mimeData());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    openFile(path);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    if (settings.contains(QStringLiteral("geometry")))
        restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    for (Workspace* page : pages_)
        page->restoreState(settings);
    // The page the user left shown, by title so that a reordered or new page cannot misplace it.
    const QString shown = settings.value(QStringLiteral("workspace")).toString();
    for (int i = 0; i < workspaceCount(); ++i)
        if (workspace(i)->title() == shown) showWorkspace(i);
    settings.endGroup();
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    for (const Workspace* page : pages_)
        page->saveState(settings);
    if (const Workspace* page = currentWorkspace())
        settings.setValue(QStringLiteral("workspace"), page->title());
    settings.endGroup();
}

} // namespace nnscope::ui
