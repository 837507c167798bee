// LabPage: the toolbar and its dialogs.

#include "ui/pages/lab_page.h"
#include "workflows/lab_presets.h"

#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>

namespace nnscope::ui {

namespace {

// A toolbar button whose menu lists the columns, built each time it opens.
void add_column_menu(QToolBar* toolbar, LabPage* page, const QString& text, const QString& name,
                     const std::function<void(int)>& act) {
    auto* button = new QToolButton(toolbar);
    button->setObjectName(name);
    button->setText(text);
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    QObject::connect(menu, &QMenu::aboutToShow, page, [menu, page, act] {
        menu->clear();
        for (int i = 0; i < page->columnCount(); ++i)
            menu->addAction(page->column(i)->name(), page, [act, i] { act(i); });
    });
    button->setMenu(menu);
    toolbar->addWidget(button);
}

} // namespace

void LabPage::buildToolBar() {
    toolbar_ = new QToolBar(this);
    toolbar_->setObjectName(QStringLiteral("labToolBar"));
    toolbar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar_
        ->addAction(tr("Add configuration"), this,
                    [this] { addColumn(column(columnCount() - 1)->configuration()); })
        ->setObjectName(QStringLiteral("labAdd"));
    toolbar_->addAction(tr("Remove"), this, [this] { removeColumn(columnCount() - 1); })
        ->setObjectName(QStringLiteral("labRemove"));
    toolbar_->addAction(tr("Copy A to B"), this, [this] { copyColumn(0, 1); })
        ->setObjectName(QStringLiteral("labCopy"));
    toolbar_->addAction(tr("Swap A and B"), this, [this] { swapColumns(0, 1); })
        ->setObjectName(QStringLiteral("labSwap"));
    // The forms take 250-330 px of height: hiding them gives a small window's plots the room.
    QAction* hide = toolbar_->addAction(tr("Hide settings"), this, &LabPage::setFormsHidden);
    hide->setObjectName(QStringLiteral("labHideForms"));
    hide->setCheckable(true);
    hide->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    toolbar_->addSeparator();

    auto* presets = new QToolButton(toolbar_);
    presets->setObjectName(QStringLiteral("labPresets"));
    presets->setText(tr("Presets"));
    presets->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(presets);
    for (const auto& p : workflows::lab_presets()) {
        const QString name = QString::fromStdString(p.name);
        menu->addAction(QString::fromStdString(p.title), this, [this, name] { applyPreset(name); })
            ->setData(name);
    }
    presets->setMenu(menu);
    toolbar_->addWidget(presets);
    toolbar_->addSeparator();

    add_column_menu(toolbar_, this, tr("Open JSON"), QStringLiteral("labOpen"), [this](int i) {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open configuration %1").arg(column(i)->name()),
                                         {}, tr("DataLoader configuration (*.json)"));
        if (path.isEmpty()) return;
        const QString error = openJson(i, path);
        if (!error.isEmpty()) QMessageBox::warning(this, tr("Open configuration"), error);
    });
    add_column_menu(toolbar_, this, tr("Save JSON"), QStringLiteral("labSave"), [this](int i) {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save configuration %1").arg(column(i)->name()),
            QStringLiteral("loader-%1.json").arg(column(i)->name().toLower()),
            tr("DataLoader configuration (*.json)"));
        if (path.isEmpty()) return;
        const QString error = saveJson(i, path);
        if (!error.isEmpty()) QMessageBox::warning(this, tr("Save configuration"), error);
    });
    add_column_menu(
        toolbar_, this, tr("Export PyTorch"), QStringLiteral("labScript"), [this](int i) {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export configuration %1 as a PyTorch script").arg(column(i)->name()),
                QStringLiteral("loader-%1.py").arg(column(i)->name().toLower()),
                tr("Python script (*.py)"));
            if (path.isEmpty()) return;
            const QString error = savePyTorchScript(i, path);
            if (!error.isEmpty()) QMessageBox::warning(this, tr("Export PyTorch script"), error);
        });
}

} // namespace nnscope::ui
