#pragma once
// The model's module tree in training mode: live numbers per module (activation mean/std, dead-unit
// fraction, gradient std and norm) from the latest observed step, the module the run is paused at
// (or whose hook fired last) highlighted, and a context menu that sets forward, backward and
// conditional breakpoints and opens the hooks panel on a module. Selecting a row selects the
// module for every view of the session.

#include <QModelIndex>
#include <QWidget>
#include <vector>

class QTreeView;

namespace nnscope::session {
struct TrainPaused;
struct TrainProgress;
} // namespace nnscope::session

namespace nnscope::ui {

class TrainModuleModel;
class TrainSession;

class TrainModuleTree : public QWidget {
    Q_OBJECT
public:
    explicit TrainModuleTree(TrainSession* session, QWidget* parent = nullptr);

    TrainModuleModel* model() const { return model_; }
    // The rows the view shows now (column 0, top to bottom): the only ones a new step signals.
    std::vector<QModelIndex> shownRows() const;
    QTreeView* view() const { return view_; }
    // The context menu's actions for the module at `path` (tests trigger them).
    void breakOnForward(const QString& path);
    void breakOnBackward(const QString& path);
    // Opens the "Break when..." dialog; the breakpoint is added when it is accepted.
    void breakWhen(const QString& path);

signals:
    // "Attach hook..." on a module: the page shows the hooks panel (the module is selected first).
    void attachHookRequested(const QString& path);

private:
    void rebuild();
    void onProgress(const session::TrainProgress& progress);
    void onPaused(const session::TrainPaused& paused);
    void showSelected(const QString& path);
    void showContextMenu(const QPoint& pos);

    TrainSession* session_;
    TrainModuleModel* model_;
    QTreeView* view_;
};

} // namespace nnscope::ui
