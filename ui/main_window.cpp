#include "ui/main_window.h"

#include "ui/file_changed_bar.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/builder_page.h"
#include "ui/pages/compare_page.h"
#include "ui/pages/indexing_page.h"
#include "ui/pages/lab_page.h"
#include "ui/pages/train_page.h"
#include "ui/workspace.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace nnscope::ui {

MainWindow::MainWindow(QWidget* parent, bool remember)
    : QMainWindow(parent)
    , remember_(remember) {
    setWindowTitle(QStringLiteral("nnscope"));
    setAcceptDrops(true);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    tabs_ = new QTabBar(central);
    tabs_->setObjectName(QStringLiteral("workspaceTabs"));
    tabs_->setDocumentMode(true);
    tabs_->setExpanding(false);
    tabs_->hide(); // one page needs no tabs
    stack_ = new QStackedWidget(central);
    changed_bar_ = new FileChangedBar(central);
    layout->addWidget(tabs_);
    layout->addWidget(changed_bar_);
    layout->addWidget(stack_);
    setCentralWidget(central);
    connect(tabs_, &QTabBar::currentChanged, this, &MainWindow::showWorkspace);
    buildStatusBar();
    buildActions();

    // The pages, in tab order: one line each.
    browser_ = new BrowserPage;
    addWorkspace(browser_);
    addWorkspace(new LabPage);
    auto* train = new TrainPage;
    addWorkspace(train);
    addWorkspace(new ComparePage);
    auto* builder = new BuilderPage;
    addWorkspace(builder);
    addWorkspace(new IndexingPage);
    auto train_file = [this, train](const QString& file) {
        train->trainModelFile(file);
        showWorkspace(
            static_cast<int>(std::find(pages_.begin(), pages_.end(), train) - pages_.begin()));
    };
    connect(browser_, &BrowserPage::trainRequested, this, train_file);
    connect(builder, &BuilderPage::trainRequested, this, train_file);
    connect(builder, &BuilderPage::openInBrowserRequested, this, &MainWindow::openFile);
    connectFileChanges();

    resize(1280, 800);
    if (remember_) restoreSettings();
}

MainWindow::~MainWindow() = default; // each page stops its own worker as it goes

void MainWindow::addWorkspace(Workspace* page) {
    const int index = static_cast<int>(pages_.size());
    pages_.push_back(page);
    stack_->addWidget(page);
    tabs_->addTab(page->title());
    tabs_->setVisible(pages_.size() > 1);
    connect(page, &Workspace::statusChanged, this, [this, page] {
        if (page == currentWorkspace()) showStatus();
    });
    connect(page, &Workspace::fileShown, this, &MainWindow::noteFileShown);
    if (index < 9) {
        auto* action = new QAction(page->title(), this);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
        connect(action, &QAction::triggered, this, [this, index] { showWorkspace(index); });
        addAction(action); // the shortcut works whichever page is shown
        page_actions_ << action;
    }
    if (index == 0) showWorkspace(0);
    rebuildViewMenu();
}

Workspace* MainWindow::currentWorkspace() const {
    return qobject_cast<Workspace*>(stack_->currentWidget());
}

void MainWindow::showWorkspace(int index) {
    if (index < 0 || index >= workspaceCount()) return;
    stack_->setCurrentIndex(index);
    if (tabs_->currentIndex() != index) tabs_->setCurrentIndex(index);
    rebuildViewMenu();
    showStatus();
}

void MainWindow::rebuildViewMenu() {
    view_menu_->clear();
    if (Workspace* page = currentWorkspace()) view_menu_->addActions(page->viewActions());
    if (pages_.size() > 1) {
        view_menu_->addSeparator();
        view_menu_->addActions(page_actions_);
    }
}

void MainWindow::buildStatusBar() {
    status_label_ = new QLabel(tr("Ready"), this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(true);
    cancel_button_ = new QToolButton(this);
    cancel_button_->setText(tr("Cancel"));
    cancel_button_->setToolTip(tr("Cancel loading (Esc)"));
    connect(cancel_button_, &QToolButton::clicked, this, &MainWindow::cancelLoad);
    statusBar()->addWidget(status_label_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_button_);
    progress_->hide();
    cancel_button_->hide();
}

void MainWindow::showStatus() {
    const Workspace* page = currentWorkspace();
    if (!page) return;
    const Workspace::Status& status = page->status();
    status_label_->setText(status.text);
    progress_->setValue(status.percent);
    progress_->setVisible(status.busy);
    cancel_button_->setVisible(status.busy);
    cancel_action_->setEnabled(status.busy);
}

void MainWindow::openFile(const QString& path) {
    Workspace* page = filePage();
    if (!page) return;
    showWorkspace(static_cast<int>(std::find(pages_.begin(), pages_.end(), page) - pages_.begin()));
    page->openFile(path);
}

Workspace* MainWindow::filePage() const {
    for (Workspace* page : pages_)
        if (page->opensFiles()) return page;
    return nullptr;
}

void MainWindow::cancelLoad() {
    if (Workspace* page = currentWorkspace()) page->cancel();
}

bool MainWindow::isBusy() const {
    const Workspace* page = currentWorkspace();
    return page && page->isBusy();
}

void MainWindow::noteFileShown(const QString& path) {
    current_file_ = path;
    setWindowTitle(tr("%1 — nnscope").arg(QFileInfo(path).fileName()));
    addRecentFile(path);
    reload_action_->setEnabled(true);
    changed_bar_->hide(); // shown as it is now
    watch_action_->setEnabled(true);
    watch_action_->setChecked(watched_files_.contains(path));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (remember_) saveSettings();
    for (Workspace* page : pages_)
        page->shutdown();
    QMainWindow::closeEvent(event);
}

} // namespace nnscope::ui
