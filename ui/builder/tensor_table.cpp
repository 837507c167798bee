#include "ui/builder/tensor_table.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <stdexcept>

namespace nnscope::ui {

namespace {

using Declaration = nn::TensorDeclaration;

const QStringList& initNames() {
    static const QStringList names = {"zeros", "ones", "full", "arange", "randn", "rand", "values"};
    return names;
}

QString joinNumbers(const std::vector<double>& values) {
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 17);
    return parts.join(QStringLiteral(", "));
}

std::vector<double> parseNumbers(const QString& text, const QString& what) {
    std::vector<double> out;
    QString inner = text.trimmed();
    if (inner.startsWith(QLatin1Char('[')) || inner.startsWith(QLatin1Char('(')))
        inner = inner.mid(1, inner.size() - 2);
    if (inner.trimmed().isEmpty()) return out;
    for (const QString& part : inner.split(QLatin1Char(','))) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            throw std::invalid_argument(what.toStdString() + ": '" + part.trimmed().toStdString() +
                                        "' is not a number");
        out.push_back(v);
    }
    return out;
}

QComboBox* combo(const QStringList& items, const QString& current, QWidget* parent) {
    auto* box = new QComboBox(parent);
    box->addItems(items);
    box->setCurrentText(current);
    box->setFrame(false);
    return box;
}

} // namespace

TensorTable::TensorTable(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(0, Count, this);
    table_->setHorizontalHeaderLabels({tr("Name"), tr("Kind"), tr("Persistent"),
                                       tr("Requires grad"), tr("Shape"), tr("dtype"), tr("Init"),
                                       tr("Value(s)")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setMinimumHeight(80);
    layout->addWidget(table_, 1);
    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("tensorError"));
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->setStyleSheet(QStringLiteral("color: #d04040;"));
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add tensor"), this);
    add->setToolTip(tr("Declare a parameter or buffer of this module, as its __init__ would"));
    auto* remove = new QPushButton(tr("Remove"), this);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, &TensorTable::addTensor);
    connect(remove, &QPushButton::clicked, this, &TensorTable::removeSelected);
    connect(table_, &QTableWidget::itemChanged, this, [this] {
        if (!filling_) edited();
    });
}

void TensorTable::setTensors(const std::vector<Declaration>& tensors) {
    filling_ = true;
    table_->setRowCount(0);
    for (const Declaration& d : tensors)
        appendRow(d);
    filling_ = false;
    valid_ = tensors;
    error_->clear();
    error_->hide();
}

QString TensorTable::error() const {
    return error_->text();
}

void TensorTable::appendRow(const Declaration& d) {
    const bool was_filling = filling_;
    filling_ = true;
    const int row = table_->rowCount();
    table_->insertRow(row);
    const bool parameter = d.kind == Declaration::Kind::Parameter;
    table_->setItem(row, Name, new QTableWidgetItem(QString::fromStdString(d.name)));
    auto* kind = combo({QStringLiteral("parameter"), QStringLiteral("buffer")},
                       parameter ? QStringLiteral("parameter") : QStringLiteral("buffer"), table_);
    table_->setCellWidget(row, Kind, kind);
    auto* persistent = new QTableWidgetItem;
    persistent->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    persistent->setCheckState(d.persistent ? Qt::Checked : Qt::Unchecked);
    table_->setItem(row, Persistent, persistent);
    auto* grad = new QTableWidgetItem;
    grad->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    grad->setCheckState(d.requires_grad ? Qt::Checked : Qt::Unchecked);
    table_->setItem(row, RequiresGrad, grad);
    QStringList dims;
    for (std::int64_t n : d.shape)
        dims << QString::number(n);
    table_->setItem(row, Shape, new QTableWidgetItem(dims.join(QStringLiteral(", "))));
    auto* dtype =
        combo({QStringLiteral("float32"), QStringLiteral("float64"), QStringLiteral("int64")},
              QString::fromUtf8(dtype_name(d.dtype).data()), table_);
    table_->setCellWidget(row, DTypeColumn, dtype);
    auto* init = combo(initNames(), QString::fromUtf8(nn::init_name(d.init).data()), table_);
    table_->setCellWidget(row, Init, init);
    const QString value = d.init == Declaration::Init::Full     ? QString::number(d.fill, 'g', 17)
                          : d.init == Declaration::Init::Values ? joinNumbers(d.values)
                                                                : QString();
    table_->setItem(row, Value, new QTableWidgetItem(value));
    for (QComboBox* box : {kind, dtype, init})
        connect(box, &QComboBox::currentTextChanged, this, [this] {
            if (!filling_) edited();
        });
    updateEnabled(row);
    filling_ = was_filling;
}

void TensorTable::updateEnabled(int row) {
    const bool was_filling = filling_;
    filling_ = true;
    auto* kind = qobject_cast<QComboBox*>(table_->cellWidget(row, Kind));
    auto* init = qobject_cast<QComboBox*>(table_->cellWidget(row, Init));
    const bool parameter = kind && kind->currentText() == QLatin1String("parameter");
    auto enable = [&](int column, bool on) {
        if (QTableWidgetItem* item = table_->item(row, column)) {
            Qt::ItemFlags flags = item->flags();
            flags.setFlag(Qt::ItemIsEnabled, on);
            item->setFlags(flags);
        }
    };
    enable(Persistent, !parameter);
    enable(RequiresGrad, parameter);
    const QString i = init ? init->currentText() : QString();
    enable(Value, i == QLatin1String("full") || i == QLatin1String("values"));
    filling_ = was_filling;
}

Declaration TensorTable::rowDeclaration(int row) const {
    Declaration d;
    auto text = [&](int column) {
        const QTableWidgetItem* item = table_->item(row, column);
        return item ? item->text().trimmed() : QString();
    };
    auto combo_text = [&](int column) {
        const auto* box = qobject_cast<QComboBox*>(table_->cellWidget(row, column));
        return box ? box->currentText() : QString();
    };
    d.name = text(Name).toStdString();
    d.kind = combo_text(Kind) == QLatin1String("buffer") ? Declaration::Kind::Buffer
                                                         : Declaration::Kind::Parameter;
    d.persistent = table_->item(row, Persistent)->checkState() == Qt::Checked;
    d.requires_grad = table_->item(row, RequiresGrad)->checkState() == Qt::Checked;
    const QString what = tr("tensor '%1'").arg(text(Name));
    for (double n : parseNumbers(text(Shape), what + tr(" shape"))) {
        if (n != static_cast<double>(static_cast<std::int64_t>(n)))
            throw std::invalid_argument(what.toStdString() + ": a shape holds ints");
        d.shape.push_back(static_cast<std::int64_t>(n));
    }
    d.dtype = dtype_from_name(combo_text(DTypeColumn).toStdString());
    d.init = nn::init_from_name(combo_text(Init).toStdString());
    if (d.init == Declaration::Init::Full) {
        const auto fill = parseNumbers(text(Value), what + tr(" value"));
        if (fill.size() != 1)
            throw std::invalid_argument(what.toStdString() + ": init 'full' takes one value");
        d.fill = fill[0];
    } else if (d.init == Declaration::Init::Values) {
        d.values = parseNumbers(text(Value), what + tr(" values"));
    }
    return d;
}

void TensorTable::edited() {
    std::vector<Declaration> tensors;
    QString message;
    for (int row = 0; row < table_->rowCount() && message.isEmpty(); ++row) {
        updateEnabled(row);
        try {
            Declaration d = rowDeclaration(row);
            nn::check_declaration(d);
            // Built at once, as every edit: a huge shape is refused before it is allocated.
            double elements = 1.0;
            for (std::int64_t n : d.shape)
                elements *= static_cast<double>(n);
            if (elements > 1e8)
                throw std::invalid_argument("tensor '" + d.name +
                                            "': more elements than the builder allocates (1e+08)");
            tensors.push_back(std::move(d));
        } catch (const std::exception& e) {
            message = QString::fromStdString(e.what());
        }
    }
    if (message.isEmpty() && validator_) message = validator_(tensors);
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
    if (!message.isEmpty()) return;
    valid_ = tensors;
    emit tensorsChanged(valid_);
}

void TensorTable::addTensor() {
    Declaration d;
    int n = table_->rowCount();
    auto taken = [&](const std::string& name) {
        for (int row = 0; row < table_->rowCount(); ++row)
            if (table_->item(row, Name)->text().toStdString() == name) return true;
        return false;
    };
    do
        d.name = "p" + std::to_string(n++);
    while (taken(d.name));
    d.shape = {1};
    appendRow(d);
    edited();
}

void TensorTable::removeSelected() {
    const int row = table_->currentRow();
    if (row < 0) return;
    table_->removeRow(row);
    edited();
}

} // namespace nnscope::ui
