// The browser page's filter: one text narrows the module tree and the tensor table alike
// (NameFilter), an empty result says so in the view, and Esc in the field clears it.

#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/tensor_table_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/view_hint.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QTableView>
#include <QTreeView>

namespace nnscope::ui {

void BrowserPage::setFilterText(const QString& text) {
    if (filter_edit_->text() != text) {
        filter_edit_->setText(text); // comes back here through textChanged
        return;
    }
    const QString trimmed = text.trimmed();
    const auto filter = std::make_shared<const NameFilter>(module_model_->document(), trimmed);
    filter_text_ = filter->text();
    module_filter_->setFilter(filter);
    tensor_model_->setFilter(filter);
    if (!filter_text_.isEmpty()) module_view_->expandAll();
    const QString none = tr("No module or tensor matches “%1”").arg(filter_text_);
    module_hint_->setHint(filter_text_.isEmpty() ? QString() : none);
    tensor_hint_->setHint(filter_text_.isEmpty() ? QString() : none);
    // The current module may have gone with the filter (then nothing is selected and the table
    // empties); otherwise the table now holds its matching tensors.
    moduleSelected();
}

QString BrowserPage::moduleHint() const {
    return module_hint_->isVisibleTo(module_view_) ? module_hint_->text() : QString();
}

QString BrowserPage::tensorHint() const {
    return tensor_hint_->isVisibleTo(tensor_table_) ? tensor_hint_->text() : QString();
}

bool BrowserPage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == filter_edit_ &&
        (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape &&
        !filter_edit_->text().isEmpty()) {
        // Overriding the shortcut keeps Esc from the window's Cancel while there is text to clear.
        if (event->type() == QEvent::KeyPress) filter_edit_->clear();
        event->accept();
        return true;
    }
    return Workspace::eventFilter(watched, event);
}

} // namespace nnscope::ui
