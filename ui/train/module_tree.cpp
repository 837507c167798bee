#include "ui/train/module_tree.h"

#include "ui/models/train_module_model.h"
#include "ui/train/breakpoint_dialog.h"
#include "ui/train/train_session.h"

#include <QHeaderView>
#include <QMenu>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

namespace nnscope::ui {

namespace {

// The latest observed step as the history keeps it: what a tree built after the run started shows.
workflows::StepRecord latestRecord(const workflows::TrainingHistory& history) {
    workflows::StepRecord record;
    const auto step = history.last_observed_step();
    if (!step) return record;
    record.step = *step;
    record.observed = true;
    for (const std::string& module : history.modules()) {
        workflows::ModuleStepStats m;
        m.module = module;
        m.type = history.module_type(module);
        using workflows::Stream;
        for (Stream stream : {Stream::Activation, Stream::Gradient}) {
            const auto points = history.series(module, stream, *step, *step);
            if (points.empty()) continue;
            (stream == Stream::Activation ? m.activation : m.gradient) = points.front()->stats;
        }
        record.modules.push_back(std::move(m));
    }
    for (const std::string& name : history.params()) {
        const auto points = history.param_series(name, *step, *step);
        if (points.empty()) continue;
        workflows::ParamStepStats p;
        p.name = name;
        p.grad_norm = points.front()->grad_norm;
        p.weight_norm = points.front()->weight_norm;
        p.update_norm = points.front()->update_norm;
        record.params.push_back(std::move(p));
    }
    return record;
}

// The module a hook event belongs to: a parameter's gradient belongs to the parameter's module.
QString eventModule(const workflows::HookEvent& event) {
    if (event.kind != workflows::HookKind::ParamGrad) return QString::fromStdString(event.module);
    const auto dot = event.module.rfind('.');
    return QString::fromStdString(dot == std::string::npos ? std::string()
                                                           : event.module.substr(0, dot));
}

} // namespace

TrainModuleTree::TrainModuleTree(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , model_(new TrainModuleModel(this))
    , view_(new QTreeView(this)) {
    view_->setModel(model_);
    view_->setUniformRowHeights(true); // 2,000 rows lay out without measuring each
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    // Widths from the font, not from the rows: measuring 2,000 rows on every step is what a
    // ResizeToContents header would do.
    QHeaderView* header = view_->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(TrainModuleModel::Name, QHeaderView::Stretch);
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    const int pad = 2 * style()->pixelMetric(QStyle::PM_HeaderMargin) + 8;
    header->resizeSection(TrainModuleModel::Type,
                          metrics.horizontalAdvance(QStringLiteral("BatchNorm2d")) + pad);
    for (int c = TrainModuleModel::ActMean; c < TrainModuleModel::ColumnCount; ++c)
        header->resizeSection(c, metrics.horizontalAdvance(QStringLiteral("-0.0001234")) + pad);
    header->resizeSection(TrainModuleModel::Dead,
                          metrics.horizontalAdvance(QStringLiteral("100.0%")) + pad);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);

    connect(view_, &QWidget::customContextMenuRequested, this, &TrainModuleTree::showContextMenu);
    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid()) return;
                const QString path = model_->pathOf(current);
                if (path != session_->selectedModule()) session_->selectModule(path);
            });
    connect(session_, &TrainSession::started, this, &TrainModuleTree::rebuild);
    connect(session_, &TrainSession::progressed, this, &TrainModuleTree::onProgress);
    connect(session_, &TrainSession::paused, this, &TrainModuleTree::onPaused);
    connect(session_, &TrainSession::moduleSelected, this, &TrainModuleTree::showSelected);
    rebuild();
}

void TrainModuleTree::rebuild() {
    const session::TrainStarted* run = session_->run();
    model_->setModules(run ? run->modules : std::vector<session::TrainModuleInfo>{});
    view_->expandToDepth(1);
    if (!run) return;
    model_->setNumbers(latestRecord(session_->history()));
    if (const auto& paused = session_->pausedAt()) onPaused(*paused);
    showSelected(session_->selectedModule());
}

void TrainModuleTree::onProgress(const session::TrainProgress& progress) {
    for (auto it = progress.steps.rbegin(); it != progress.steps.rend(); ++it)
        if (it->observed) {
            const std::vector<QModelIndex> shown = shownRows();
            model_->setNumbers(*it, &shown);
            return;
        }
}

std::vector<QModelIndex> TrainModuleTree::shownRows() const {
    std::vector<QModelIndex> rows;
    if (!view_->isVisible()) return rows;
    const int bottom = view_->viewport()->height();
    for (QModelIndex i = view_->indexAt(QPoint(0, 0));
         i.isValid() && view_->visualRect(i).top() < bottom; i = view_->indexBelow(i))
        rows.push_back(i.siblingAtColumn(0));
    return rows;
}

void TrainModuleTree::onPaused(const session::TrainPaused& paused) {
    if (paused.event)
        model_->setHighlighted(eventModule(*paused.event));
    else if (!paused.timeline.empty())
        model_->setHighlighted(eventModule(paused.timeline.back()));
    else
        model_->setHighlighted(QString());
    const QModelIndex index = model_->indexOfPath(model_->highlighted());
    if (index.isValid()) view_->scrollTo(index);
}

void TrainModuleTree::showSelected(const QString& path) {
    const QModelIndex index = model_->indexOfPath(path);
    if (!index.isValid() || view_->currentIndex() == index) return;
    view_->setCurrentIndex(index);
    view_->scrollTo(index);
}

void TrainModuleTree::breakOnForward(const QString& path) {
    workflows::Breakpoint b;
    b.kind = workflows::Breakpoint::Kind::Forward;
    b.module = path.toStdString();
    session_->addBreakpoint(b);
}

void TrainModuleTree::breakOnBackward(const QString& path) {
    workflows::Breakpoint b;
    b.kind = workflows::Breakpoint::Kind::Backward;
    b.module = path.toStdString();
    session_->addBreakpoint(b);
}

void TrainModuleTree::breakWhen(const QString& path) {
    auto* dialog = new BreakpointDialog(path, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { session_->addBreakpoint(dialog->breakpoint()); });
    dialog->open();
}

void TrainModuleTree::showContextMenu(const QPoint& pos) {
    const QModelIndex index = view_->indexAt(pos);
    if (!index.isValid()) return;
    const QString path = model_->pathOf(index);
    QMenu menu(this);
    menu.addAction(tr("Break on forward"), this, [this, path] { breakOnForward(path); });
    menu.addAction(tr("Break on backward"), this, [this, path] { breakOnBackward(path); });
    menu.addAction(tr("Break when..."), this, [this, path] { breakWhen(path); });
    menu.addSeparator();
    menu.addAction(tr("Attach hook..."), this, [this, path] {
        session_->selectModule(path);
        emit attachHookRequested(path);
    });
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

} // namespace nnscope::ui
