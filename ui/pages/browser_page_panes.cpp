// The browser page's panes: View menu toggles that hide and restore the module tree, the tensor
// table, the plots and the summary, and the splitter sizes and hidden panes kept in the settings.

#include "ui/pages/browser_page.h"
#include "ui/tensor_view/tensor_view.h"

#include <QAction>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>

namespace nnscope::ui {

namespace {

constexpr BrowserPage::Pane kPanes[] = {BrowserPage::Pane::Modules, BrowserPage::Pane::Tensors,
                                        BrowserPage::Pane::Plots, BrowserPage::Pane::Summary};

QString pane_key(BrowserPage::Pane pane) {
    switch (pane) {
    case BrowserPage::Pane::Modules:
        return QStringLiteral("modules");
    case BrowserPage::Pane::Tensors:
        return QStringLiteral("tensors");
    case BrowserPage::Pane::Plots:
        return QStringLiteral("plots");
    case BrowserPage::Pane::Summary:
        return QStringLiteral("summary");
    }
    return {};
}

// A pane shown again after it was dragged to nothing gets a share of its splitter back.
void give_room(QSplitter* splitter, QWidget* pane) {
    const int i = splitter->indexOf(pane);
    QList<int> sizes = splitter->sizes();
    if (i < 0 || sizes[i] > 0) return;
    const int largest =
        static_cast<int>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
    sizes[i] = sizes[largest] / 3;
    sizes[largest] -= sizes[i];
    splitter->setSizes(sizes);
}

} // namespace

void BrowserPage::buildPaneActions() {
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    view_actions_ << separator;
    const std::pair<Pane, QString> panes[] = {{Pane::Modules, tr("Show &Module Tree")},
                                              {Pane::Tensors, tr("Show Tensor Ta&ble")},
                                              {Pane::Plots, tr("Show &Plots")},
                                              {Pane::Summary, tr("Show S&ummary")}};
    for (const auto& [pane, text] : panes) {
        auto* action = new QAction(text, this);
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this,
                [this, pane = pane](bool on) { setPaneVisible(pane, on); });
        pane_actions_[pane] = action;
        view_actions_ << action;
    }
}

QWidget* BrowserPage::paneWidget(Pane pane) const {
    switch (pane) {
    case Pane::Modules:
        return module_pane_;
    case Pane::Tensors:
        return tensor_table_;
    case Pane::Plots:
        return tensor_view_;
    case Pane::Summary:
        return side_tabs_; // the summary and the Run panel
    }
    return nullptr;
}

void BrowserPage::setPaneVisible(Pane pane, bool visible) {
    QWidget* widget = paneWidget(pane);
    widget->setVisible(visible);
    // The centre column goes when both of its panes have gone, so the others take its room.
    const bool centre = !tensor_table_->isHidden() || !tensor_view_->isHidden();
    centre_splitter_->setVisible(centre);
    if (visible) {
        auto* splitter =
            pane == Pane::Tensors || pane == Pane::Plots ? centre_splitter_ : main_splitter_;
        give_room(splitter, widget);
        if (splitter == centre_splitter_) give_room(main_splitter_, centre_splitter_);
    }
    QAction* action = pane_actions_.at(pane);
    if (action->isChecked() != visible) action->setChecked(visible); // toggled() re-enters once
}

bool BrowserPage::isPaneVisible(Pane pane) const {
    return !paneWidget(pane)->isHidden();
}

void BrowserPage::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("mainSplitter"), main_splitter_->saveState());
    settings.setValue(QStringLiteral("centreSplitter"), centre_splitter_->saveState());
    QStringList hidden;
    for (const Pane pane : kPanes)
        if (!isPaneVisible(pane)) hidden << pane_key(pane);
    settings.setValue(QStringLiteral("browser/hiddenPanes"), hidden);
}

void BrowserPage::restoreState(QSettings& settings) {
    main_splitter_->restoreState(settings.value(QStringLiteral("mainSplitter")).toByteArray());
    centre_splitter_->restoreState(settings.value(QStringLiteral("centreSplitter")).toByteArray());
    const QStringList hidden = settings.value(QStringLiteral("browser/hiddenPanes")).toStringList();
    for (const Pane pane : kPanes)
        setPaneVisible(pane, !hidden.contains(pane_key(pane)));
}

} // namespace nnscope::ui
