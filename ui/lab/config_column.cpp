#include "ui/lab/config_column.h"

#include "session/loader_analysis_job.h"
#include "ui/lab/config_form.h"
#include "ui/lab/lab_views.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace nnscope::ui {

QString describe_analysis(const workflows::LoaderAnalysis& a) {
    std::int64_t dropped = 0;
    for (const auto& e : a.epochs)
        dropped += static_cast<std::int64_t>(e.dropped.size());
    const auto* first = a.epochs.empty() ? nullptr : &a.epochs.front();
    const auto per_epoch = first ? static_cast<std::int64_t>(first->batch_sizes.size()) : 0;
    QStringList parts;
    parts << ConfigColumn::tr("%1, %2 samples")
                 .arg(QString::fromStdString(a.dataset))
                 .arg(a.dataset_size);
    QString batches = ConfigColumn::tr("%1 batches per epoch").arg(per_epoch);
    if (per_epoch > 0)
        batches += ConfigColumn::tr(", the last of %1").arg(first->batch_sizes.back());
    parts << batches;
    parts << ConfigColumn::tr("%1 dropped").arg(dropped);
    parts << ConfigColumn::tr("%1 duplicates").arg(a.duplicates);
    parts << ConfigColumn::tr("%1 never drawn").arg(a.never_drawn);
    QString text = parts.join(QStringLiteral(" · "));
    for (const auto& w : a.warnings)
        text += QLatin1Char('\n') + ConfigColumn::tr("warning: %1").arg(QString::fromStdString(w));
    return text;
}

ConfigColumn::ConfigColumn(const QString& name, ViewFactory views, QWidget* parent)
    : QWidget(parent)
    , jobs_(QStringLiteral("nnscope lab ") + name) {
    setObjectName(QStringLiteral("labColumn"));
    jobs_.add<session::LoaderAnalysisJob>();
    jobs_.start();
    name_ = new QLabel(this);
    name_->setObjectName(QStringLiteral("labColumnName"));
    QFont bold = name_->font();
    bold.setBold(true);
    name_->setFont(bold);
    setName(name);
    form_ = new ConfigForm(this);
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("labSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("labViews"));
    tabs_->setDocumentMode(true);
    views_ = views ? views(tabs_) : make_lab_views(tabs_);
    for (LabView* v : views_) {
        tabs_->addTab(v, v->title());
        connect(v, &LabView::busyChanged, this, &ConfigColumn::busyChanged);
    }
    connect(tabs_, &QTabWidget::currentChanged, this, &ConfigColumn::busyChanged);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(name_);
    layout->addWidget(form_);
    layout->addWidget(summary_);
    layout->addWidget(tabs_, 1);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &ConfigColumn::apply);
    connect(form_, &ConfigForm::edited, this, &ConfigColumn::edited);
    jobs_.on<session::LoaderAnalysisJob, workflows::LoaderAnalysisPtr>(
        this, [this](const workflows::LoaderAnalysisPtr& a) { show(a); });
    jobs_.on<session::LoaderAnalysisJob, session::LoaderFailed>(
        this, [this](const session::LoaderFailed& f) {
            waiting_ = false;
            const QString message = QString::fromStdString(f.message);
            form_->showError(f.field, message);
            emit failed(message);
            emit busyChanged();
        });
}

ConfigColumn::~ConfigColumn() {
    jobs_.stop();
}

QString ConfigColumn::name() const {
    return name_->text();
}

void ConfigColumn::setName(const QString& name) {
    name_->setText(name);
}

void ConfigColumn::setConfiguration(const data::DataLoaderConfig& config) {
    debounce_.stop();
    form_->setConfiguration(config);
    apply();
}

void ConfigColumn::edited(bool typing) {
    if (typing)
        debounce_.start();
    else {
        debounce_.stop();
        apply();
    }
    emit busyChanged();
}

void ConfigColumn::apply() {
    const auto config = form_->validConfiguration();
    if (!config) {
        emit failed(form_->errorText());
        emit busyChanged();
        return;
    }
    config_ = *config;
    due_ = true;
    if (isVisible()) request();
}

void ConfigColumn::request() {
    due_ = false;
    for (LabView* v : views_)
        v->setConfiguration(config_);
    waiting_ = true;
    jobs_.request<session::LoaderAnalysisJob>(config_);
    emit busyChanged();
}

void ConfigColumn::show(const workflows::LoaderAnalysisPtr& analysis) {
    waiting_ = false;
    analysis_ = analysis;
    summary_->setText(describe_analysis(*analysis));
    for (LabView* v : views_)
        v->setAnalysis(analysis);
    emit analysed();
    emit busyChanged();
}

void ConfigColumn::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (due_) request();
}

QString ConfigColumn::summaryText() const {
    return summary_->text();
}

QString ConfigColumn::errorText() const {
    return form_->errorText();
}

bool ConfigColumn::isBusy() const {
    if (waiting_ || debounce_.isActive() || due_) return true;
    const auto* current = qobject_cast<const LabView*>(tabs_->currentWidget());
    return current && current->isBusy();
}

void ConfigColumn::cancel() {
    debounce_.stop();
    due_ = false;
    waiting_ = false;
    jobs_.cancel<session::LoaderAnalysisJob>();
    emit busyChanged();
}

void ConfigColumn::shutdown() {
    cancel();
    for (LabView* v : views_)
        v->shutdown();
}

} // namespace nnscope::ui
