#pragma once
// The tensors of one hook event of a paused step, as the worker sends them
// (session::TrainTensors): a chooser for which one (inputs[i] and output in forward, grad_input[i]
// and grad_output[i] in backward, grad for a parameter's gradient hook) shown in the tensor view
// (histogram, heatmap, kernels), the PyTorch line that registers such a hook, and for a
// convolution's output [N, C, H, W] the feature maps of a chosen sample. It only displays: the
// timeline view asks the session for the tensors and hands the answer here.

#include "session/train_job.h"
#include "workflows/hook_event.h"

#include <QStringList>
#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;

namespace nnscope::ui {

class FeatureMaps;
class TensorView;

class TensorInspector : public QWidget {
    Q_OBJECT
public:
    explicit TensorInspector(QWidget* parent = nullptr);

    // The event whose tensors were asked for: the line and the feature maps' samples follow it
    // at once, the plots say they wait.
    void setEvent(const workflows::HookEvent& event);
    // The answer; one about another event than the one set is ignored.
    void setTensors(const session::TrainTensorsPtr& tensors);
    void showMessage(const QString& text);

    const std::optional<workflows::HookEvent>& event() const { return event_; }
    // The chooser's entries ("grad_input[0]", "grad_output[0]", ...) and the one shown.
    QStringList tensorLabels() const;
    QString chosenLabel() const;
    void choose(const QString& label);

    QComboBox* chooser() const { return chooser_; }
    TensorView* tensorView() const { return view_; }
    FeatureMaps* featureMaps() const { return maps_; }
    QString registrationText() const;
    QString statusText() const;

signals:
    void sampleChanged(int sample); // the feature maps want another sample

private:
    void showChosen();
    const session::TensorSnapshot* chosen() const;
    const session::TensorSnapshot* snapshot(int index) const; // inputs, then outputs

    QLabel* place_;
    QLabel* line_;
    QComboBox* chooser_;
    QLabel* status_;
    TensorView* view_;
    FeatureMaps* maps_;
    std::optional<workflows::HookEvent> event_;
    session::TrainTensorsPtr tensors_;
    QString wanted_; // the label the user chose last, kept across events while it exists
};

// The names of the tensors of `event` that came as `count` unnamed snapshots, in order: "input[0]",
// "output", "grad_input[1]", "grad_output[0]", "grad". When fewer came than the event has
// entries (a backward hook's None is not sent), the entries without a shape are skipped.
QStringList tensorLabels(const workflows::HookEvent& event, bool inputs, std::size_t count);

// True for a forward hook's output shaped [N, C, H, W]: a convolution's feature maps.
bool hasFeatureMaps(const workflows::HookEvent& event);

} // namespace nnscope::ui
