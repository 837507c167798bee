#pragma once
// The nnscope window: module tree | tensor table over the tensor view | summary. It wires the
// item models to the SessionController and shows what the worker sends; it never reads a file or
// a tensor itself.

#include "session/session_controller.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QSplitter;
class QTableView;
class QToolButton;
class QTreeView;

namespace nnscope::ui {

class ModuleFilterModel;
class ModuleTreeModel;
class SummaryModel;
class TensorTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // remember = false leaves the user's settings alone (no geometry, recent files or folder read
    // or written): for --screenshot.
    explicit MainWindow(QWidget* parent = nullptr, bool remember = true);
    ~MainWindow() override;

    // Starts loading; the window stays usable and shows the file once the worker delivers it.
    void openFile(const QString& path);
    void cancelLoad();
    // Selects the module at a dotted path in the tree ("" is the whole model).
    bool selectModule(const QString& path);
    // Selects a tensor by full name in the table (its module must be selected) and asks for its
    // snapshot.
    bool selectTensor(const QString& name);

    QString currentFile() const { return current_file_; }
    bool isBusy() const; // loading, or statistics still streaming
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
    QWidget* tensorView() const { return tensor_view_; }

signals:
    void documentShown();
    void snapshotShown();
    void loadFailed(const QString& file, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    void buildLayout();
    void connectSession();
    void showOpenDialog();
    void rebuildRecentMenu();
    void addRecentFile(const QString& path);
    void showDocument(const session::DocumentSnapshotPtr& document);
    void showError(const QString& file, const QString& message);
    void moduleSelected();
    void tensorSelected();
    void requestSnapshot();
    void fitTensorColumns();
    void setBusy(bool busy, const QString& text = {});
    void restoreSettings();
    void saveSettings() const;

    bool remember_ = true;
    session::SessionController session_;
    QString current_file_;
    QString loading_file_;
    QString last_error_;
    QPointer<QMessageBox> error_box_;
    std::optional<session::TensorSnapshot> snapshot_;
    QString selected_tensor_;
    session::SnapshotRequest snapshot_request_;

    ModuleTreeModel* module_model_ = nullptr;
    ModuleFilterModel* module_filter_ = nullptr;
    TensorTableModel* tensor_model_ = nullptr;
    SummaryModel* summary_model_ = nullptr;
    QTreeView* module_view_ = nullptr;
    QLineEdit* filter_edit_ = nullptr;
    QTableView* tensor_table_ = nullptr;
    QWidget* tensor_view_ = nullptr;
    QTreeView* summary_view_ = nullptr;
    QSplitter* main_splitter_ = nullptr;
    QSplitter* centre_splitter_ = nullptr;
    QMenu* recent_menu_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancel_button_ = nullptr;
    QLabel* status_label_ = nullptr;
    QAction* cancel_action_ = nullptr;
    QAction* reload_action_ = nullptr;
};

} // namespace nnscope::ui
