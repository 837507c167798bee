#include "ui/pages/view_hint.h"

#include <QAbstractItemView>
#include <QEvent>

namespace nnscope::ui {

ViewHint::ViewHint(QAbstractItemView* view)
    : QLabel(view->viewport())
    , view_(view) {
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setForegroundRole(QPalette::PlaceholderText);
    setAttribute(Qt::WA_TransparentForMouseEvents);
    view->viewport()->installEventFilter(this);
    if (const QAbstractItemModel* model = view->model()) {
        const auto changed = [this] { refresh(); };
        connect(model, &QAbstractItemModel::modelReset, this, changed);
        connect(model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
        connect(model, &QAbstractItemModel::layoutChanged, this, changed);
    }
    hide();
}

void ViewHint::setHint(const QString& text) {
    setText(text);
    refresh();
}

void ViewHint::refresh() {
    const QAbstractItemModel* model = view_->model();
    const bool empty = !model || model->rowCount(view_->rootIndex()) == 0;
    setGeometry(view_->viewport()->rect().adjusted(8, 8, -8, -8));
    setVisible(empty && !text().isEmpty());
}

bool ViewHint::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize)
        setGeometry(view_->viewport()->rect().adjusted(8, 8, -8, -8));
    return QLabel::eventFilter(watched, event);
}

} // namespace nnscope::ui
