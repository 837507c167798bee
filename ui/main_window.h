#pragma once
// The nnscope window: a host of workspace pages (ui/workspace.h), the model browser first. It
// switches pages (a tab bar once there are two, Ctrl+1..9) and owns what they share: the File
// menu (open, recent files, reload, cancel, quit), drag and drop, the View menu (the shown page's
// actions, then the pages), the status bar (the shown page's status, progress and Cancel) and the
// remembered geometry. It wires pages; it does not stream, plot or parse.

#include <QMainWindow>
#include <QString>
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

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildStatusBar();
    void buildActions();
    void rebuildViewMenu();
    void showStatus();
    void noteFileShown(const QString& path);
    Workspace* filePage() const;
    void showOpenDialog();
    void rebuildRecentMenu();
    void addRecentFile(const QString& path);
    void restoreSettings();
    void saveSettings() const;

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
};

} // namespace nnscope::ui
