#include "ui/builder/module_palette.h"

#include "engine/nn/registry.h"

#include <QFont>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <map>

namespace nnscope::ui {

namespace {

constexpr int TypeRole = Qt::UserRole + 1;

// The groups in the order shown.
const QStringList& groupOrder() {
    static const QStringList order = {
        QStringLiteral("Containers"),           QStringLiteral("Linear layers"),
        QStringLiteral("Convolution layers"),   QStringLiteral("Pooling layers"),
        QStringLiteral("Normalization layers"), QStringLiteral("Activations"),
        QStringLiteral("Dropout and shape"),    QStringLiteral("Sparse layers"),
        QStringLiteral("Loss functions"),       QStringLiteral("Other")};
    return order;
}

} // namespace

QString ModulePalette::group(const QString& type) {
    static const std::map<QString, QString> groups = {
        {QStringLiteral("Sequential"), QStringLiteral("Containers")},
        {QStringLiteral("ModuleList"), QStringLiteral("Containers")},
        {QStringLiteral("ModuleDict"), QStringLiteral("Containers")},
        {QStringLiteral("Linear"), QStringLiteral("Linear layers")},
        {QStringLiteral("LazyLinear"), QStringLiteral("Linear layers")},
        {QStringLiteral("Identity"), QStringLiteral("Linear layers")},
        {QStringLiteral("Conv1d"), QStringLiteral("Convolution layers")},
        {QStringLiteral("Conv2d"), QStringLiteral("Convolution layers")},
        {QStringLiteral("MaxPool2d"), QStringLiteral("Pooling layers")},
        {QStringLiteral("AvgPool2d"), QStringLiteral("Pooling layers")},
        {QStringLiteral("AdaptiveAvgPool2d"), QStringLiteral("Pooling layers")},
        {QStringLiteral("BatchNorm1d"), QStringLiteral("Normalization layers")},
        {QStringLiteral("BatchNorm2d"), QStringLiteral("Normalization layers")},
        {QStringLiteral("LayerNorm"), QStringLiteral("Normalization layers")},
        {QStringLiteral("Dropout"), QStringLiteral("Dropout and shape")},
        {QStringLiteral("Flatten"), QStringLiteral("Dropout and shape")},
        {QStringLiteral("Embedding"), QStringLiteral("Sparse layers")},
        {QStringLiteral("EmbeddingBag"), QStringLiteral("Sparse layers")},
        {QStringLiteral("CrossEntropyLoss"), QStringLiteral("Loss functions")},
        {QStringLiteral("MSELoss"), QStringLiteral("Loss functions")},
    };
    static const QStringList activations = {
        QStringLiteral("ReLU"),     QStringLiteral("ReLU6"),      QStringLiteral("LeakyReLU"),
        QStringLiteral("ELU"),      QStringLiteral("GELU"),       QStringLiteral("SiLU"),
        QStringLiteral("Sigmoid"),  QStringLiteral("Tanh"),       QStringLiteral("Softplus"),
        QStringLiteral("Softmax"),  QStringLiteral("LogSoftmax"), QStringLiteral("Hardsigmoid"),
        QStringLiteral("Hardswish")};
    if (auto it = groups.find(type); it != groups.end()) return it->second;
    if (activations.contains(type)) return QStringLiteral("Activations");
    return QStringLiteral("Other");
}

ModulePalette::ModulePalette(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Filter module types"));
    search_->setClearButtonEnabled(true);
    layout->addWidget(search_);
    list_ = new QListWidget(this);
    list_->setObjectName(QStringLiteral("modulePalette"));
    layout->addWidget(list_, 1);
    auto* add = new QPushButton(tr("Add"), this);
    add->setToolTip(tr("Add the chosen type under the selected container, or after the selected "
                       "module (double-click does the same)"));
    layout->addWidget(add);

    std::map<QString, QStringList> by_group;
    for (const std::string& name : nn::module_type_names()) {
        const QString type = QString::fromStdString(name);
        by_group[group(type)] << type;
    }
    QFont heading_font = font();
    heading_font.setBold(true);
    for (const QString& heading : groupOrder()) {
        auto it = by_group.find(heading);
        if (it == by_group.end()) continue;
        auto* heading_item = new QListWidgetItem(heading, list_);
        heading_item->setFlags(Qt::ItemIsEnabled);
        heading_item->setFont(heading_font);
        for (const QString& type : it->second) {
            auto* item = new QListWidgetItem(QStringLiteral("  ") + type, list_);
            item->setData(TypeRole, type);
            item->setToolTip(QStringLiteral("torch.nn.") + type);
        }
    }
    connect(list_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        const QString type = item->data(TypeRole).toString();
        if (!type.isEmpty()) emit addRequested(type);
    });
    connect(add, &QPushButton::clicked, this, [this] {
        const QString type = currentType();
        if (!type.isEmpty()) emit addRequested(type);
    });
    connect(search_, &QLineEdit::textChanged, this, &ModulePalette::filter);
}

QStringList ModulePalette::types() const {
    QStringList out;
    for (int i = 0; i < list_->count(); ++i)
        if (const QString type = list_->item(i)->data(TypeRole).toString(); !type.isEmpty())
            out << type;
    return out;
}

QString ModulePalette::currentType() const {
    const QListWidgetItem* item = list_->currentItem();
    return item ? item->data(TypeRole).toString() : QString();
}

bool ModulePalette::selectType(const QString& type) {
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(TypeRole).toString() == type) {
            list_->setCurrentRow(i);
            return true;
        }
    return false;
}

void ModulePalette::filter(const QString& text) {
    // A heading stays while one of its types does.
    QListWidgetItem* heading = nullptr;
    bool heading_used = false;
    for (int i = 0; i < list_->count(); ++i) {
        QListWidgetItem* item = list_->item(i);
        const QString type = item->data(TypeRole).toString();
        if (type.isEmpty()) {
            if (heading) heading->setHidden(!heading_used);
            heading = item;
            heading_used = false;
            continue;
        }
        const bool shown = text.isEmpty() || type.contains(text, Qt::CaseInsensitive);
        item->setHidden(!shown);
        heading_used = heading_used || shown;
    }
    if (heading) heading->setHidden(!heading_used);
}

} // namespace nnscope::ui
