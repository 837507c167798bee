#include "ui/train/hooks_panel.h"

#include "data/config_error.h"
#include "ui/train/train_session.h"
#include "workflows/train_breakpoints.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace nnscope::ui {

using Kind = workflows::HookIntervention::Kind;

namespace {

QString kindText(Kind kind) {
    switch (kind) {
    case Kind::ScaleGrad:
        return HooksPanel::tr("Scale gradient");
    case Kind::ZeroGrad:
        return HooksPanel::tr("Zero gradient");
    case Kind::ClipGradNorm:
        return HooksPanel::tr("Clip gradient norm");
    case Kind::InputNoise:
        return HooksPanel::tr("Input noise");
    }
    return {};
}

QString valueText(const workflows::HookIntervention& h) {
    switch (h.kind) {
    case Kind::ScaleGrad:
        return HooksPanel::tr("x %1").arg(h.value);
    case Kind::ZeroGrad:
        return {};
    case Kind::ClipGradNorm:
        return HooksPanel::tr("max norm %1").arg(h.value);
    case Kind::InputNoise:
        return HooksPanel::tr("std %1").arg(h.value);
    }
    return {};
}

} // namespace

HooksPanel::HooksPanel(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , title_(new QLabel(this))
    , capture_(new QLabel(this))
    , rows_(new QWidget(this))
    , rows_layout_(new QVBoxLayout(rows_))
    , kind_(new QComboBox(this))
    , value_(new QDoubleSpinBox(this))
    , add_(new QPushButton(tr("Add"), this))
    , error_(new QLabel(this))
    , breakpoints_(new QListWidget(this))
    , remove_breakpoint_(new QPushButton(tr("Remove"), this)) {
    title_->setWordWrap(true);
    capture_->setWordWrap(true);
    capture_->setText(
        tr("Capture (always on): the output's and grad_output's statistics, as "
           "m.register_forward_hook(...) and m.register_full_backward_hook(...) would read "
           "them."));
    rows_layout_->setContentsMargins(0, 0, 0, 0);
    for (Kind k : {Kind::ScaleGrad, Kind::ZeroGrad, Kind::ClipGradNorm, Kind::InputNoise})
        kind_->addItem(kindText(k), int(k));
    value_->setDecimals(4);
    value_->setRange(-1e6, 1e6);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #c0392b"));
    error_->hide();
    connect(kind_, &QComboBox::currentIndexChanged, this, &HooksPanel::onKindChanged);
    connect(add_, &QPushButton::clicked, this,
            [this] { attach(Kind(kind_->currentData().toInt()), value_->value()); });

    auto* hooks = new QGroupBox(tr("Hooks"), this);
    auto* form = new QHBoxLayout;
    form->addWidget(kind_, 1);
    form->addWidget(value_);
    form->addWidget(add_);
    auto* hooks_layout = new QVBoxLayout(hooks);
    hooks_layout->addWidget(title_);
    hooks_layout->addWidget(capture_);
    hooks_layout->addWidget(rows_);
    hooks_layout->addLayout(form);
    hooks_layout->addWidget(error_);

    auto* breaks = new QGroupBox(tr("Breakpoints"), this);
    auto* breaks_layout = new QVBoxLayout(breaks);
    breaks_layout->addWidget(breakpoints_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(remove_breakpoint_);
    breaks_layout->addLayout(buttons);
    breakpoints_->setToolTip(tr("Checked breakpoints stop the run; set them from the module "
                                "tree's context menu"));
    connect(breakpoints_, &QListWidget::itemChanged, this, &HooksPanel::onBreakpointChanged);
    connect(remove_breakpoint_, &QPushButton::clicked, this,
            [this] { removeBreakpoint(breakpoints_->currentRow()); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(hooks);
    layout->addWidget(breaks, 1);

    connect(session_, &TrainSession::moduleSelected, this, &HooksPanel::showModule);
    connect(session_, &TrainSession::interventionsChanged, this, &HooksPanel::showModule);
    connect(session_, &TrainSession::breakpointsChanged, this, &HooksPanel::showBreakpoints);
    onKindChanged();
    showModule();
    showBreakpoints();
}

void HooksPanel::onKindChanged() {
    const Kind kind = Kind(kind_->currentData().toInt());
    value_->setEnabled(kind != Kind::ZeroGrad);
    value_->setValue(kind == Kind::ScaleGrad ? 0.5 : kind == Kind::InputNoise ? 0.1 : 1.0);
    value_->setToolTip(kind == Kind::ScaleGrad      ? tr("The factor grad_input is multiplied by")
                       : kind == Kind::ClipGradNorm ? tr("The largest 2-norm of each grad_input")
                       : kind == Kind::InputNoise   ? tr("The noise's standard deviation")
                                                    : QString());
}

bool HooksPanel::attach(Kind kind, double value) {
    workflows::HookIntervention h;
    h.module = session_->selectedModule().toStdString();
    h.kind = kind;
    h.value = kind == Kind::ZeroGrad ? 0.0 : value;
    try {
        workflows::validate(h);
    } catch (const data::ConfigError& e) {
        error_->setText(QString::fromUtf8(e.what()));
        error_->show();
        return false;
    }
    error_->hide();
    session_->addIntervention(h); // interventionsChanged redraws the rows
    return true;
}

void HooksPanel::showModule() {
    const QString module = session_->selectedModule();
    const bool none = module.isNull();
    title_->setText(none               ? tr("Select a module in the tree.")
                    : module.isEmpty() ? tr("Hooks on the whole model")
                                       : tr("Hooks on %1").arg(module));
    for (QWidget* w : {static_cast<QWidget*>(kind_), static_cast<QWidget*>(add_)})
        w->setEnabled(!none);
    value_->setEnabled(!none && Kind(kind_->currentData().toInt()) != Kind::ZeroGrad);

    while (QLayoutItem* item = rows_layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    shown_.clear();
    lines_.clear();
    if (none) return;
    const QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const auto& h : session_->interventions()) {
        if (QString::fromStdString(h.module) != module) continue;
        auto* row = new QWidget(rows_);
        auto* text = new QLabel(kindText(h.kind) + QLatin1Char(' ') + valueText(h), row);
        const QString line = QString::fromStdString(workflows::pytorch_line(h));
        auto* python = new QLabel(line, row);
        python->setFont(code);
        python->setWordWrap(true);
        python->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto* remove = new QPushButton(tr("Remove"), row);
        remove->setToolTip(tr("h.remove()"));
        const std::uint64_t id = h.id;
        connect(remove, &QPushButton::clicked, this,
                [this, id] { session_->removeIntervention(id); });
        auto* top = new QHBoxLayout;
        top->addWidget(text, 1);
        top->addWidget(remove);
        auto* layout = new QVBoxLayout(row);
        layout->setContentsMargins(0, 2, 0, 2);
        layout->addLayout(top);
        layout->addWidget(python);
        rows_layout_->addWidget(row);
        shown_.push_back(id);
        lines_.push_back(line);
    }
}

QStringList HooksPanel::shownLines() const {
    return lines_;
}

QString HooksPanel::errorText() const {
    return error_->isHidden() ? QString() : error_->text();
}

void HooksPanel::showBreakpoints() {
    const QSignalBlocker block(breakpoints_);
    const int current = breakpoints_->currentRow();
    breakpoints_->clear();
    for (const auto& b : session_->breakpoints()) {
        auto* item = new QListWidgetItem(QString::fromStdString(workflows::describe(b)));
        item->setToolTip(QString::fromStdString(workflows::to_string(b)));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(b.enabled ? Qt::Checked : Qt::Unchecked);
        breakpoints_->addItem(item);
    }
    breakpoints_->setCurrentRow(std::min(current, breakpoints_->count() - 1));
    remove_breakpoint_->setEnabled(breakpoints_->count() > 0);
}

void HooksPanel::onBreakpointChanged(QListWidgetItem* item) {
    const int row = breakpoints_->row(item);
    auto list = session_->breakpoints();
    if (row < 0 || row >= int(list.size())) return;
    list[std::size_t(row)].enabled = item->checkState() == Qt::Checked;
    session_->setBreakpoints(std::move(list));
}

void HooksPanel::removeBreakpoint(int row) {
    auto list = session_->breakpoints();
    if (row < 0 || row >= int(list.size())) return;
    list.erase(list.begin() + row);
    session_->setBreakpoints(std::move(list));
}

} // namespace nnscope::ui
