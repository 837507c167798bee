#pragma once
// The nnscope window: a host of workspace pages (ui/workspace.h), the model browser first. It
// switches pages (a tab bar once there are two, Ctrl+1..9) and owns what they share: the File
// menu (open, recent files, reload, watch, cancel, quit), drag and drop, the View menu (the shown
// page's actions, then the pages), the Settings menu (the engine's threads), the bar that says the
// shown file changed on disk, the status bar (the shown page's status, progress and Cancel) and the
// remembered geometry. It wires pages; it does not stream, plot or parse.

#include <QMainWindow>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTabBar;
class QToolButton;

namespace nnscope::ui {

class BrowserPage;
struct BrowserSelection;
class FileChangedBar;
class Workspace;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // remember = false leaves the user's settings alone (no geometry, recent files or folder read
    // or written): for --screenshot.
    explicit MainWindow(QWidget* parent = nullptr, bool remember = true);
    ~MainWindow() override;

    // Adds a page (the window takes it); the first page added is shown.
    void addWorkspace(Workspace* page);
    int workspaceCount() const { return static_cast<int>(pages_.size()); }
    Workspace* workspace(int index) const { return pages_.at(static_cast<std::size_t>(index)); }
    Workspace* currentWorkspace() const;
    void showWorkspace(int index);

    // Opens a file in the first page that opens files (the browser) and shows that page.
    void openFile(const QString& path);
    // Cancels what the shown page is busy with.
    void cancelLoad();
    bool isBusy() const; // the shown page: loading, or statistics still streaming
    QString currentFile() const { return current_file_; }

    BrowserPage* browser() const { return browser_; }
    FileChangedBar* fileChangedBar() const { return changed_bar_; }
    QAction* reloadAction() const { return reload_action_; }
    QAction* watchAction() const { return watch_action_; }
    QMenu* recentMenu() const { return recent_menu_; }
    QAction* engineThreadsAction() const { return engine_threads_action_; }
    // What Settings > Engine Threads… does once a choice is made: applies the setting (0
    // automatic, else a count; ui/engine_threads.h) and remembers it.
    void setEngineThreads(int setting);
    // What the last reload kept of the selection and what it lost, "" before any.
    QString lastReloadReport() const { return reload_report_; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildStatusBar();
    void buildActions();
    void rebuildViewMenu();
    void showStatus();
    void noteFileShown(const QString& path);
    Workspace* filePage() const;
    void showOpenDialog();
    void connectFileChanges();
    void reload();
    void rebuildRecentMenu();
    void addRecentFile(const QString& path);
    void restoreSettings();
    void saveSettings() const;
    void buildSettingsMenu();
    void chooseEngineThreads();

    bool remember_ = true;
    std::vector<Workspace*> pages_;
    BrowserPage* browser_ = nullptr;
    QString current_file_;
    QTabBar* tabs_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QMenu* view_menu_ = nullptr;
    QList<QAction*> page_actions_; // Ctrl+1..9
    QMenu* recent_menu_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancel_button_ = nullptr;
    QLabel* status_label_ = nullptr;
    QAction* cancel_action_ = nullptr;
    QAction* reload_action_ = nullptr;
    QAction* watch_action_ = nullptr;
    QAction* engine_threads_action_ = nullptr;
    QStringList watched_files_; // "Watch this file" is per file
    FileChangedBar* changed_bar_ = nullptr;
    QString reload_report_;
    // Taken when a reload starts, put back once that file is shown again.
    std::shared_ptr<const BrowserSelection> pending_selection_;
    QString pending_file_;
};

} // namespace nnscope::ui
