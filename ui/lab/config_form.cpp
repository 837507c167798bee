#include "ui/lab/config_form.h"

#include "data/transforms/parse_transform.h"
#include "ui/lab/field_error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <limits>

namespace nnscope::ui {

namespace {

constexpr int kMaxInt = std::numeric_limits<int>::max();

// Widgets side by side without margins, the last one's stretch filling the rest.
QWidget* row(std::initializer_list<QWidget*> widgets) {
    auto* w = new QWidget;
    auto* layout = new QHBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* x : widgets)
        layout->addWidget(x);
    layout->addStretch(1);
    return w;
}

QLabel* caption(const QString& text) {
    return new QLabel(text);
}

QSpinBox* spin(const char* name, int min, int max, const QString& special = {}) {
    auto* s = new QSpinBox;
    s->setObjectName(QString::fromLatin1(name));
    s->setRange(min, max);
    s->setSpecialValueText(special);
    s->setAccelerated(true);
    return s;
}

QCheckBox* check(const char* name, const QString& text) {
    auto* c = new QCheckBox(text);
    c->setObjectName(QString::fromLatin1(name));
    return c;
}

QLineEdit* line(const char* name, const QString& placeholder) {
    auto* e = new QLineEdit;
    e->setObjectName(QString::fromLatin1(name));
    e->setPlaceholderText(placeholder);
    e->setClearButtonEnabled(false);
    return e;
}

// A seed: digits, or nothing.
QLineEdit* seed(const char* name, const QString& placeholder) {
    auto* e = line(name, placeholder);
    e->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{0,20}")), e));
    e->setMaximumWidth(e->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 12);
    return e;
}

QComboBox* combo(const char* name, const QStringList& items) {
    auto* c = new QComboBox;
    c->setObjectName(QString::fromLatin1(name));
    c->addItems(items);
    return c;
}

} // namespace

ConfigForm::ConfigForm(QWidget* parent)
    : QWidget(parent) {
    build();
    watch();
    setConfiguration(data::DataLoaderConfig{});
}

FieldError* ConfigForm::field(const std::string& name, QWidget* editor) {
    auto* f = new FieldError(editor, this);
    fields_[name] = f;
    return f;
}

void ConfigForm::build() {
    dataset_ = combo("dataset",
                     {QStringLiteral("range:1000"), QStringLiteral("range:1000:mod=10"),
                      QStringLiteral("range:1000:imbalanced=4"), QStringLiteral("fashion-mnist"),
                      QStringLiteral("mnist:PATH"), QStringLiteral("ag-news:PATH")});
    dataset_->setEditable(true);
    dataset_->setInsertPolicy(QComboBox::NoInsert);
    dataset_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    dataset_->setToolTip(tr("range:N[:mod=K|:imbalanced=K], fashion-mnist[:PATH], mnist:PATH or "
                            "ag-news:PATH"));
    browse_ = new QToolButton;
    browse_->setText(QStringLiteral("…"));
    browse_->setToolTip(tr("Choose the data set's folder"));
    auto* dataset_row = new QWidget;
    auto* dataset_layout = new QHBoxLayout(dataset_row);
    dataset_layout->setContentsMargins(0, 0, 0, 0);
    dataset_layout->addWidget(dataset_, 1);
    dataset_layout->addWidget(browse_);
    split_ = combo("split", {tr("train"), tr("test")});
    part_ = combo("part", {tr("whole"), tr("Subset"), tr("random_split")});
    batch_size_ = spin("batch_size", 0, kMaxInt, tr("None"));
    epochs_ = spin("epochs", 1, 1000);
    generator_ = seed("generator", tr("none"));
    shuffle_ = check("shuffle", QStringLiteral("shuffle"));
    drop_last_ = check("drop_last", QStringLiteral("drop_last"));
    sampler_ = combo(
        "sampler", {QStringLiteral("default"), QStringLiteral("SequentialSampler"),
                    QStringLiteral("RandomSampler"), QStringLiteral("SubsetRandomSampler"),
                    QStringLiteral("WeightedRandomSampler"), QStringLiteral("DistributedSampler")});
    batch_sampler_ = check("batch_sampler", QStringLiteral("BatchSampler"));
    batch_sampler_size_ = spin("batch_sampler.batch_size", 1, kMaxInt);
    batch_sampler_drop_last_ = check("batch_sampler.drop_last", QStringLiteral("drop_last"));
    transform_ = line("transform", tr("e.g. Compose([RandomCrop(28, padding=4), ToTensor()])"));
    more_button_ = new QToolButton;
    more_button_->setObjectName(QStringLiteral("more"));
    more_button_->setText(tr("More"));
    more_button_->setCheckable(true);
    more_button_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    more_button_->setAutoRaise(true);
    other_error_ = new QLabel(this);
    other_error_->setObjectName(QStringLiteral("otherError"));
    other_error_->setWordWrap(true);
    other_error_->setStyleSheet(QStringLiteral("color: #d04040;"));
    other_error_->hide();

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setVerticalSpacing(3);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    int r = 0;
    grid->addWidget(caption(tr("Data set")), r, 0);
    grid->addWidget(field("dataset", dataset_row), r++, 1, 1, 3);
    grid->addWidget(caption(tr("Split")), r, 0);
    grid->addWidget(field("split", split_), r, 1);
    grid->addWidget(caption(tr("Part")), r, 2);
    grid->addWidget(field("part", part_), r++, 3);
    grid->addWidget(field("part.args", buildPartPages()), r++, 0, 1, 4);
    grid->addWidget(caption(tr("Batch size")), r, 0);
    grid->addWidget(field("batch_size", batch_size_), r, 1);
    grid->addWidget(caption(tr("Epochs")), r, 2);
    grid->addWidget(field("epochs", epochs_), r++, 3);
    grid->addWidget(caption(tr("Generator")), r, 0);
    grid->addWidget(field("generator", generator_), r, 1);
    grid->addWidget(row({field("shuffle", shuffle_), field("drop_last", drop_last_)}), r++, 2, 1,
                    2);
    grid->addWidget(caption(tr("Sampler")), r, 0);
    grid->addWidget(field("sampler", sampler_), r++, 1, 1, 3);
    grid->addWidget(field("sampler.args", buildSamplerPages()), r++, 0, 1, 4);
    grid->addWidget(field("batch_sampler", row({batch_sampler_, caption(tr("size")),
                                                batch_sampler_size_, batch_sampler_drop_last_})),
                    r++, 0, 1, 4);
    grid->addWidget(caption(tr("Transform")), r, 0);
    grid->addWidget(field("transform", transform_), r++, 1, 1, 3);
    grid->addWidget(more_button_, r++, 0, 1, 4);
    grid->addWidget(buildMore(), r++, 0, 1, 4);
    grid->addWidget(other_error_, r++, 0, 1, 4);
}

QWidget* ConfigForm::buildPartPages() {
    part_pages_ = new QStackedWidget;
    part_pages_->addWidget(new QWidget);
    subset_ = line("part.indices", tr("indices: begin:end or i, j, k"));
    part_pages_->addWidget(subset_);
    split_lengths_ = line("part.lengths", tr("lengths: 0.8, 0.2 or 800, 200"));
    split_seed_ = seed("part.seed", QStringLiteral("0"));
    split_part_ = spin("part.part", 0, 1000);
    part_pages_->addWidget(
        row({split_lengths_, caption(tr("seed")), split_seed_, caption(tr("part")), split_part_}));
    split_lengths_->setMinimumWidth(
        split_lengths_->fontMetrics().horizontalAdvance(QStringLiteral("0.8, 0.1, 0.1  ")));
    return part_pages_;
}

QWidget* ConfigForm::buildSamplerPages() {
    sampler_pages_ = new QStackedWidget;
    sampler_pages_->addWidget(new QWidget); // default
    sampler_pages_->addWidget(new QWidget); // sequential
    random_replacement_ = check("sampler.replacement", QStringLiteral("replacement"));
    random_num_samples_ = spin("sampler.num_samples", 0, kMaxInt, tr("len(data)"));
    sampler_pages_->addWidget(
        row({random_replacement_, caption(QStringLiteral("num_samples")), random_num_samples_}));
    subset_indices_ = line("sampler.indices", tr("indices: begin:end or i, j, k (empty: all)"));
    sampler_pages_->addWidget(subset_indices_);
    weights_kind_ = combo("sampler.weights.kind",
                          {tr("class-balanced"), tr("per sample"), tr("per class"), tr("listed")});
    weights_ = line("sampler.weights", tr("weights: 1, 0.5, …"));
    weighted_num_samples_ = spin("sampler.weighted.num_samples", 0, kMaxInt, tr("len(data)"));
    weighted_replacement_ = check("sampler.weighted.replacement", QStringLiteral("replacement"));
    auto* weighted = new QWidget;
    auto* wl = new QGridLayout(weighted);
    wl->setContentsMargins(0, 0, 0, 0);
    wl->addWidget(weights_kind_, 0, 0);
    wl->addWidget(weights_, 0, 1, 1, 2);
    wl->addWidget(caption(QStringLiteral("num_samples")), 1, 0);
    wl->addWidget(weighted_num_samples_, 1, 1);
    wl->addWidget(weighted_replacement_, 1, 2);
    sampler_pages_->addWidget(weighted);
    replicas_ = spin("sampler.num_replicas", 1, 4096);
    rank_ = spin("sampler.rank", 0, 4095);
    distributed_shuffle_ = check("sampler.shuffle", QStringLiteral("shuffle"));
    distributed_seed_ = seed("sampler.seed", QStringLiteral("0"));
    distributed_drop_last_ = check("sampler.drop_last", QStringLiteral("drop_last"));
    distributed_epoch_ = spin("sampler.epoch", 0, 1000000);
    set_epoch_ = check("sampler.set_epoch", QStringLiteral("set_epoch"));
    set_epoch_->setToolTip(tr("sampler.set_epoch(epoch) before each epoch; off: forgotten"));
    auto* distributed = new QWidget;
    auto* dl = new QGridLayout(distributed);
    dl->setContentsMargins(0, 0, 0, 0);
    dl->setVerticalSpacing(3);
    dl->addWidget(caption(QStringLiteral("num_replicas")), 0, 0);
    dl->addWidget(replicas_, 0, 1);
    dl->addWidget(caption(QStringLiteral("rank")), 0, 2);
    dl->addWidget(rank_, 0, 3);
    dl->addWidget(caption(QStringLiteral("seed")), 1, 0);
    dl->addWidget(distributed_seed_, 1, 1);
    dl->addWidget(caption(QStringLiteral("epoch")), 1, 2);
    dl->addWidget(distributed_epoch_, 1, 3);
    dl->addWidget(row({distributed_shuffle_, distributed_drop_last_, set_epoch_}), 2, 0, 1, 4);
    sampler_pages_->addWidget(distributed);
    return sampler_pages_;
}

QWidget* ConfigForm::buildMore() {
    more_ = new QWidget;
    more_->setObjectName(QStringLiteral("moreSection"));
    num_workers_ = spin("num_workers", -1, 64);
    collate_ = combo("collate_fn", {QStringLiteral("default"), QStringLiteral("padding"),
                                    QStringLiteral("offsets")});
    pin_memory_ = check("pin_memory", QStringLiteral("pin_memory"));
    timeout_ = new QDoubleSpinBox;
    timeout_->setObjectName(QStringLiteral("timeout"));
    timeout_->setRange(-1, 1e6);
    timeout_->setDecimals(1);
    worker_init_ = combo("worker_init_fn", {QStringLiteral("none"), tr("seed numpy per worker")});
    prefetch_ = spin("prefetch_factor", 0, 1000);
    persistent_ = check("persistent_workers", QStringLiteral("persistent_workers"));
    auto* grid = new QGridLayout(more_);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setVerticalSpacing(3);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->addWidget(caption(QStringLiteral("num_workers")), 0, 0);
    grid->addWidget(field("num_workers", num_workers_), 0, 1);
    grid->addWidget(caption(QStringLiteral("prefetch_factor")), 0, 2);
    grid->addWidget(field("prefetch_factor", prefetch_), 0, 3);
    grid->addWidget(caption(QStringLiteral("collate_fn")), 1, 0);
    grid->addWidget(field("collate_fn", collate_), 1, 1);
    grid->addWidget(caption(QStringLiteral("timeout")), 1, 2);
    grid->addWidget(field("timeout", timeout_), 1, 3);
    grid->addWidget(caption(QStringLiteral("worker_init_fn")), 2, 0);
    grid->addWidget(field("worker_init_fn", worker_init_), 2, 1, 1, 3);
    grid->addWidget(
        row({field("pin_memory", pin_memory_), field("persistent_workers", persistent_)}), 3, 0, 1,
        4);
    return more_;
}

void ConfigForm::watch() {
    const auto typed = [this] { changed(true); };
    const auto chosen = [this] { changed(false); };
    for (QLineEdit* e : findChildren<QLineEdit*>()) {
        if (qobject_cast<QAbstractSpinBox*>(e->parentWidget())) continue; // a spin box's own
        connect(e, &QLineEdit::textEdited, this, typed);
    }
    for (QComboBox* c : findChildren<QComboBox*>())
        connect(c, &QComboBox::currentIndexChanged, this, chosen);
    for (QSpinBox* s : findChildren<QSpinBox*>())
        connect(s, &QSpinBox::valueChanged, this, chosen);
    connect(timeout_, &QDoubleSpinBox::valueChanged, this, chosen);
    for (QCheckBox* c : findChildren<QCheckBox*>())
        connect(c, &QCheckBox::toggled, this, chosen);
    connect(browse_, &QToolButton::clicked, this, &ConfigForm::chooseDatasetPath);
    connect(more_button_, &QToolButton::toggled, this, [this] { updateVisibility(); });
}

void ConfigForm::changed(bool typing) {
    updateVisibility();
    if (!filling_) emit edited(typing);
}

void ConfigForm::updateVisibility() {
    part_pages_->setCurrentIndex(part_->currentIndex());
    fields_.at("part.args")->setVisible(part_->currentIndex() != 0);
    const int sampler = sampler_->currentIndex();
    sampler_pages_->setCurrentIndex(sampler);
    fields_.at("sampler.args")->setVisible(sampler >= 2);
    weights_->setEnabled(weights_kind_->currentIndex() != 0);
    batch_sampler_size_->setEnabled(batch_sampler_->isChecked());
    batch_sampler_drop_last_->setEnabled(batch_sampler_->isChecked());
    more_button_->setArrowType(more_button_->isChecked() ? Qt::DownArrow : Qt::RightArrow);
    more_->setVisible(more_button_->isChecked());
}

void ConfigForm::chooseDatasetPath() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Data set folder"));
    if (dir.isEmpty()) return;
    QString kind = dataset_->currentText().section(QLatin1Char(':'), 0, 0);
    if (kind != QStringLiteral("ag-news") && kind != QStringLiteral("fashion-mnist"))
        kind = QStringLiteral("mnist");
    dataset_->setEditText(kind + QLatin1Char(':') + dir);
    changed(false);
}

bool ConfigForm::moreShown() const {
    return more_button_->isChecked();
}

void ConfigForm::setMoreShown(bool shown) {
    more_button_->setChecked(shown);
}

void ConfigForm::showError(const std::string& name, const QString& message) {
    // The field itself, else the nearest enclosing one ("sampler.weights" -> "sampler.args").
    std::string key = name;
    while (!fields_.count(key)) {
        const auto dot = key.rfind('.');
        if (dot == std::string::npos) break;
        key = key.substr(0, dot);
        if (fields_.count(key + ".args")) key += ".args";
    }
    const auto it = fields_.find(key);
    if (it == fields_.end()) {
        other_error_->setText(message);
        other_error_->show();
        return;
    }
    if (more_->isAncestorOf(it->second)) setMoreShown(true);
    it->second->setError(message);
}

void ConfigForm::clearErrors() {
    for (auto& [name, f] : fields_)
        f->setError({});
    other_error_->clear();
    other_error_->hide();
}

QString ConfigForm::errorText() const {
    QStringList lines;
    for (const auto& [name, f] : fields_)
        if (!f->error().isEmpty()) lines << f->error();
    if (!other_error_->text().isEmpty()) lines << other_error_->text();
    return lines.join(QLatin1Char('\n'));
}

} // namespace nnscope::ui
