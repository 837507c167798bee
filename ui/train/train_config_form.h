#pragma once
// The training workspace's editor of one workflows::TrainingConfig: the model (the bundled mlp,
// cnn or textcls, or a native model file), the training split's DataLoader with the lab's own
// form (data set, part, batch size, shuffle, epochs, sampler, transform, ...), the loss, the
// optimizer with only its own arguments shown, the initialisation, the seed and how often the
// test split is evaluated. validConfiguration() shows a data::ConfigError under its field.

#include "workflows/training_config.h"

#include <QWidget>
#include <map>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace nnscope::ui {

class ConfigForm;
class FieldError;

class TrainConfigForm : public QWidget {
    Q_OBJECT
public:
    explicit TrainConfigForm(QWidget* parent = nullptr);

    // Fills every widget (emits nothing) and clears the errors.
    void setConfiguration(const workflows::TrainingConfig& config);
    // The widgets' values; data::ConfigError naming the field for text that is not a value.
    workflows::TrainingConfig configuration() const;
    // "mlp", "cnn", "textcls" or a model file's path (emits edited()).
    void setModel(const QString& model);
    // configuration(), validated; on error the message is shown under its field and nullopt
    // returned.
    std::optional<workflows::TrainingConfig> validConfiguration();

    // A field of the loader ("batch_size", "sampler.weights") goes to the loader's form.
    void showError(const std::string& field, const QString& message);
    void clearErrors();
    QString errorText() const; // the errors shown, one per line

    ConfigForm* loaderForm() const { return loader_; }

signals:
    void edited();

private:
    void build();
    void buildOptimizer(QFormLayout* form);
    FieldError* field(const std::string& name, QWidget* editor);
    void updateVisibility();
    void chooseModelFile();

    std::map<std::string, FieldError*> fields_;
    QLabel* other_error_ = nullptr;
    bool filling_ = false;

    QComboBox* model_ = nullptr;
    QLineEdit* model_file_ = nullptr;
    QToolButton* browse_ = nullptr;
    ConfigForm* loader_ = nullptr;
    QComboBox* loss_ = nullptr;
    QDoubleSpinBox* label_smoothing_ = nullptr;
    QComboBox* optimizer_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QDoubleSpinBox* momentum_ = nullptr;
    QDoubleSpinBox* dampening_ = nullptr;
    QCheckBox* nesterov_ = nullptr;
    QLineEdit* weight_decay_ = nullptr; // empty: the optimizer's default
    QDoubleSpinBox* beta1_ = nullptr;
    QDoubleSpinBox* beta2_ = nullptr;
    QLineEdit* eps_ = nullptr;
    QCheckBox* amsgrad_ = nullptr;
    QWidget* sgd_args_ = nullptr;
    QWidget* adam_args_ = nullptr;
    QComboBox* init_ = nullptr;
    QDoubleSpinBox* init_std_ = nullptr;
    QLineEdit* seed_ = nullptr;
    QSpinBox* eval_every_ = nullptr;
    QSpinBox* eval_limit_ = nullptr; // 0: the whole test split
};

} // namespace nnscope::ui
