#pragma once
// The hook timeline of the paused step (session::TrainPaused::timeline): one row per hook firing
// in PyTorch's order with its module, type, hook kind, the shapes of its inputs (grad_input in
// backward) and outputs (grad_output), the operation, and the PyTorch line that registers such a
// hook on that module. The event the run waits at is bold. Stepping hook event by hook event
// grows the same step's timeline: those rows are appended (beginInsertRows), a new step resets.

#include "session/train_job.h"
#include "workflows/hook_event.h"

#include <QAbstractTableModel>
#include <cstdint>
#include <optional>
#include <vector>

namespace nnscope::ui {

class HookTimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Seq, Module, Type, Hook, Inputs, Outputs, Operation, Registration, ColumnCount };
    enum DataRole { SeqRole = Qt::UserRole + 1 };

    explicit HookTimelineModel(QObject* parent = nullptr);

    void setPaused(const session::TrainPaused& paused);
    void clear();

    // The step the rows belong to (-1 when empty) and the event the run waits at, if any.
    std::int64_t step() const { return step_; }
    std::optional<std::int64_t> currentSeq() const { return current_; }
    const workflows::HookEvent* event(int row) const; // nullptr when out of range
    int rowOfSeq(std::int64_t seq) const;             // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const workflows::HookEvent& event, int column) const;
    bool extends(const session::TrainPaused& paused) const;
    void markRow(int row); // dataChanged over the row, for its font

    std::vector<workflows::HookEvent> events_;
    std::int64_t step_ = -1;
    std::optional<std::int64_t> current_;
};

// The shapes of the event's inputs (grad_input) or outputs (grad_output): "[64, 784], [64]".
// An entry of a backward hook without a tensor (Python's None: an undefined tensor, or an empty
// shape where only shapes were kept) reads "None".
QString shapesText(const workflows::HookEvent& event, bool inputs);
// The PyTorch line registering the event's hook on its own module or parameter:
// `model.get_submodule("features.0").register_forward_hook(hook)`,
// `model.get_parameter("fc1.weight").register_hook(hook)`; `model.register_...` for the root.
QString registrationLine(const workflows::HookEvent& event);

} // namespace nnscope::ui
