#pragma once
// The training workspace: run, pause and step through training and watch what every layer does.
// The toolbar above (run commands, learning rate, where the run is, the overhead meter,
// checkpoints, configuration files); on the left the configuration form and the module tree in
// training mode; in the centre the views (Scalars, Distributions, Gradient flow, Hook timeline,
// Batch); on the right the hooks panel. Every panel is built the first time it is shown. The page
// wires the views to its TrainSession; the views read the session, never the worker.

#include "ui/workspace.h"
#include "workflows/train_stepper.h"
#include "workflows/training_config.h"

#include <cstdint>
#include <optional>

class QSplitter;
class QTabWidget;

namespace nnscope::ui {

class LazyPanel;
class TrainConfigForm;
class TrainSession;
class TrainToolbar;

class TrainPage : public Workspace {
    Q_OBJECT
public:
    // The centre's tabs, in order.
    enum View { Scalars, Distributions, GradientFlow, HookTimeline, Batch };

    explicit TrainPage(QWidget* parent = nullptr);
    ~TrainPage() override;

    QString title() const override { return tr("Training"); }
    void shutdown() override;
    // The splitter's sizes ("trainSplitter").
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;

    TrainSession* session() const { return session_; }
    TrainToolbar* toolbar() const { return toolbar_; }
    TrainConfigForm* form() const { return form_; }
    QTabWidget* views() const { return views_; }
    QTabWidget* sidebar() const { return sidebar_; }
    // The view of a centre tab, built now if it was not yet.
    QWidget* view(View view);
    // Whether a centre tab's view exists yet (they are built when first shown).
    bool isBuilt(View view) const;

    // The form's configuration (the browser's "Train this model" sets its model).
    void setConfiguration(const workflows::TrainingConfig& config);
    // The form's model becomes this native model file (the rest of the configuration stays).
    void trainModelFile(const QString& path);
    // Starts a new run from the form; false (the error shown under its field) when the form's
    // configuration is not valid.
    bool startRun(workflows::RunCommand initial = workflows::RunCommand::Pause,
                  std::optional<std::int64_t> pause_after_steps = std::nullopt);

    // Open / Save configuration (JSON): "" on success, else what is wrong.
    QString openConfig(const QString& path);
    QString saveConfig(const QString& path);

private:
    void build();
    void connectSession();
    void showHooksPanel(); // the sidebar's Hooks tab
    void chooseConfigToOpen();
    void chooseConfigToSave();

    TrainSession* session_;
    TrainToolbar* toolbar_ = nullptr;
    TrainConfigForm* form_ = nullptr;
    QSplitter* splitter_ = nullptr;
    QTabWidget* sidebar_ = nullptr; // Configuration, Modules, Hooks
    int hooks_tab_ = -1;
    QTabWidget* views_ = nullptr;
    std::vector<LazyPanel*> panels_; // the centre's, by View
};

} // namespace nnscope::ui
