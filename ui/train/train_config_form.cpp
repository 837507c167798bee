#include "ui/train/train_config_form.h"

#include "data/config_error.h"
#include "ui/lab/config_form.h"
#include "ui/lab/field_error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <limits>

namespace nnscope::ui {

using data::ConfigError;

namespace {

const QStringList kModels{QStringLiteral("mlp"), QStringLiteral("cnn"), QStringLiteral("textcls")};
const QString kModelFile = QStringLiteral("model file");

QDoubleSpinBox* spin(double lo, double hi, int decimals, double step) {
    auto* s = new QDoubleSpinBox;
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    return s;
}

// The number in `edit`, or ConfigError naming `field`.
double number(const QLineEdit* edit, const std::string& field) {
    bool ok = false;
    const double value = edit->text().trimmed().toDouble(&ok);
    if (!ok)
        throw ConfigError(field, "{" + field + "} is not a number: '" +
                                     ConfigError::literal(edit->text().toStdString()) + "'");
    return value;
}

QString numberText(double value) {
    return QString::number(value, 'g', 10);
}

} // namespace

TrainConfigForm::TrainConfigForm(QWidget* parent)
    : QWidget(parent) {
    build();
    setConfiguration(workflows::TrainingConfig{});
}

FieldError* TrainConfigForm::field(const std::string& name, QWidget* editor) {
    // Named for tests and style sheets; "train." keeps them apart from the loader form's names.
    editor->setObjectName(QStringLiteral("train.") + QString::fromStdString(name));
    auto* f = new FieldError(editor, this);
    f->setProperty("trainField", QString::fromStdString(name));
    fields_[name] = f;
    return f;
}

void TrainConfigForm::build() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* run = new QGroupBox(tr("Model and optimization"), this);
    auto* form = new QFormLayout(run);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    model_ = new QComboBox;
    model_->addItems(kModels);
    model_->addItem(kModelFile);
    model_->setToolTip(tr("A bundled model, or a native model file (.safetensors with its "
                          "architecture)"));
    model_file_ = new QLineEdit;
    model_file_->setPlaceholderText(tr("path of a native model file"));
    browse_ = new QToolButton;
    browse_->setText(QStringLiteral("…"));
    browse_->setToolTip(tr("Choose the model file"));
    auto* model_row = new QWidget;
    auto* model_layout = new QHBoxLayout(model_row);
    model_layout->setContentsMargins(0, 0, 0, 0);
    model_layout->addWidget(model_);
    model_layout->addWidget(model_file_, 1);
    model_layout->addWidget(browse_);
    form->addRow(tr("Model"), field("model", model_row));

    loss_ = new QComboBox;
    loss_->addItem(tr("CrossEntropyLoss"), QStringLiteral("cross_entropy"));
    loss_->addItem(tr("NLLLoss"), QStringLiteral("nll"));
    form->addRow(tr("Loss"), field("loss", loss_));
    label_smoothing_ = spin(0, 1, 3, 0.05);
    form->addRow(tr("label_smoothing"), field("label_smoothing", label_smoothing_));

    buildOptimizer(form);

    init_ = new QComboBox;
    for (const char* scheme : {"default", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                               "kaiming_normal", "normal", "zeros"})
        init_->addItem(QString::fromLatin1(scheme));
    init_->setToolTip(tr("model.apply(init) on every Linear, Conv and Embedding: default keeps "
                         "PyTorch's reset_parameters; zeros shows what all-zero weights do"));
    form->addRow(tr("Init"), field("init", init_));
    init_std_ = spin(0, 10, 4, 0.01);
    form->addRow(tr("std"), field("init_std", init_std_));
    seed_ = new QLineEdit;
    seed_->setToolTip(tr("torch.manual_seed(seed) before the model is built"));
    form->addRow(tr("Seed"), field("seed", seed_));
    eval_every_ = new QSpinBox;
    eval_every_->setRange(0, 1000000);
    eval_every_->setSpecialValueText(tr("each epoch"));
    eval_every_->setSuffix(tr(" steps"));
    form->addRow(tr("Evaluate every"), field("eval_every", eval_every_));
    eval_limit_ = new QSpinBox;
    eval_limit_->setRange(0, 100000000);
    eval_limit_->setSpecialValueText(tr("whole test split"));
    form->addRow(tr("Test samples"), field("eval_limit", eval_limit_));
    layout->addWidget(run);

    auto* loader_box = new QGroupBox(tr("DataLoader (training split)"), this);
    auto* loader_layout = new QVBoxLayout(loader_box);
    loader_layout->setContentsMargins(2, 2, 2, 2);
    loader_ = new ConfigForm(loader_box);
    loader_layout->addWidget(loader_);
    layout->addWidget(loader_box);
    other_error_ = new QLabel(this);
    other_error_->setWordWrap(true);
    other_error_->setStyleSheet(QStringLiteral("color: #d04040;"));
    other_error_->hide();
    layout->addWidget(other_error_);
    layout->addStretch(1);

    const auto changed = [this] {
        updateVisibility();
        if (!filling_) emit edited();
    };
    for (QComboBox* c : {model_, loss_, optimizer_, init_})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QDoubleSpinBox* s :
         {label_smoothing_, lr_, momentum_, dampening_, beta1_, beta2_, init_std_})
        connect(s, &QDoubleSpinBox::valueChanged, this, changed);
    for (QSpinBox* s : {eval_every_, eval_limit_})
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (QLineEdit* e : {model_file_, weight_decay_, eps_, seed_})
        connect(e, &QLineEdit::textEdited, this, changed);
    for (QCheckBox* c : {nesterov_, amsgrad_})
        connect(c, &QCheckBox::toggled, this, changed);
    connect(loader_, &ConfigForm::edited, this, changed);
    connect(browse_, &QToolButton::clicked, this, &TrainConfigForm::chooseModelFile);
}

void TrainConfigForm::buildOptimizer(QFormLayout* form) {
    optimizer_ = new QComboBox;
    optimizer_->addItem(QStringLiteral("SGD"), QStringLiteral("sgd"));
    optimizer_->addItem(QStringLiteral("Adam"), QStringLiteral("adam"));
    optimizer_->addItem(QStringLiteral("AdamW"), QStringLiteral("adamw"));
    form->addRow(tr("Optimizer"), field("optimizer", optimizer_));
    lr_ = spin(1e-6, 100, 6, 0.001);
    lr_->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    form->addRow(tr("lr"), field("lr", lr_));
    weight_decay_ = new QLineEdit;
    weight_decay_->setPlaceholderText(tr("default"));
    form->addRow(tr("weight_decay"), field("weight_decay", weight_decay_));

    // Only the chosen optimizer's own arguments are shown.
    sgd_args_ = new QWidget;
    auto* sgd = new QFormLayout(sgd_args_);
    sgd->setContentsMargins(0, 0, 0, 0);
    momentum_ = spin(0, 1, 4, 0.05);
    dampening_ = spin(0, 1, 4, 0.05);
    nesterov_ = new QCheckBox(tr("nesterov"));
    sgd->addRow(tr("momentum"), field("momentum", momentum_));
    sgd->addRow(tr("dampening"), field("dampening", dampening_));
    sgd->addRow(QString(), field("nesterov", nesterov_));
    form->addRow(sgd_args_);

    adam_args_ = new QWidget;
    auto* adam = new QFormLayout(adam_args_);
    adam->setContentsMargins(0, 0, 0, 0);
    beta1_ = spin(0, 1, 4, 0.01);
    beta2_ = spin(0, 1, 5, 0.001);
    auto* betas = new QWidget;
    auto* betas_layout = new QHBoxLayout(betas);
    betas_layout->setContentsMargins(0, 0, 0, 0);
    betas_layout->addWidget(beta1_);
    betas_layout->addWidget(beta2_);
    eps_ = new QLineEdit;
    amsgrad_ = new QCheckBox(tr("amsgrad"));
    adam->addRow(tr("betas"), field("betas", betas));
    adam->addRow(tr("eps"), field("eps", eps_));
    adam->addRow(QString(), field("amsgrad", amsgrad_));
    form->addRow(adam_args_);
}

void TrainConfigForm::updateVisibility() {
    const bool file = model_->currentText() == kModelFile;
    model_file_->setVisible(file);
    browse_->setVisible(file);
    label_smoothing_->setEnabled(loss_->currentData().toString() ==
                                 QStringLiteral("cross_entropy"));
    const bool sgd = optimizer_->currentData().toString() == QStringLiteral("sgd");
    sgd_args_->setVisible(sgd);
    adam_args_->setVisible(!sgd);
    init_std_->setEnabled(init_->currentText() == QStringLiteral("normal"));
}

void TrainConfigForm::chooseModelFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Model to train"), model_file_->text(),
                                     tr("Native model files (*.safetensors);;All files (*)"));
    if (path.isEmpty()) return;
    model_file_->setText(path);
    if (!filling_) emit edited();
}

void TrainConfigForm::setModel(const QString& model) {
    const bool bundled = kModels.contains(model);
    model_->setCurrentText(bundled ? model : kModelFile);
    model_file_->setText(bundled ? QString() : model);
    updateVisibility();
    if (!filling_) emit edited();
}

void TrainConfigForm::setConfiguration(const workflows::TrainingConfig& c) {
    filling_ = true;
    setModel(QString::fromStdString(c.model));
    loader_->setConfiguration(c.loader);
    loss_->setCurrentIndex(std::max(0, loss_->findData(QString::fromStdString(c.loss.name))));
    label_smoothing_->setValue(c.loss.label_smoothing);
    const auto& o = c.optimizer;
    optimizer_->setCurrentIndex(std::max(0, optimizer_->findData(QString::fromStdString(o.name))));
    lr_->setValue(o.lr);
    weight_decay_->setText(o.weight_decay ? numberText(*o.weight_decay) : QString());
    momentum_->setValue(o.momentum);
    dampening_->setValue(o.dampening);
    nesterov_->setChecked(o.nesterov);
    beta1_->setValue(o.betas[0]);
    beta2_->setValue(o.betas[1]);
    eps_->setText(numberText(o.eps));
    amsgrad_->setChecked(o.amsgrad);
    init_->setCurrentText(QString::fromStdString(c.init.scheme));
    init_std_->setValue(c.init.std);
    seed_->setText(QString::number(c.seed));
    eval_every_->setValue(static_cast<int>(std::min<std::int64_t>(c.eval_every, 1000000)));
    eval_limit_->setValue(c.eval_limit ? static_cast<int>(*c.eval_limit) : 0);
    updateVisibility();
    clearErrors();
    filling_ = false;
}

workflows::TrainingConfig TrainConfigForm::configuration() const {
    workflows::TrainingConfig c;
    c.model = model_->currentText() == kModelFile ? model_file_->text().trimmed().toStdString()
                                                  : model_->currentText().toStdString();
    c.loader = loader_->configuration();
    c.loss.name = loss_->currentData().toString().toStdString();
    if (c.loss.name == "cross_entropy") c.loss.label_smoothing = label_smoothing_->value();
    auto& o = c.optimizer;
    o.name = optimizer_->currentData().toString().toStdString();
    o.lr = lr_->value();
    if (!weight_decay_->text().trimmed().isEmpty())
        o.weight_decay = number(weight_decay_, "weight_decay");
    if (o.name == "sgd") {
        o.momentum = momentum_->value();
        o.dampening = dampening_->value();
        o.nesterov = nesterov_->isChecked();
    } else {
        o.betas = {beta1_->value(), beta2_->value()};
        o.eps = number(eps_, "eps");
        o.amsgrad = amsgrad_->isChecked();
    }
    c.init.scheme = init_->currentText().toStdString();
    c.init.std = init_std_->value();
    bool ok = false;
    c.seed = seed_->text().trimmed().toULongLong(&ok);
    if (!ok)
        throw ConfigError("seed", "{seed} must be a whole number from 0 to 2^64-1, got '" +
                                      ConfigError::literal(seed_->text().toStdString()) + "'");
    c.eval_every = eval_every_->value();
    if (eval_limit_->value() > 0) c.eval_limit = eval_limit_->value();
    return c;
}

std::optional<workflows::TrainingConfig> TrainConfigForm::validConfiguration() {
    clearErrors();
    const auto loader = loader_->validConfiguration(); // shows its own errors
    try {
        auto c = configuration();
        if (c.model.empty()) throw ConfigError("model", "choose a {model} file to train");
        if (!loader) {
            workflows::validate(c.optimizer); // its errors too, when the loader has one
            return std::nullopt;
        }
        c.loader = *loader;
        workflows::validate(c);
        return c;
    } catch (const ConfigError& e) {
        showError(e.field(), QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

void TrainConfigForm::showError(const std::string& name, const QString& message) {
    // The field itself or its last component ("optimizer.lr" -> "lr"), else the loader's.
    auto it = fields_.find(name);
    if (it == fields_.end()) it = fields_.find(name.substr(name.rfind('.') + 1));
    if (it == fields_.end() && name.rfind("optimizer.", 0) == 0) it = fields_.find("optimizer");
    if (it != fields_.end()) {
        it->second->setError(message);
        return;
    }
    if (name.empty()) {
        other_error_->setText(message);
        other_error_->show();
        return;
    }
    loader_->showError(name, message);
}

void TrainConfigForm::clearErrors() {
    for (auto& [name, f] : fields_)
        f->setError({});
    other_error_->clear();
    other_error_->hide();
    loader_->clearErrors();
}

QString TrainConfigForm::errorText() const {
    QStringList lines;
    for (const auto& [name, f] : fields_)
        if (!f->error().isEmpty()) lines << f->error();
    if (!other_error_->text().isEmpty()) lines << other_error_->text();
    const QString loader = loader_->errorText();
    if (!loader.isEmpty()) lines << loader;
    return lines.join(u'\n');
}

} // namespace nnscope::ui
