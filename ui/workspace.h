#pragma once
// A page of the main window (model browser, DataLoader lab, training, ...). The window hosts the
// pages, switches between them (tab bar, Ctrl+1..9) and owns what they share: the File menu, the
// status bar with its progress and Cancel, the View menu (filled with the shown page's actions),
// recent files and remembered settings. A page owns its own session handle and its widgets.

#include <QList>
#include <QString>
#include <QWidget>

class QAction;
class QSettings;

namespace nnscope::ui {

class Workspace : public QWidget {
    Q_OBJECT
public:
    // What the status bar shows while the page is the current one.
    struct Status {
        QString text;
        bool busy = false; // progress bar and Cancel shown
        int percent = 0;
    };

    explicit Workspace(QWidget* parent = nullptr);

    virtual QString title() const = 0; // the tab's text
    // Whether File > Open, recent files and drops go to this page (the first such page).
    virtual bool opensFiles() const { return false; }
    virtual void openFile(const QString& path) { Q_UNUSED(path); }
    // Cancel (Esc, the status bar's button) while the page is busy.
    virtual void cancel() {}
    // Actions the View menu lists while the page is shown (their shortcuts act only then).
    virtual QList<QAction*> viewActions() const { return {}; }
    // Settings inside the window's settings group; a new page prefixes its keys with its name
    // (the browser keeps its historical "mainSplitter" and "centreSplitter").
    virtual void saveState(QSettings& settings) const { Q_UNUSED(settings); }
    virtual void restoreState(QSettings& settings) { Q_UNUSED(settings); }
    // The window is closing, whether the page is shown or not: stop work promptly.
    virtual void shutdown() {}

    const Status& status() const { return status_; }
    bool isBusy() const { return status_.busy; }

signals:
    void statusChanged();
    // The page now shows this file (for recent files, Reload and the window title).
    void fileShown(const QString& path);

protected:
    void setStatusText(const QString& text);
    // busy = true also resets the progress to 0; text (when not empty) replaces the status text.
    void setBusy(bool busy, const QString& text = {});
    void setProgress(int percent);

private:
    Status status_;
};

} // namespace nnscope::ui
