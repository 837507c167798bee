#pragma once
// The browser's Run panel (issue #16): runs the opened model on an input — a random tensor of its
// input shape, an image file (decoded with QImage, so PNG and JPEG work) with a preprocessing
// preset, a tensor from a safetensors file, or a sample of a data set (a DataLoader configuration
// JSON in #8's schema, as the lab saves one, and the sample's index) — forward only, or with a
// backward from a class score or from the loss against a label. The work is a RunModelJob on the
// browser's worker; the window never waits for it, and Cancel (or a newer run) ends it between two
// modules. After a run it lists the top-k predictions and blends the input's saliency over the
// image; the page marks the recorded modules and shows their outputs and gradients in its tensor
// view. A refused model or a bad input is said in plain words in the panel. A data set sample's
// label is the backward's class unless another is chosen ("label" in the Class box), and the data
// set names the classes. A state_dict runs paired with an architecture (ArchitecturePicker); the
// message line then reports what load_state_dict returned.

#include "session/run_model_job.h"

#include <QImage>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace nnscope::session {
class SessionController;
}

namespace nnscope::ui {

class ArchitecturePicker;

class RunPanel : public QWidget {
    Q_OBJECT
public:
    enum class InputKind { Random = 0, Image = 1, TensorFile = 2, DatasetSample = 3 };
    enum class Backward { None = 0, ClassScore = 1, Loss = 2 };
    // What the page's tensor view shows of the selected module after a run.
    enum class Show { Output = 0, Gradient = 1, StoredTensors = 2 };

    explicit RunPanel(session::SessionController& session, QWidget* parent = nullptr);

    // The model the next run opens ("" when no file is shown); a new file clears the last result.
    void setModelFile(const QString& file);
    QString modelFile() const { return model_file_; }

    void setInput(InputKind kind, const QString& path = {});
    // The index of the sample of a DatasetSample input.
    void setSample(int index);
    void setPreset(const QString& name); // "imagenet", "none" or "custom"
    // The custom preset's fields: shorter side after resizing (0 keeps), centre crop (0 none),
    // mean and std (one number, or one per channel, separated by commas).
    void setCustomPreprocess(int resize, int crop, const QString& mean, const QString& std);
    // `target` kLabel: the input's label (a data set sample's); the default for such an input.
    static constexpr int kLabel = -1;
    void setBackward(Backward backward, int target = 0);
    void setShow(Show show);
    Show show() const;
    // How many predictions the next run lists (1..20).
    void setTopk(int k);

    // Starts a run with the panel's settings; false (and the reason shown) when it cannot start.
    bool run();
    void cancelRun();
    bool isRunning() const { return running_; }

    const session::RunModelResultPtr& result() const { return result_; }
    // The text of the panel's message line: a run's summary, or what went wrong.
    QString message() const;
    bool messageIsError() const { return message_is_error_; }

    ArchitecturePicker* architecturePicker() const { return architecture_; }
    QComboBox* inputCombo() const { return input_combo_; }
    QLineEdit* pathEdit() const { return path_edit_; }
    QComboBox* presetCombo() const { return preset_combo_; }
    QComboBox* backwardCombo() const { return backward_combo_; }
    QSpinBox* targetSpin() const { return target_spin_; }
    QSpinBox* sampleSpin() const { return sample_spin_; }
    QSpinBox* topkSpin() const { return topk_spin_; }
    QComboBox* showCombo() const { return show_combo_; }
    QPushButton* runButton() const { return run_button_; }
    QPushButton* cancelButton() const { return cancel_button_; }
    QTreeWidget* predictionsView() const { return predictions_; }
    QLabel* saliencyLabel() const { return saliency_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

signals:
    // A run finished (result) or was cleared (nullptr): the page marks the modules again.
    void resultChanged(const nnscope::session::RunModelResultPtr& result);
    void showChanged();

private:
    void buildInputs();
    void buildOutputs();
    void updateEnabled();
    void inputKindChanged();
    void fitPredictions(); // the list's height follows the top-k; past 8 rows it scrolls
    void browse();
    // The request the widgets describe; throws std::invalid_argument naming a bad field.
    session::RunModelRequest request() const;
    workflows::ImagePreprocess preprocess() const;
    void showResult(const session::RunModelResultPtr& result);
    void showFailure(const QString& message);
    void showMessage(const QString& text, bool error);
    void clearResult();
    void showSaliency();

    session::SessionController& session_;
    QString model_file_;
    bool running_ = false;
    bool message_is_error_ = false;
    session::RunModelResultPtr result_;
    QImage overlay_; // the input with its saliency blended over it, at the input's size

    ArchitecturePicker* architecture_ = nullptr;
    QComboBox* input_combo_ = nullptr;
    QLineEdit* path_edit_ = nullptr;
    QPushButton* browse_button_ = nullptr;
    QSpinBox* sample_spin_ = nullptr;
    QComboBox* preset_combo_ = nullptr;
    QWidget* custom_box_ = nullptr;
    QSpinBox* resize_spin_ = nullptr;
    QSpinBox* crop_spin_ = nullptr;
    QLineEdit* mean_edit_ = nullptr;
    QLineEdit* std_edit_ = nullptr;
    QComboBox* backward_combo_ = nullptr;
    QSpinBox* target_spin_ = nullptr;
    QSpinBox* topk_spin_ = nullptr;
    QComboBox* show_combo_ = nullptr;
    QPushButton* run_button_ = nullptr;
    QPushButton* cancel_button_ = nullptr;
    QLabel* message_ = nullptr;
    QTreeWidget* predictions_ = nullptr;
    QLabel* saliency_ = nullptr;
};

} // namespace nnscope::ui
