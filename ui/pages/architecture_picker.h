#pragma once
// The Run panel's pairing of a state_dict with modules (as nnscope-cli's --architecture and
// --non-strict): a state_dict holds tensors but no modules to run them, so the learner names an
// architecture, a torchvision model ("torchvision:resnet18", listed) or a native model file
// (typed or browsed), and whether load_state_dict is strict. Empty: the file's own modules.
// The run then reports what load_state_dict returned, missing and unexpected keys as PyTorch's
// _IncompatibleKeys prints them.

#include <QWidget>
#include <string>

class QCheckBox;
class QComboBox;
class QPushButton;

namespace nnscope::ui {

class ArchitecturePicker : public QWidget {
    Q_OBJECT
public:
    explicit ArchitecturePicker(QWidget* parent = nullptr);

    // "" (the file's own modules), "torchvision:NAME" or a native model file's path.
    std::string architecture() const;
    void setArchitecture(const QString& architecture);
    bool strict() const;
    void setStrict(bool strict);

    QComboBox* combo() const { return combo_; }
    QCheckBox* strictBox() const { return strict_; }

private:
    void browse();

    QComboBox* combo_ = nullptr;
    QPushButton* browse_ = nullptr;
    QCheckBox* strict_ = nullptr;
};

} // namespace nnscope::ui
