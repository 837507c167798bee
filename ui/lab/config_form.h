#pragma once
// The lab's editor of one DataLoaderConfig, with ordinary widgets: the data set (with a path
// chooser) and its part (Subset, random_split), batch size ("None" at 0), shuffle, drop_last,
// the generator seed, epochs, the sampler with only the chosen sampler's arguments shown, a
// BatchSampler, the transform pipeline (checked as it is typed, a syntax error with its column),
// and the rarely used DataLoader arguments in a "More" section that starts collapsed.
// Every edit emits edited(); validConfiguration() reads the widgets, applies data::validate and
// shows what is wrong next to its field.

#include "data/loader_config.h"

#include <QString>
#include <QWidget>
#include <map>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace nnscope::ui {

class FieldError;

class ConfigForm : public QWidget {
    Q_OBJECT
public:
    explicit ConfigForm(QWidget* parent = nullptr);

    // Fills every widget (emits nothing) and clears the errors.
    void setConfiguration(const data::DataLoaderConfig& config);
    // The widgets' values; data::ConfigError naming the field for text that is not a value
    // (a seed, an index list, weights). Not validated.
    data::DataLoaderConfig configuration() const;
    // configuration(), validated (and its transform parsed); on error, the error is shown next to
    // its field and nullopt returned. Clears the errors of a valid one.
    std::optional<data::DataLoaderConfig> validConfiguration();

    // Shows `message` under the field's editor (a "sampler.rank" error under the sampler's
    // arguments); a field the form does not show gets the line at the form's end.
    void showError(const std::string& field, const QString& message);
    void clearErrors();
    // The errors shown, one per line ("" when none).
    QString errorText() const;
    bool moreShown() const;
    void setMoreShown(bool shown);

signals:
    // typing: text was typed (the column waits for a pause); else a choice was made.
    void edited(bool typing);

private:
    void build();
    QWidget* buildSamplerPages();
    QWidget* buildPartPages();
    QWidget* buildMore();
    FieldError* field(const std::string& name, QWidget* editor);
    void watch(); // every editor's change -> edited()
    void updateVisibility();
    void chooseDatasetPath();
    void changed(bool typing);

    std::map<std::string, FieldError*> fields_;
    QLabel* other_error_ = nullptr;
    bool filling_ = false;

    QComboBox* dataset_ = nullptr;
    QToolButton* browse_ = nullptr;
    QComboBox* split_ = nullptr;
    QComboBox* part_ = nullptr;
    QStackedWidget* part_pages_ = nullptr;
    QLineEdit* subset_ = nullptr;
    QLineEdit* split_lengths_ = nullptr;
    QLineEdit* split_seed_ = nullptr;
    QSpinBox* split_part_ = nullptr;
    QSpinBox* batch_size_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QLineEdit* generator_ = nullptr;
    QCheckBox* shuffle_ = nullptr;
    QCheckBox* drop_last_ = nullptr;
    QComboBox* sampler_ = nullptr;
    QStackedWidget* sampler_pages_ = nullptr;
    QCheckBox* random_replacement_ = nullptr;
    QSpinBox* random_num_samples_ = nullptr;
    QLineEdit* subset_indices_ = nullptr;
    QComboBox* weights_kind_ = nullptr;
    QLineEdit* weights_ = nullptr;
    QSpinBox* weighted_num_samples_ = nullptr;
    QCheckBox* weighted_replacement_ = nullptr;
    QSpinBox* replicas_ = nullptr;
    QSpinBox* rank_ = nullptr;
    QCheckBox* distributed_shuffle_ = nullptr;
    QLineEdit* distributed_seed_ = nullptr;
    QCheckBox* distributed_drop_last_ = nullptr;
    QSpinBox* distributed_epoch_ = nullptr;
    QCheckBox* set_epoch_ = nullptr;
    QCheckBox* batch_sampler_ = nullptr;
    QSpinBox* batch_sampler_size_ = nullptr;
    QCheckBox* batch_sampler_drop_last_ = nullptr;
    QLineEdit* transform_ = nullptr;
    QToolButton* more_button_ = nullptr;
    QWidget* more_ = nullptr;
    QSpinBox* num_workers_ = nullptr;
    QComboBox* collate_ = nullptr;
    QCheckBox* pin_memory_ = nullptr;
    QDoubleSpinBox* timeout_ = nullptr;
    QComboBox* worker_init_ = nullptr;
    QSpinBox* prefetch_ = nullptr;
    QCheckBox* persistent_ = nullptr;
};

} // namespace nnscope::ui
