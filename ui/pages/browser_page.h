#pragma once
// The model browser page: module tree | tensor table over the tensor view | summary. It owns the
// browser's SessionController, wires the item models to it and shows what the worker sends; it
// never reads a file or a tensor itself. What it shows is never stale: the plot is the table's
// current tensor (another module shows its first tensor, no tensor clears the plot), and one
// filter narrows the tree and the table alike. Panes can be hidden from the View menu.

#include "session/session_controller.h"
#include "ui/workspace.h"

#include <QMessageBox>
#include <QPointer>
#include <map>
#include <optional>

class QLineEdit;
class QSplitter;
class QTabWidget;
class QTableView;
class QTreeView;

namespace nnscope::ui {

class ModuleFilterModel;
class ModuleTreeModel;
class RunPanel;
class SummaryModel;
class TensorTableModel;
class TensorView;
class ViewHint;

class BrowserPage : public Workspace {
    Q_OBJECT
public:
    explicit BrowserPage(QWidget* parent = nullptr);
    ~BrowserPage() override;

    QString title() const override { return tr("Browser"); }
    bool opensFiles() const override { return true; }
    // Starts loading; the page stays usable and shows the file once the worker delivers it.
    void openFile(const QString& path) override;
    void cancel() override;
    QList<QAction*> viewActions() const override { return view_actions_; }
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void shutdown() override;

    // Selects the module at a dotted path in the tree ("" is the whole model).
    bool selectModule(const QString& path);
    // Selects a tensor by full name in the table (its module must be selected) and asks for its
    // snapshot.
    bool selectTensor(const QString& name);
    // Filters the module tree and the tensor table (as typing in the filter field does).
    void setFilterText(const QString& text);

    // The panes the View menu can hide and restore (remembered in the settings).
    enum class Pane { Modules, Tensors, Plots, Summary };
    void setPaneVisible(Pane pane, bool visible);
    bool isPaneVisible(Pane pane) const;

    QString currentFile() const { return current_file_; }
    // The newest error shown, "" when none; the box itself while it is open.
    QString lastError() const { return last_error_; }
    QMessageBox* errorBox() const { return error_box_; }
    const std::optional<session::TensorSnapshot>& currentSnapshot() const { return snapshot_; }

    session::SessionController& session() { return session_; }
    ModuleTreeModel* moduleModel() const { return module_model_; }
    ModuleFilterModel* moduleFilter() const { return module_filter_; }
    TensorTableModel* tensorModel() const { return tensor_model_; }
    SummaryModel* summaryModel() const { return summary_model_; }
    QTreeView* moduleView() const { return module_view_; }
    QTableView* tensorTable() const { return tensor_table_; }
    QLineEdit* filterEdit() const { return filter_edit_; }
    TensorView* tensorView() const { return tensor_view_; }
    QTreeView* summaryView() const { return summary_view_; }
    // The Run panel (a tab beside the summary) and the module whose run output or gradient the
    // tensor view shows ("" none: a stored tensor or nothing).
    RunPanel* runPanel() const { return run_panel_; }
    QTabWidget* sideTabs() const { return side_tabs_; }
    void showRunPanel();
    std::optional<QString> runModuleShown() const { return run_module_; }
    // The text over an empty module tree or tensor table ("" when none).
    QString moduleHint() const;
    QString tensorHint() const;
    // Enabled while the shown file is a native model (it has an architecture).
    QAction* trainAction() const { return train_action_; }

signals:
    void documentShown();
    void snapshotShown();
    void loadFailed(const QString& file, const QString& message);
    // "Train This Model" on a native model file.
    void trainRequested(const QString& file);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildLayout();
    void buildTensorTable();
    void buildActions();
    void buildPaneActions();
    void connectSession();
    void showDocument(const session::DocumentSnapshotPtr& document);
    void showError(const QString& file, const QString& message);
    void moduleSelected();
    // The table's current row or the first one, or no plot when the table is empty.
    void showCurrentOrFirstTensor();
    void tensorSelected();
    void requestSnapshot();
    void showIdleStatus();
    // A tensor name short enough for the status bar (elided in the middle).
    QString statusName(const QString& name) const;
    void fitTensorColumns();
    void fitModuleColumns();
    void fitModuleNames(); // widens the name column for newly shown rows, never narrows it
    QWidget* paneWidget(Pane pane) const;
    // browser_page_run.cpp: the Run panel's results in the tree and the tensor view.
    void buildRunPanel();
    void runResultChanged();
    // Shows the selected module's run output (or gradient) when the last run recorded it and the
    // panel asks for it; false otherwise (the stored tensors are shown as before).
    bool showRunTensor();
    void showSnapshot(const session::TensorSnapshot& snapshot);
    // The tensor view's values request: of the run's tensor when one is shown, else of the file.
    void requestValues(const session::TensorSliceRequest& request);

    session::SessionController session_;
    QString current_file_;
    QString last_error_;
    QPointer<QMessageBox> error_box_;
    std::optional<session::TensorSnapshot> snapshot_;
    QString selected_tensor_;
    QString filter_text_;
    session::SnapshotRequest snapshot_request_;
    std::optional<QString> run_module_;

    ModuleTreeModel* module_model_ = nullptr;
    ModuleFilterModel* module_filter_ = nullptr;
    TensorTableModel* tensor_model_ = nullptr;
    SummaryModel* summary_model_ = nullptr;
    QTreeView* module_view_ = nullptr;
    QLineEdit* filter_edit_ = nullptr;
    QTableView* tensor_table_ = nullptr;
    TensorView* tensor_view_ = nullptr;
    QTreeView* summary_view_ = nullptr;
    RunPanel* run_panel_ = nullptr;
    QTabWidget* side_tabs_ = nullptr; // the summary and the Run panel
    QWidget* module_pane_ = nullptr;  // filter field over the tree
    ViewHint* module_hint_ = nullptr;
    ViewHint* tensor_hint_ = nullptr;
    QSplitter* main_splitter_ = nullptr;
    QSplitter* centre_splitter_ = nullptr;
    QList<QAction*> view_actions_;
    std::map<Pane, QAction*> pane_actions_;
    QAction* train_action_ = nullptr;
};

} // namespace nnscope::ui
