#include "ui/pages/lab_page.h"

#include "data/config_error.h"
#include "data/loader_config_json.h"
#include "ui/models/lab_batch_model.h"

#include <QDir>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <nlohmann/json.hpp>

namespace nnscope::ui {

namespace {

// Classes listed in the summary line before it says "…".
constexpr int kClassesShown = 12;

// "1 batch", "16 batches" (no translations are loaded, so tr's %n plural would show "(es)").
QString counted(std::int64_t n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(LabPage::tr(n == 1 ? one : many));
}

QString describe(const workflows::LoaderSummary& s) {
    QStringList parts;
    parts << LabPage::tr("%1 (%2 samples)")
                 .arg(QString::fromStdString(s.dataset))
                 .arg(s.dataset_size);
    parts << counted(s.epochs, "epoch", "epochs");
    parts << counted(s.batches, "batch", "batches");
    parts << counted(s.samples, "sample drawn", "samples drawn");
    parts << counted(s.duplicates, "duplicate", "duplicates");
    QStringList classes;
    for (const auto& [label, count] : s.per_class) {
        if (classes.size() == kClassesShown) {
            classes << QStringLiteral("…");
            break;
        }
        classes << QStringLiteral("%1: %2").arg(label).arg(count);
    }
    QString text = parts.join(QStringLiteral(" · "));
    if (!classes.isEmpty())
        text += QLatin1Char('\n') + LabPage::tr("per class  ") + classes.join(QStringLiteral("  "));
    for (const auto& w : s.warnings)
        text += QLatin1Char('\n') + LabPage::tr("warning: %1").arg(QString::fromStdString(w));
    return text;
}

} // namespace

LabPage::LabPage(QWidget* parent)
    : Workspace(parent)
    , jobs_(QStringLiteral("nnscope lab")) {
    setObjectName(QStringLiteral("labPage"));
    batch_model_ = new LabBatchModel(this);
    jobs_.add<session::LoaderSimulationJob>();
    jobs_.start();
    buildLayout();
    connectJobs();
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &LabPage::simulate);
    connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
        due_ = true;
        if (isVisible()) debounce_.start();
    });
    editor_->setPlainText(defaultConfiguration());
}

LabPage::~LabPage() {
    jobs_.stop(); // before the model it reports to goes away
}

QString LabPage::defaultConfiguration() {
    nlohmann::ordered_json j;
    if (QDir(QStringLiteral("/usr/share/datasets/fashion-mnist")).exists()) {
        j["dataset"] = "fashion-mnist";
        j["batch_size"] = 16;
        j["sampler"] = {{"kind", "random"}, {"num_samples", 256}};
    } else {
        j["dataset"] = "range:100";
        j["batch_size"] = 8;
        j["shuffle"] = true;
    }
    j["generator"] = 0;
    j["epochs"] = 2;
    return QString::fromStdString(j.dump(2)) + QLatin1Char('\n');
}

void LabPage::buildLayout() {
    auto* left = new QWidget(this);
    auto* left_layout = new QVBoxLayout(left);
    left_layout->setContentsMargins(6, 6, 0, 6);
    auto* editor_title =
        new QLabel(tr("Configuration A (JSON, DataLoader's argument names)"), left);
    editor_ = new QPlainTextEdit(left);
    editor_->setObjectName(QStringLiteral("labConfigEditor"));
    editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    editor_->setLineWrapMode(QPlainTextEdit::NoWrap);
    error_label_ = new QLabel(left);
    error_label_->setObjectName(QStringLiteral("labConfigError"));
    error_label_->setWordWrap(true);
    error_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_label_->setStyleSheet(QStringLiteral("color: #d04040;"));
    error_label_->hide();
    left_layout->addWidget(editor_title);
    left_layout->addWidget(editor_, 1);
    left_layout->addWidget(error_label_);

    auto* right = new QWidget(this);
    auto* right_layout = new QVBoxLayout(right);
    right_layout->setContentsMargins(0, 6, 6, 6);
    summary_label_ = new QLabel(right);
    summary_label_->setObjectName(QStringLiteral("labSummary"));
    summary_label_->setWordWrap(true);
    summary_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    batch_table_ = new QTableView(right);
    batch_table_->setObjectName(QStringLiteral("labBatchTable"));
    batch_table_->setModel(batch_model_);
    batch_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    batch_table_->setAlternatingRowColors(true);
    batch_table_->setWordWrap(false);
    batch_table_->verticalHeader()->hide();
    batch_table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // Epoch and batch as wide as their numbers, the indices take the room left, the labels
    // (one digit or two each) a fixed share the user can drag.
    QHeaderView* header = batch_table_->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(LabBatchModel::Epoch, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LabBatchModel::Batch, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LabBatchModel::Indices, QHeaderView::Stretch);
    header->setSectionResizeMode(LabBatchModel::Labels, QHeaderView::Interactive);
    batch_table_->setColumnWidth(LabBatchModel::Labels,
                                 fontMetrics().horizontalAdvance(QStringLiteral("0, ")) * 20);
    right_layout->addWidget(summary_label_);
    right_layout->addWidget(batch_table_, 1);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->addWidget(left);
    splitter_->addWidget(right);
    splitter_->setStretchFactor(0, 2);
    splitter_->setStretchFactor(1, 5);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter_);
}

void LabPage::connectJobs() {
    using session::LoaderSimulationJob;
    jobs_.on<LoaderSimulationJob, session::LoaderStarted>(this, [this](const auto& started) {
        batch_model_->clear();
        partial_ = true;
        summary_label_->setText(tr("Simulating %1 (%2 samples)…")
                                    .arg(QString::fromStdString(started.dataset))
                                    .arg(started.dataset_size));
    });
    jobs_.on<LoaderSimulationJob, session::LoaderBatchesPtr>(
        this, [this](const session::LoaderBatchesPtr& chunk) { batch_model_->append(chunk); });
    jobs_.on<LoaderSimulationJob, workflows::LoaderSummary>(this, [this](const auto& summary) {
        waiting_ = false;
        partial_ = false;
        summary_label_->setText(describe(summary));
        setBusy(false, tr("Simulated %1").arg(counted(summary.batches, "batch", "batches")));
        emit simulationFinished();
    });
    jobs_.on<LoaderSimulationJob, session::LoaderFailed>(this, [this](const auto& failed) {
        waiting_ = false;
        notePartial();
        showError(QString::fromStdString(failed.message));
    });
}

void LabPage::showEvent(QShowEvent* event) {
    Workspace::showEvent(event);
    if (due_ && !debounce_.isActive()) debounce_.start();
}

void LabPage::simulate() {
    due_ = false;
    data::DataLoaderConfig config;
    try {
        config = data::loader_config_from_json(
            nlohmann::json::parse(editor_->toPlainText().toStdString()));
    } catch (const nlohmann::json::exception& e) {
        stopSimulation();
        showError(tr("JSON: %1").arg(QString::fromUtf8(e.what())));
        return;
    } catch (const data::ConfigError& e) {
        stopSimulation();
        showError(QString::fromStdString(e.what()));
        return;
    }
    error_label_->hide();
    error_label_->clear();
    waiting_ = true;
    setBusy(true, tr("Simulating the DataLoader…"));
    jobs_.request<session::LoaderSimulationJob>(config);
}

void LabPage::showError(const QString& message) {
    error_label_->setText(message);
    error_label_->show();
    setBusy(false, tr("Configuration A: %1").arg(message));
    emit simulationFailed(message);
}

void LabPage::setConfigurationText(const QString& json) {
    editor_->setPlainText(json);
}

QString LabPage::configurationText() const {
    return editor_->toPlainText();
}

QString LabPage::errorText() const {
    return error_label_->text();
}

QString LabPage::summaryText() const {
    return summary_label_->text();
}

bool LabPage::isSimulating() const {
    return waiting_ || debounce_.isActive();
}

void LabPage::stopSimulation() {
    jobs_.cancel<session::LoaderSimulationJob>();
    waiting_ = false;
    notePartial();
}

void LabPage::notePartial() {
    if (!partial_) return;
    partial_ = false;
    summary_label_->setText(tr("Stopped after %1; the table shows them.")
                                .arg(counted(batch_model_->rowCount(), "batch", "batches")));
}

void LabPage::cancel() {
    debounce_.stop();
    due_ = false;
    stopSimulation();
    setBusy(false, tr("Simulation cancelled"));
}

void LabPage::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("labSplitter"), splitter_->saveState());
}

void LabPage::restoreState(QSettings& settings) {
    splitter_->restoreState(settings.value(QStringLiteral("labSplitter")).toByteArray());
}

void LabPage::shutdown() {
    debounce_.stop();
    stopSimulation();
}

} // namespace nnscope::ui
