#pragma once
// The model builder's live inspector (issue #17): given the model being built (a spec and a
// seed), it shows what the model registers and saves, a dry-run forward for an input shape, and
// what apply(fn) with chosen init rules does to the weights. Three tabs:
//   Tensors  every parameter and buffer slot with its role (RegisteredTensorsModel), the
//            state_dict keys that would be saved and those left out with the reason, the counts;
//   Dry run  the input shape and the torchinfo-like table (InspectorDryRunTab);
//   apply    the rules, Apply, the steps in apply's order, the PyTorch code and the histograms
//            before and after (InspectorApplyTab).
// Everything is computed by one BuilderInspectJob on the inspector's own JobController: changes
// are debounced (kDebounceMs) into one request, a newer request supersedes the running one and
// its late answer is dropped, and the status line says "computing..." while one is out.
// A spec that does not build shows its error (with the module's path) instead of the tables.

#include "io/architecture.h"
#include "session/builder_inspect_job.h"
#include "session/job_controller.h"

#include <QTimer>
#include <QWidget>
#include <cstdint>
#include <optional>

class QLabel;
class QListWidget;
class QSettings;
class QTabWidget;
class QTableView;

namespace nnscope::ui {

class ApplyRulesModel;
class DryRunModel;
class InspectorApplyTab;
class InspectorDryRunTab;
class RegisteredTensorsModel;

class BuilderInspector : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 150;

    explicit BuilderInspector(QWidget* parent = nullptr);
    ~BuilderInspector() override;

    // The model to inspect; computed after kDebounceMs without a newer call.
    void setModel(const io::ModuleSpec& spec, std::uint64_t seed);
    // Stops the worker (waits for it); nothing is computed afterwards.
    void shutdown();
    // Its splitters' positions, under "builderInspector/<splitter's name>".
    void saveState(QSettings& settings) const;
    void restoreState(QSettings& settings);

    bool isBusy() const { return busy_; }
    const session::BuilderInspectionPtr& inspection() const { return inspection_; }
    QString statusText() const;

    QTabWidget* tabs() const { return tabs_; }
    RegisteredTensorsModel* tensorsModel() const { return tensors_; }
    QListWidget* savedKeys() const { return saved_; }
    QString countsText() const;
    InspectorDryRunTab* dryRunTab() const { return dry_run_; }
    DryRunModel* dryRunModel() const;
    InspectorApplyTab* applyTab() const { return apply_; }
    ApplyRulesModel* rulesModel() const;

signals:
    void inspected(); // a new inspection is shown

private:
    QWidget* makeTensorsTab();
    void schedule();
    void sendRequest();
    void showInspection(const session::BuilderInspectionPtr& inspection);
    void setBusy(bool busy);

    session::JobController jobs_;
    QTimer debounce_;
    std::optional<io::ModuleSpec> spec_;
    std::uint64_t seed_ = 0;
    std::vector<workflows::InitRule> applied_rules_; // the rules of the last Apply
    bool busy_ = false, stopped_ = false;
    session::BuilderInspectionPtr inspection_;

    QLabel* status_;
    QTabWidget* tabs_;
    RegisteredTensorsModel* tensors_;
    QTableView* tensors_view_ = nullptr;
    QListWidget* saved_ = nullptr;
    QLabel* counts_ = nullptr;
    InspectorDryRunTab* dry_run_;
    InspectorApplyTab* apply_;
};

} // namespace nnscope::ui
