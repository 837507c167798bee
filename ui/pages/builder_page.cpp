#include "ui/pages/builder_page.h"

#include "engine/nn/registry.h"
#include "ui/builder/argument_form.h"
#include "ui/builder/builder_inspector.h"
#include "ui/builder/module_palette.h"
#include "ui/builder/module_spec_model.h"
#include "ui/builder/tensor_table.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

namespace nnscope::ui {

BuilderPage::BuilderPage(QWidget* parent)
    : Workspace(parent)
    , model_(new ModuleSpecModel(this))
    , debounce_(new QTimer(this)) {
    debounce_->setSingleShot(true);
    debounce_->setInterval(150);
    connect(debounce_, &QTimer::timeout, this, [this] {
        if (model_error_.isEmpty()) emit modelChanged(spec(), seed());
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildToolbar());
    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setObjectName(QStringLiteral("builderSplitter"));
    splitter_->setChildrenCollapsible(false);
    palette_ = new ModulePalette(splitter_);
    palette_->setMinimumWidth(150);
    splitter_->addWidget(palette_);
    splitter_->addWidget(buildCentre());
    side_ = new QSplitter(Qt::Vertical, splitter_);
    side_->setObjectName(QStringLiteral("builderInspectorPane"));
    inspector_ = new BuilderInspector(side_);
    side_->addWidget(inspector_);
    splitter_->addWidget(side_);
    splitter_->setStretchFactor(0, 0);
    splitter_->setStretchFactor(1, 1);
    splitter_->setStretchFactor(2, 1);
    splitter_->setSizes({180, 550, 550});
    // Every valid change, debounced, is inspected; the first is the example set below.
    connect(this, &BuilderPage::modelChanged, inspector_, &BuilderInspector::setModel);
    layout->addWidget(splitter_, 1);

    connect(palette_, &ModulePalette::addRequested, this, [this](const QString& type) {
        if (const QString why = addModule(type); !why.isEmpty()) setStatusText(why);
    });
    connect(model_, &ModuleSpecModel::specEdited, this, &BuilderPage::edited);
    connect(model_, &ModuleSpecModel::editRefused, this, [this](const QString& why) {
        model_status_->setText(why);
        model_status_->setStyleSheet(QStringLiteral("color: #d04040;"));
    });
    connect(form_, &ArgumentForm::argumentsChanged, this, [this](const nn::Arguments& arguments) {
        model_->setArguments(tree_->currentIndex().siblingAtColumn(0), arguments);
    });
    tensors_->setValidator([this](const std::vector<nn::TensorDeclaration>& tensors) {
        return validateTensors(tensors);
    });
    connect(tensors_, &TensorTable::tensorsChanged, this,
            [this](const std::vector<nn::TensorDeclaration>& tensors) {
                model_->setTensors(tree_->currentIndex().siblingAtColumn(0), tensors);
            });
    connect(seed_, &QSpinBox::valueChanged, this, [this] { debounce_->start(); });

    setSpec(exampleSpec());
    selectPath(QStringLiteral("1")); // the LazyLinear: its form is the first thing to try
}

BuilderPage::~BuilderPage() = default;

QWidget* BuilderPage::buildToolbar() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Seed"), bar));
    seed_ = new QSpinBox(bar);
    seed_->setObjectName(QStringLiteral("builderSeed"));
    seed_->setRange(0, std::numeric_limits<int>::max());
    seed_->setToolTip(tr("torch.manual_seed(seed) before the model is built: its initial weights"));
    row->addWidget(seed_);
    row->addSpacing(12);
    auto button = [&](const QString& text, const QString& tip, auto slot) {
        auto* b = new QPushButton(text, bar);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        row->addWidget(b);
        return b;
    };
    button(tr("Open…"), tr("Build on a native model file's architecture and seed"),
           &BuilderPage::chooseOpenFile);
    button(tr("Save…"), tr("Save the model as a native model file (.safetensors)"),
           &BuilderPage::chooseSaveFile);
    button(tr("Open in browser"), tr("Look inside the model in the browser"), [this] {
        const QString file = saveForPage(QStringLiteral("builder-model.safetensors"));
        if (!file.isEmpty()) emit openInBrowserRequested(file);
    });
    button(tr("Train"), tr("Train the model in the training workspace"), [this] {
        const QString file = saveForPage(QStringLiteral("builder-train.safetensors"));
        if (!file.isEmpty()) emit trainRequested(file);
    });
    button(tr("Export to PyTorch…"),
           tr("Write model.py: the same model with torch.nn and build(seed), whose initial "
              "state_dict equals this one's"),
           &BuilderPage::chooseExportFile);
    row->addStretch(1);
    return bar;
}

QWidget* BuilderPage::buildCentre() {
    auto* centre = new QSplitter(Qt::Vertical, this);
    centre->setObjectName(QStringLiteral("builderCentreSplitter"));
    centre->setChildrenCollapsible(false);
    centre_ = centre;

    auto* top = new QWidget(centre);
    auto* top_layout = new QVBoxLayout(top);
    top_layout->setContentsMargins(0, 0, 0, 0);
    tree_ = new QTreeView(top);
    tree_->setObjectName(QStringLiteral("builderTree"));
    tree_->setModel(model_);
    tree_->setUniformRowHeights(true);
    tree_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    tree_->header()->setSectionResizeMode(QHeaderView::Interactive);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(ModuleSpecModel::Arguments, QHeaderView::Stretch);
    top_layout->addWidget(tree_, 1);
    auto* tree_buttons = new QHBoxLayout;
    auto button = [&](const QString& text, const QString& tip, auto slot) {
        auto* b = new QPushButton(text, top);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        tree_buttons->addWidget(b);
    };
    button(tr("Remove"), tr("Remove the selected module and its children"),
           &BuilderPage::removeSelected);
    button(tr("Up"), tr("Move the selected module before its previous sibling"),
           [this] { moveSelected(-1); });
    button(tr("Down"), tr("Move the selected module after its next sibling"),
           [this] { moveSelected(1); });
    button(tr("Rename"), tr("Rename the selected module (F2)"),
           [this] { tree_->edit(tree_->currentIndex().siblingAtColumn(ModuleSpecModel::Name)); });
    tree_buttons->addStretch(1);
    top_layout->addLayout(tree_buttons);
    model_status_ = new QLabel(top);
    model_status_->setObjectName(QStringLiteral("builderStatus"));
    model_status_->setWordWrap(true);
    model_status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top_layout->addWidget(model_status_);
    centre->addWidget(top);

    auto* details = new QWidget(centre);
    auto* details_layout = new QVBoxLayout(details);
    details_layout->setContentsMargins(0, 0, 0, 0);
    selected_label_ = new QLabel(details);
    selected_label_->setWordWrap(true);
    details_layout->addWidget(selected_label_);
    auto* arguments_box = new QGroupBox(tr("Constructor arguments"), details);
    auto* arguments_layout = new QVBoxLayout(arguments_box);
    auto* scroll = new QScrollArea(arguments_box);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    form_ = new ArgumentForm(scroll);
    scroll->setWidget(form_);
    arguments_layout->addWidget(scroll);
    details_layout->addWidget(arguments_box, 3);
    auto* tensors_box = new QGroupBox(tr("Own tensors (declared in __init__)"), details);
    auto* tensors_layout = new QVBoxLayout(tensors_box);
    tensors_ = new TensorTable(tensors_box);
    tensors_layout->addWidget(tensors_);
    details_layout->addWidget(tensors_box, 2);
    centre->addWidget(details);
    centre->setSizes({300, 420});

    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BuilderPage::showSelected);
    return centre;
}

void BuilderPage::shutdown() {
    inspector_->shutdown();
}

void BuilderPage::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("builderSplitter"), splitter_->saveState());
    settings.setValue(QStringLiteral("builderCentreSplitter"), centre_->saveState());
    inspector_->saveState(settings);
}

void BuilderPage::restoreState(QSettings& settings) {
    splitter_->restoreState(settings.value(QStringLiteral("builderSplitter")).toByteArray());
    centre_->restoreState(settings.value(QStringLiteral("builderCentreSplitter")).toByteArray());
    inspector_->restoreState(settings);
}

io::ModuleSpec BuilderPage::spec() const {
    return model_->spec();
}

std::uint64_t BuilderPage::seed() const {
    return static_cast<std::uint64_t>(seed_->value());
}

void BuilderPage::setSeed(std::uint64_t seed) {
    seed_->setValue(static_cast<int>(std::min<std::uint64_t>(seed, seed_->maximum())));
}

void BuilderPage::setSpec(const io::ModuleSpec& spec) {
    model_->setSpec(spec);
    tree_->expandAll();
    for (int column = 0; column < ModuleSpecModel::Arguments; ++column)
        tree_->resizeColumnToContents(column);
    tree_->setCurrentIndex(model_->rootIndex());
    edited();
}

QString BuilderPage::addModule(const QString& type) {
    QString error;
    const QModelIndex added =
        model_->addNear(tree_->currentIndex().siblingAtColumn(0), starterModule(type), &error);
    if (!added.isValid()) return error;
    tree_->expand(added.parent());
    tree_->setCurrentIndex(added);
    return {};
}

bool BuilderPage::selectPath(const QString& path) {
    const QModelIndex index = model_->indexOfPath(path);
    if (!index.isValid()) return false;
    tree_->setCurrentIndex(index);
    return true;
}

QString BuilderPage::selectedPath() const {
    return model_->pathOf(tree_->currentIndex());
}

QString BuilderPage::modelError() const {
    return model_error_;
}

void BuilderPage::showSelected() {
    const QModelIndex index = tree_->currentIndex().siblingAtColumn(0);
    const io::ModuleSpec own = model_->specAt(index);
    const QString path = model_->pathOf(index);
    const QString type = QString::fromStdString(own.type);
    selected_label_->setText(path.isEmpty() ? tr("<b>The model</b> (%1)").arg(type)
                                            : tr("<b>%1</b> (%2)").arg(path, type));
    form_->setModule(type, own.arguments);
    tensors_->setTensors(own.tensors);
}

void BuilderPage::edited() {
    // The form and table show the selected module; a rename or move may change its path only.
    const QModelIndex index = tree_->currentIndex().siblingAtColumn(0);
    const QString path = model_->pathOf(index);
    const QString type = model_->data(index.siblingAtColumn(ModuleSpecModel::Type)).toString();
    selected_label_->setText(path.isEmpty() ? tr("<b>The model</b> (%1)").arg(type)
                                            : tr("<b>%1</b> (%2)").arg(path, type));
    try {
        io::build_module(model_->spec());
        model_error_.clear();
        const QString counts = tr("%n module(s)", nullptr, [this] {
            int n = 0;
            std::vector<QModelIndex> stack{model_->rootIndex()};
            while (!stack.empty()) {
                const QModelIndex i = stack.back();
                stack.pop_back();
                ++n;
                for (int r = 0; r < model_->rowCount(i); ++r)
                    stack.push_back(model_->index(r, 0, i));
            }
            return n;
        }());
        model_status_->setText(tr("The model builds: %1.").arg(counts));
        model_status_->setStyleSheet(QString());
        setStatusText({});
        debounce_->start();
    } catch (const std::exception& e) {
        model_error_ = QString::fromStdString(e.what());
        model_status_->setText(model_error_);
        model_status_->setStyleSheet(QStringLiteral("color: #d04040;"));
    }
}

void BuilderPage::removeSelected() {
    QString error;
    if (!model_->removeModule(tree_->currentIndex().siblingAtColumn(0), &error))
        setStatusText(error);
}

void BuilderPage::moveSelected(int delta) {
    const QModelIndex index = tree_->currentIndex().siblingAtColumn(0);
    model_->moveModule(index, delta);
}

QString BuilderPage::validateTensors(const std::vector<nn::TensorDeclaration>& tensors) const {
    io::ModuleSpec subtree = model_->specAt(tree_->currentIndex().siblingAtColumn(0));
    subtree.tensors = tensors;
    try {
        io::build_module(subtree);
        return {};
    } catch (const std::exception& e) {
        QString message = QString::fromStdString(e.what());
        // "architecture: root module (Linear): cannot declare tensor 'x': ..." names the
        // subtree's root, which here is the selected module: keep what follows.
        const int at = message.indexOf(QStringLiteral("cannot declare tensor"));
        return at >= 0 ? message.mid(at) : message;
    }
}

} // namespace nnscope::ui
