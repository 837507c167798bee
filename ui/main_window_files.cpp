// The main window's File menu, recent files, drag and drop and remembered settings.

#include "ui/app_paths.h"
#include "ui/main_window.h"
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
    reload_action_ = file->addAction(tr("Re&load"), this, [this] {
        if (!current_file_.isEmpty()) openFile(current_file_);
    });
    reload_action_->setShortcut(QKeySequence::Refresh);
    reload_action_->setEnabled(false);
    cancel_action_ = file->addAction(tr("&Cancel Loading"), this, &MainWindow::cancelLoad);
    cancel_action_->setShortcut(Qt::Key_Escape);
    cancel_action_->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    view_menu_ = menuBar()->addMenu(tr("&View"));
    rebuildRecentMenu();
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
    const QStringList files = QSettings().value(kRecentKey).toStringList();
    for (int i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        // &1 … &9, &0: a keyboard path to each of the first ten.
        const QString label =
            QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QFileInfo(path).fileName());
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
    settings.endGroup();
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    for (const Workspace* page : pages_)
        page->saveState(settings);
    settings.endGroup();
}

} // namespace nnscope::ui
