#include "ui/builder/builder_inspector.h"

#include "ui/builder/apply_rules_model.h"
#include "ui/builder/dry_run_model.h"
#include "ui/builder/inspector_apply_tab.h"
#include "ui/builder/inspector_dry_run_tab.h"
#include "ui/builder/registered_tensors_model.h"

#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace nnscope::ui {

using session::BuilderInspectionPtr;
using session::BuilderInspectJob;

namespace {

// What the apply tab starts with: the example, kaiming-normal weights and zero biases.
std::vector<workflows::InitRule> default_rules() {
    return {{"Linear", "weight", "kaiming_normal"},
            {"Linear", "bias", "zeros"},
            {"Conv2d", "weight", "kaiming_normal"},
            {"Conv2d", "bias", "zeros"}};
}

} // namespace

BuilderInspector::BuilderInspector(QWidget* parent)
    : QWidget(parent)
    , jobs_(QStringLiteral("nnscope builder inspector"))
    , applied_rules_(default_rules())
    , status_(new QLabel(this))
    , tabs_(new QTabWidget(this))
    , tensors_(new RegisteredTensorsModel(this))
    , dry_run_(new InspectorDryRunTab(this))
    , apply_(new InspectorApplyTab(this)) {
    jobs_.add<BuilderInspectJob>();
    jobs_.start();
    jobs_.on<BuilderInspectJob, BuilderInspectionPtr>(
        this, [this](const BuilderInspectionPtr& inspection) { showInspection(inspection); });

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &BuilderInspector::sendRequest);
    connect(dry_run_, &InspectorDryRunTab::inputChanged, this, &BuilderInspector::schedule);
    connect(apply_, &InspectorApplyTab::applyRequested, this, [this] {
        applied_rules_ = apply_->rules()->rules();
        apply_->setAppliedRules(applied_rules_);
        debounce_.stop();
        sendRequest();
    });
    apply_->rules()->setRules(applied_rules_);
    apply_->setAppliedRules(applied_rules_);

    status_->setWordWrap(true);
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tabs_->addTab(makeTensorsTab(), tr("Tensors"));
    tabs_->addTab(dry_run_, tr("Dry run"));
    tabs_->addTab(apply_, tr("apply"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(status_);
    layout->addWidget(tabs_, 1);
    status_->setText(tr("No model yet: add modules to see what they register."));
}

BuilderInspector::~BuilderInspector() {
    shutdown();
}

QWidget* BuilderInspector::makeTensorsTab() {
    auto* page = new QWidget(this);
    tensors_view_ = new QTableView(page);
    tensors_view_->setModel(tensors_);
    tensors_view_->verticalHeader()->hide();
    tensors_view_->horizontalHeader()->setStretchLastSection(true);
    tensors_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tensors_view_->setWordWrap(false);
    saved_ = new QListWidget(page);
    saved_->setWordWrap(true); // the reasons are sentences: wrap them, no sideways scrolling
    saved_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    saved_->setResizeMode(QListView::Adjust);
    saved_->setToolTip(tr("What model.state_dict() would save, then what it leaves out and why"));
    counts_ = new QLabel(page);
    counts_->setWordWrap(true);
    counts_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    counts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tensors_view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    auto* saved_box = new QWidget(page);
    auto* saved_layout = new QVBoxLayout(saved_box);
    saved_layout->setContentsMargins(0, 0, 0, 0);
    // Wrapped: unwrapped, its width was most of the window's minimum (800 px must fit).
    auto* saved_title =
        new QLabel(tr("What model.state_dict() saves, and what it leaves out"), saved_box);
    saved_title->setWordWrap(true);
    saved_layout->addWidget(saved_title);
    saved_layout->addWidget(saved_, 1);
    auto* split = new QSplitter(Qt::Vertical, page);
    split->setObjectName(QStringLiteral("inspectorTensorsSplitter"));
    split->addWidget(tensors_view_);
    split->addWidget(saved_box);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(counts_);
    layout->addWidget(split, 1);
    return page;
}

void BuilderInspector::saveState(QSettings& settings) const {
    for (const QSplitter* splitter : findChildren<QSplitter*>())
        settings.setValue(QStringLiteral("builderInspector/") + splitter->objectName(),
                          splitter->saveState());
}

void BuilderInspector::restoreState(QSettings& settings) {
    for (QSplitter* splitter : findChildren<QSplitter*>())
        splitter->restoreState(
            settings.value(QStringLiteral("builderInspector/") + splitter->objectName())
                .toByteArray());
}

void BuilderInspector::setModel(const io::ModuleSpec& spec, std::uint64_t seed) {
    spec_ = spec;
    seed_ = seed;
    schedule();
}

void BuilderInspector::shutdown() {
    stopped_ = true;
    debounce_.stop();
    jobs_.stop();
    setBusy(false);
}

void BuilderInspector::schedule() {
    if (!spec_ || stopped_) return;
    setBusy(true);
    debounce_.start();
}

void BuilderInspector::sendRequest() {
    if (!spec_ || stopped_) return;
    session::BuilderInspectRequest request;
    request.spec = *spec_;
    request.seed = seed_;
    request.input_shape = dry_run_->inputShape();
    request.input_dtype = dry_run_->inputDType();
    request.rules = applied_rules_;
    jobs_.request<BuilderInspectJob>(std::move(request));
    setBusy(true);
}

void BuilderInspector::showInspection(const BuilderInspectionPtr& inspection) {
    // A debounced request still to be sent makes this answer stale already.
    if (!debounce_.isActive()) setBusy(false);
    inspection_ = inspection;
    const bool built = inspection && !inspection->build_error;
    tensors_->setInspection(built ? inspection : nullptr);
    saved_->clear();
    counts_->clear();
    if (built) {
        const auto& saved = inspection->saved;
        counts_->setText(tr("%1 parameters in model.parameters() (%2 trainable) · state_dict "
                            "saves %3 keys, leaves out %4")
                             .arg(groupedCount(inspection->parameter_count),
                                  groupedCount(inspection->trainable_count))
                             .arg(saved.saved.size())
                             .arg(saved.left_out.size()));
        for (const auto& key : saved.saved)
            saved_->addItem(QString::fromStdString(key));
        for (const auto& [key, why] : saved.left_out) {
            auto* item = new QListWidgetItem(
                tr("%1: not saved (%2)")
                    .arg(QString::fromStdString(key), QString::fromStdString(why)),
                saved_);
            QFont font = item->font();
            font.setItalic(true);
            item->setFont(font);
            item->setForeground(QColor(120, 120, 120));
            item->setToolTip(item->text());
        }
        tensors_view_->resizeColumnsToContents();
    }
    dry_run_->setInspection(inspection);
    apply_->setInspection(inspection);
    if (!busy_)
        status_->setText(built ? QString()
                               : tr("The model does not build: %1")
                                     .arg(QString::fromStdString(*inspection->build_error)));
    status_->setVisible(!status_->text().isEmpty());
    emit inspected();
}

void BuilderInspector::setBusy(bool busy) {
    busy_ = busy;
    if (busy) {
        status_->setText(tr("computing..."));
        status_->setVisible(true);
    }
}

QString BuilderInspector::statusText() const {
    return status_->isVisibleTo(this) ? status_->text() : QString();
}

QString BuilderInspector::countsText() const {
    return counts_->text();
}

DryRunModel* BuilderInspector::dryRunModel() const {
    return dry_run_->model();
}

ApplyRulesModel* BuilderInspector::rulesModel() const {
    return apply_->rules();
}

} // namespace nnscope::ui
