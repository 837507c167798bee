#pragma once
// The model builder (issue #17): compose a model from torch.nn's pieces. On the left the palette
// of every module type; in the centre the model's tree (add, remove, rename, reorder) and, for the
// selected module, its constructor's arguments and its own declared tensors; on the right a pane
// with the inspector (what registers, what is saved, a dry run, apply), fed every valid change.
// Every
// edit is checked by building the model (io::build_module): a refusal is shown where it was made
// and the last valid model stays; each valid change is announced (modelChanged, debounced) with
// the seed. Save writes a native model file, Open in browser and Train hand such a file to those
// pages, Export to PyTorch writes model.py.

#include "io/architecture.h"
#include "ui/workspace.h"

#include <cstdint>

class QLabel;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTimer;
class QTreeView;

namespace nnscope::ui {

class ArgumentForm;
class BuilderInspector;
class ModulePalette;
class ModuleSpecModel;
class TensorTable;

class BuilderPage : public Workspace {
    Q_OBJECT
public:
    explicit BuilderPage(QWidget* parent = nullptr);
    ~BuilderPage() override;

    QString title() const override { return tr("Builder"); }
    void saveState(QSettings& settings) const override;
    // The window is closing: the inspector stops its worker.
    void shutdown() override;
    void restoreState(QSettings& settings) override;

    // The right-hand pane, holding the inspector.
    QSplitter* sidePane() const { return side_; }
    BuilderInspector* inspector() const { return inspector_; }

    // The model being built, and the seed it is built with.
    io::ModuleSpec spec() const;
    std::uint64_t seed() const;
    void setSeed(std::uint64_t seed);
    // Replaces the model (announced like an edit); the root is selected.
    void setSpec(const io::ModuleSpec& spec);
    // Sequential(Flatten, LazyLinear(32), ReLU, Linear(32, 10)) with a non-persistent buffer.
    static io::ModuleSpec exampleSpec();
    // A type with a value for each of its required arguments (Linear(8, 8), Conv2d(3, 8, 3), ...).
    static io::ModuleSpec starterModule(const QString& type);

    // What the palette does: adds a module of this type near the selection and selects it. ""
    // on success, else why not.
    QString addModule(const QString& type);
    bool selectPath(const QString& path);
    QString selectedPath() const;
    // The last build's refusal ("" while the model builds).
    QString modelError() const;

    // Open (a native model file's architecture and seed) / Save / Export without their
    // dialogs: "" on success, else what went wrong.
    QString openFrom(const QString& path);
    QString saveTo(const QString& path);
    QString exportTo(const QString& path);

    ModuleSpecModel* model() const { return model_; }
    ModulePalette* palette() const { return palette_; }
    ArgumentForm* form() const { return form_; }
    TensorTable* tensorTable() const { return tensors_; }
    QTreeView* tree() const { return tree_; }

signals:
    // Every valid change of the model or the seed, 150 ms after the last one.
    void modelChanged(const nnscope::io::ModuleSpec& spec, std::uint64_t seed);
    // Open in browser / Train: the model was saved to `file` for that page.
    void openInBrowserRequested(const QString& file);
    void trainRequested(const QString& file);

private:
    QWidget* buildCentre();
    QWidget* buildToolbar();
    void showSelected();
    void edited();
    void removeSelected();
    void moveSelected(int delta);
    // Saves to a file of the app's data folder for another page; "" when it failed (shown).
    QString saveForPage(const QString& name);
    void chooseOpenFile();
    void chooseSaveFile();
    void chooseExportFile();
    QString validateTensors(const std::vector<nn::TensorDeclaration>& tensors) const;

    ModuleSpecModel* model_;
    ModulePalette* palette_ = nullptr;
    QTreeView* tree_ = nullptr;
    ArgumentForm* form_ = nullptr;
    TensorTable* tensors_ = nullptr;
    QLabel* selected_label_ = nullptr;
    QLabel* model_status_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QSplitter* splitter_ = nullptr; // palette | centre | inspector
    QSplitter* centre_ = nullptr;   // tree over the selected module's form and tensors
    QSplitter* side_ = nullptr;     // the inspector's pane
    BuilderInspector* inspector_ = nullptr;
    QTimer* debounce_;
    QString model_error_;
};

} // namespace nnscope::ui
