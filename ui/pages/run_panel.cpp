// The Run panel's widgets and the request they describe.

#include "ui/pages/run_panel.h"

#include "data/loader_config_json.h"
#include "session/session_controller.h"
#include "ui/app_paths.h"
#include "ui/pages/architecture_picker.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace nnscope::ui {

namespace {

// "0.485, 0.456, 0.406" -> the numbers; throws naming the field when one is not a number.
std::vector<double> parse_numbers(const QString& text, const char* field) {
    std::vector<double> values;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            throw std::invalid_argument(std::string(field) + ": '" + part.trimmed().toStdString() +
                                        "' is not a number");
        values.push_back(v);
    }
    if (values.empty()) throw std::invalid_argument(std::string(field) + " is empty");
    return values;
}

// uint8 [3, H, W] of an image file decoded by Qt (PNG, JPEG, ...; alpha dropped).
Tensor decode_image(const QString& path) {
    QImage image(path);
    if (image.isNull())
        throw std::invalid_argument(QStringLiteral("%1 is not an image Qt can read")
                                        .arg(QFileInfo(path).fileName())
                                        .toStdString());
    image = image.convertToFormat(QImage::Format_RGB888);
    const std::int64_t h = image.height(), w = image.width();
    Tensor pixels = Tensor::empty({3, h, w}, DType::UInt8);
    auto* out = pixels.data_ptr<std::uint8_t>();
    for (std::int64_t y = 0; y < h; ++y) {
        const uchar* row = image.constScanLine(static_cast<int>(y));
        for (std::int64_t x = 0; x < w; ++x)
            for (std::int64_t c = 0; c < 3; ++c)
                out[(c * h + y) * w + x] = row[x * 3 + c];
    }
    return pixels;
}

} // namespace

RunPanel::RunPanel(session::SessionController& session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {
    setObjectName(QStringLiteral("runPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    buildInputs();
    buildOutputs();
    auto& jobs = session_.jobs();
    jobs.on<session::RunModelJob, session::RunModelResultPtr>(
        this, [this](const session::RunModelResultPtr& r) { showResult(r); });
    jobs.on<session::RunModelJob, session::RunModelFailed>(
        this, [this](const session::RunModelFailed& f) { showFailure(f.message); });
    updateEnabled();
}

void RunPanel::buildInputs() {
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Label and picker span the pane, each on its own line: the pane is narrow at 1024 px.
    architecture_ = new ArchitecturePicker(this);
    form->addRow(new QLabel(tr("Architecture (for a state_dict)"), this));
    form->addRow(architecture_);
    input_combo_ = new QComboBox(this);
    input_combo_->addItems(
        {tr("Random tensor"), tr("Image file"), tr("Tensor file"), tr("Dataset sample")});
    input_combo_->setToolTip(tr("Random: a normal tensor of the model's input shape. Image: PNG "
                                "or JPEG, preprocessed as below. Tensor file: a safetensors "
                                "file's \"input\" (or only) tensor. Dataset sample: a sample of "
                                "the data set a DataLoader configuration (JSON, as the lab saves "
                                "it) names, through its transform."));
    form->addRow(tr("Input"), input_combo_);
    path_edit_ = new QLineEdit(this);
    path_edit_->setPlaceholderText(tr("File…"));
    browse_button_ = new QPushButton(tr("…"), this);
    browse_button_->setToolTip(tr("Choose the input file"));
    auto* path_row = new QHBoxLayout;
    path_row->addWidget(path_edit_, 1);
    path_row->addWidget(browse_button_);
    form->addRow(tr("File"), path_row);
    sample_spin_ = new QSpinBox(this);
    sample_spin_->setRange(0, std::numeric_limits<int>::max());
    sample_spin_->setToolTip(tr("The index of the data set sample (of the configured part of the "
                                "data set, before any sampler)"));
    form->addRow(tr("Sample"), sample_spin_);
    preset_combo_ = new QComboBox(this);
    preset_combo_->addItems(
        {QStringLiteral("imagenet"), QStringLiteral("none"), QStringLiteral("custom")});
    preset_combo_->setToolTip(tr("imagenet: resize 256, crop 224, torchvision's mean and std. "
                                 "none: the pixels / 255 as they are."));
    form->addRow(tr("Preset"), preset_combo_);

    custom_box_ = new QWidget(this);
    auto* custom = new QFormLayout(custom_box_);
    custom->setContentsMargins(0, 0, 0, 0);
    resize_spin_ = new QSpinBox(custom_box_);
    resize_spin_->setRange(0, 4096);
    resize_spin_->setSpecialValueText(tr("keep"));
    resize_spin_->setValue(256);
    crop_spin_ = new QSpinBox(custom_box_);
    crop_spin_->setRange(0, 4096);
    crop_spin_->setSpecialValueText(tr("none"));
    crop_spin_->setValue(224);
    mean_edit_ = new QLineEdit(QStringLiteral("0.485, 0.456, 0.406"), custom_box_);
    std_edit_ = new QLineEdit(QStringLiteral("0.229, 0.224, 0.225"), custom_box_);
    custom->addRow(tr("Resize"), resize_spin_);
    custom->addRow(tr("Crop"), crop_spin_);
    custom->addRow(tr("Mean"), mean_edit_);
    custom->addRow(tr("Std"), std_edit_);
    form->addRow(custom_box_);

    backward_combo_ = new QComboBox(this);
    backward_combo_->addItems({tr("None"), tr("Class score"), tr("Loss vs label")});
    backward_combo_->setToolTip(tr("Forward only, or a backward from the score of a class or from "
                                   "the cross-entropy loss against a label"));
    target_spin_ = new QSpinBox(this);
    target_spin_->setRange(0, 1'000'000);
    target_spin_->setToolTip(tr("The class whose score is differentiated, or the label of the "
                                "cross-entropy loss; \"label\" (below 0) is the data set "
                                "sample's own"));
    form->addRow(tr("Backward"), backward_combo_);
    form->addRow(tr("Class"), target_spin_); // one row each: the pane is narrow at 1024 px
    topk_spin_ = new QSpinBox(this);
    topk_spin_->setRange(1, 20);
    topk_spin_->setValue(5);
    topk_spin_->setToolTip(tr("How many of the most likely classes the predictions list"));
    form->addRow(tr("Top-k"), topk_spin_);

    run_button_ = new QPushButton(tr("Run"), this);
    run_button_->setObjectName(QStringLiteral("runButton"));
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_button_, 1);
    buttons->addWidget(cancel_button_);
    form->addRow(buttons);
    static_cast<QVBoxLayout*>(layout())->addLayout(form);
    // The pane is narrow at 1024 px: the choices shrink (elided) before the labels are cut.
    for (QComboBox* combo : {input_combo_, preset_combo_, backward_combo_}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(6);
    }
    browse_button_->setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("……")) + 16);
    for (QSpinBox* spin : {target_spin_, topk_spin_, sample_spin_})
        spin->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("1000000")) + 32);

    connect(input_combo_, &QComboBox::currentIndexChanged, this, [this] { inputKindChanged(); });
    connect(preset_combo_, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); });
    connect(backward_combo_, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); });
    connect(browse_button_, &QPushButton::clicked, this, [this] { browse(); });
    connect(topk_spin_, &QSpinBox::valueChanged, this, [this] { fitPredictions(); });
    connect(run_button_, &QPushButton::clicked, this, [this] { run(); });
    connect(cancel_button_, &QPushButton::clicked, this, [this] { cancelRun(); });
}

void RunPanel::buildOutputs() {
    auto* layout = static_cast<QVBoxLayout*>(this->layout());
    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("runMessage"));
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(message_);
    show_combo_ = new QComboBox(this);
    show_combo_->addItems({tr("Module output"), tr("Output gradient"), tr("Stored tensors")});
    show_combo_->setToolTip(tr("What the plots show for the module selected in the tree"));
    auto* show_row = new QFormLayout;
    show_row->addRow(tr("Plots show"), show_combo_);
    layout->addLayout(show_row);
    connect(show_combo_, &QComboBox::currentIndexChanged, this, [this] { emit showChanged(); });
    predictions_ = new QTreeWidget(this);
    predictions_->setObjectName(QStringLiteral("predictions"));
    predictions_->setRootIsDecorated(false);
    predictions_->setUniformRowHeights(true);
    predictions_->setHeaderLabels({tr("#"), tr("Class"), tr("Prob."), tr("Score")});
    predictions_->header()->setStretchLastSection(false);
    predictions_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    predictions_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    predictions_->setTextElideMode(Qt::ElideRight);
    layout->addWidget(predictions_);
    fitPredictions();
    show_combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    show_combo_->setMinimumContentsLength(6);
    auto* caption = new QLabel(tr("Input, saliency blended over it after a backward"), this);
    caption->setWordWrap(true);
    layout->addWidget(caption);
    saliency_ = new QLabel(this);
    saliency_->setObjectName(QStringLiteral("saliency"));
    saliency_->setAlignment(Qt::AlignHCenter | Qt::AlignTop); // under its caption
    saliency_->setMinimumSize(64, 64);
    saliency_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    layout->addWidget(saliency_, 1);
}

void RunPanel::inputKindChanged() {
    // A data set sample's class is its label unless another is chosen; other inputs have none.
    const bool dataset = input_combo_->currentIndex() == int(InputKind::DatasetSample);
    target_spin_->setMinimum(dataset ? kLabel : 0);
    // A spin box shows its special text at its minimum: "label" only where -1 is the minimum.
    target_spin_->setSpecialValueText(dataset ? tr("label") : QString());
    if (dataset) target_spin_->setValue(kLabel);
    updateEnabled();
}

void RunPanel::fitPredictions() {
    // Room for the rows of the top-k and the header, no more: the saliency takes the rest. Past
    // kTopkRows rows the list scrolls.
    constexpr int kTopkRows = 8;
    const int rows = std::min(topk_spin_->value(), kTopkRows);
    predictions_->setFixedHeight((rows + 2) * (fontMetrics().height() + 4) + 4);
}

void RunPanel::updateEnabled() {
    const auto kind = static_cast<InputKind>(input_combo_->currentIndex());
    const bool file = kind != InputKind::Random;
    path_edit_->setEnabled(file);
    browse_button_->setEnabled(file);
    sample_spin_->setEnabled(kind == InputKind::DatasetSample);
    preset_combo_->setEnabled(kind == InputKind::Image);
    custom_box_->setVisible(kind == InputKind::Image && preset_combo_->currentIndex() == 2);
    target_spin_->setEnabled(backward_combo_->currentIndex() != 0);
    run_button_->setEnabled(!model_file_.isEmpty());
    cancel_button_->setEnabled(running_);
}

void RunPanel::browse() {
    QString title = tr("Input tensor"), filter = tr("Safetensors (*.safetensors);;All files (*)");
    switch (static_cast<InputKind>(input_combo_->currentIndex())) {
    case InputKind::Image:
        title = tr("Input image");
        filter = tr("Images (*.png *.jpg *.jpeg *.bmp);;All files (*)");
        break;
    case InputKind::DatasetSample:
        title = tr("DataLoader configuration");
        filter = tr("DataLoader configurations (*.json);;All files (*)");
        break;
    case InputKind::Random:
    case InputKind::TensorFile:
        break;
    }
    const QString path = QFileDialog::getOpenFileName(this, title, path_edit_->text(), filter);
    if (!path.isEmpty()) path_edit_->setText(path);
}

void RunPanel::setModelFile(const QString& file) {
    if (running_) cancelRun();
    model_file_ = file;
    clearResult();
    showMessage(QString(), false);
    updateEnabled();
}

void RunPanel::setInput(InputKind kind, const QString& path) {
    input_combo_->setCurrentIndex(static_cast<int>(kind));
    path_edit_->setText(path);
}

void RunPanel::setSample(int index) {
    sample_spin_->setValue(index);
}

void RunPanel::setPreset(const QString& name) {
    const int i = preset_combo_->findText(name);
    if (i >= 0) preset_combo_->setCurrentIndex(i);
}

void RunPanel::setCustomPreprocess(int resize, int crop, const QString& mean, const QString& std) {
    resize_spin_->setValue(resize);
    crop_spin_->setValue(crop);
    mean_edit_->setText(mean);
    std_edit_->setText(std);
}

void RunPanel::setBackward(Backward backward, int target) {
    backward_combo_->setCurrentIndex(static_cast<int>(backward));
    target_spin_->setValue(target);
}

void RunPanel::setShow(Show show) {
    show_combo_->setCurrentIndex(static_cast<int>(show));
}

void RunPanel::setTopk(int k) {
    topk_spin_->setValue(k);
}

RunPanel::Show RunPanel::show() const {
    return static_cast<Show>(show_combo_->currentIndex());
}

workflows::ImagePreprocess RunPanel::preprocess() const {
    if (preset_combo_->currentIndex() != 2)
        return workflows::image_preset(preset_combo_->currentText().toStdString());
    workflows::ImagePreprocess p;
    p.resize = resize_spin_->value();
    p.crop = crop_spin_->value();
    p.mean = parse_numbers(mean_edit_->text(), "mean");
    p.std = parse_numbers(std_edit_->text(), "std");
    return p;
}

session::RunModelRequest RunPanel::request() const {
    using Input = session::RunModelRequest::Input;
    session::RunModelRequest r;
    r.model = model_file_.toStdString();
    r.architecture = architecture_->architecture();
    r.strict = architecture_->strict();
    const auto kind = static_cast<InputKind>(input_combo_->currentIndex());
    const QString path = path_edit_->text().trimmed();
    if (kind != InputKind::Random && path.isEmpty())
        throw std::invalid_argument("choose an input file first");
    r.input_path = path.toStdString();
    switch (kind) {
    case InputKind::Random:
        r.input = Input::Random;
        break;
    case InputKind::Image:
        r.input = Input::Image;
        r.preprocess = preprocess();
        r.image = decode_image(path);
        break;
    case InputKind::TensorFile:
        r.input = Input::TensorFile;
        break;
    case InputKind::DatasetSample:
        r.input = Input::DatasetSample;
        try {
            r.dataset = data::loader_config_from_file(path.toStdString());
        } catch (const std::exception& e) {
            throw std::invalid_argument(QFileInfo(path).fileName().toStdString() +
                                        " is not a DataLoader configuration: " + e.what());
        }
        r.sample = sample_spin_->value();
        break;
    }
    const int backward = backward_combo_->currentIndex();
    r.backward = backward == 0   ? workflows::BackwardFrom::None
                 : backward == 1 ? workflows::BackwardFrom::ClassScore
                                 : workflows::BackwardFrom::Loss;
    r.target = std::max(0, target_spin_->value());
    r.target_is_label = target_spin_->value() == kLabel;
    r.topk = topk_spin_->value();
    r.resources_dir = resourcesDir().toStdString();
    return r;
}

bool RunPanel::run() {
    if (model_file_.isEmpty()) {
        showMessage(tr("Open a model file first."), true);
        return false;
    }
    session::RunModelRequest r;
    try {
        r = request();
    } catch (const std::exception& e) {
        showMessage(tr("Cannot run: %1").arg(QString::fromStdString(e.what())), true);
        return false;
    }
    running_ = true;
    session_.jobs().request<session::RunModelJob>(std::move(r));
    showMessage(tr("Running %1…").arg(QFileInfo(model_file_).fileName()), false);
    updateEnabled();
    return true;
}

void RunPanel::cancelRun() {
    if (!running_) return;
    session_.jobs().cancel<session::RunModelJob>();
    running_ = false;
    showMessage(tr("Run cancelled."), false);
    updateEnabled();
}

} // namespace nnscope::ui
