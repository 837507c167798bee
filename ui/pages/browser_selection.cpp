#include "ui/pages/browser_selection.h"

#include "ui/models/module_tree_model.h"
#include "ui/pages/browser_page.h"

#include <QTreeView>
#include <memory>

namespace nnscope::ui {

namespace {

QString tab_name(TensorView::Tab tab) {
    switch (tab) {
    case TensorView::Tab::Histogram:
        return QObject::tr("histogram");
    case TensorView::Tab::Heatmap:
        return QObject::tr("heatmap");
    case TensorView::Tab::Kernels:
        return QObject::tr("kernel grid");
    }
    return {};
}

QString index_list(const std::vector<std::int64_t>& leading) {
    QStringList parts;
    for (const auto i : leading)
        parts << QString::number(i);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// The slice's leading indices address the tensor's dimensions before the last two.
bool slice_fits(const std::vector<std::int64_t>& leading, const std::vector<std::int64_t>& shape) {
    if (shape.size() < 2 || leading.size() != shape.size() - 2) return false;
    for (std::size_t d = 0; d < leading.size(); ++d)
        if (leading[d] < 0 || leading[d] >= shape[d]) return false;
    return true;
}

} // namespace

BrowserSelection BrowserSelection::capture(const BrowserPage& page) {
    BrowserSelection selection;
    const QModelIndex module = page.moduleView()->currentIndex();
    if (module.isValid()) selection.module = module.data(ModuleTreeModel::PathRole).toString();
    if (const auto& snapshot = page.currentSnapshot()) {
        selection.tensor = QString::fromStdString(snapshot->name);
        selection.leading = snapshot->slice.leading;
    }
    selection.tab = page.tensorView()->currentTab();
    return selection;
}

void restoreSelection(BrowserPage& page, const BrowserSelection& selection,
                      std::function<void(const QString& report)> done) {
    QStringList kept;
    QStringList lost;
    if (page.selectModule(selection.module))
        kept << (selection.module.isEmpty() ? QObject::tr("the whole model")
                                            : QObject::tr("module %1").arg(selection.module));
    else
        lost << QObject::tr("module %1 is gone").arg(selection.module);
    const auto report = [kept, lost, done](QStringList more_kept, QStringList more_lost) {
        QStringList parts;
        if (!kept.isEmpty() || !more_kept.isEmpty())
            parts << QObject::tr("kept %1").arg((kept + more_kept).join(QStringLiteral(", ")));
        parts += lost + more_lost;
        done(parts.join(QStringLiteral("; ")));
    };
    if (selection.tensor.isEmpty() || !page.selectTensor(selection.tensor)) {
        report({}, selection.tensor.isEmpty()
                       ? QStringList{}
                       : QStringList{QObject::tr("tensor %1 is gone").arg(selection.tensor)});
        return;
    }
    // The tab and the slice go back once the tensor's snapshot says what it holds now; another
    // document shown first makes the old selection meaningless.
    auto shown = std::make_shared<QMetaObject::Connection>();
    auto stale = std::make_shared<QMetaObject::Connection>();
    const auto stop = [shown, stale] {
        QObject::disconnect(*shown);
        QObject::disconnect(*stale);
    };
    auto* target = &page;
    *shown = QObject::connect(target, &BrowserPage::snapshotShown, target, [=] {
        const auto& snapshot = target->currentSnapshot();
        if (!snapshot || QString::fromStdString(snapshot->name) != selection.tensor) return;
        stop();
        QStringList more_kept{QObject::tr("tensor %1").arg(selection.tensor)};
        QStringList more_lost;
        target->tensorView()->setCurrentTab(selection.tab);
        if (target->tensorView()->currentTab() == selection.tab)
            more_kept << tab_name(selection.tab);
        else
            more_lost << QObject::tr("the %1 is not shown for it").arg(tab_name(selection.tab));
        if (!selection.leading.empty()) {
            if (slice_fits(selection.leading, snapshot->shape)) {
                emit target->tensorView()->sliceRequested(selection.leading);
                more_kept << QObject::tr("slice %1").arg(index_list(selection.leading));
            } else {
                more_lost
                    << QObject::tr("slice %1 no longer exists").arg(index_list(selection.leading));
            }
        }
        report(more_kept, more_lost);
    });
    *stale = QObject::connect(target, &BrowserPage::documentShown, target, stop);
}

} // namespace nnscope::ui
