#include "ui/workspace.h"

namespace nnscope::ui {

Workspace::Workspace(QWidget* parent)
    : QWidget(parent) {
    status_.text = tr("Ready");
}

void Workspace::setStatusText(const QString& text) {
    status_.text = text;
    emit statusChanged();
}

void Workspace::setBusy(bool busy, const QString& text) {
    status_.busy = busy;
    if (busy) status_.percent = 0;
    if (!text.isEmpty()) status_.text = text;
    emit statusChanged();
}

void Workspace::setProgress(int percent) {
    status_.percent = percent;
    emit statusChanged();
}

} // namespace nnscope::ui
