#include "ui/builder/inspector_dry_run_tab.h"

#include "ui/builder/dry_run_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace nnscope::ui {

InspectorDryRunTab::InspectorDryRunTab(QWidget* parent)
    : QWidget(parent)
    , shape_(new QLineEdit(QStringLiteral("1x1x28x28"), this))
    , dtype_(new QComboBox(this))
    , message_(new QLabel(this))
    , table_(new QTableView(this))
    , footer_(new QLabel(this))
    , model_(new DryRunModel(this)) {
    shape_->setPlaceholderText(tr("batch first, e.g. 1x1x28x28"));
    shape_->setToolTip(tr("The input's shape, batch first: sizes separated by x or commas"));
    dtype_->addItem(QStringLiteral("float32"));
    dtype_->addItem(QStringLiteral("int64"));
    dtype_->setToolTip(tr("int64 gives an index input of zeros, as an Embedding takes"));
    for (QLabel* label : {message_, footer_}) {
        label->setWordWrap(true);
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    message_->setStyleSheet(QStringLiteral("color: #b22222;"));
    table_->setModel(model_);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);

    auto* input = new QHBoxLayout;
    input->addWidget(new QLabel(tr("Input shape"), this));
    input->addWidget(shape_, 1);
    input->addWidget(dtype_);
    auto* rule = new QLabel(tr("Zeros of this shape go through the model once, in eval mode. A "
                               "container's children run only where a forward calls them; "
                               "ModuleList and ModuleDict have no forward."),
                            this);
    rule->setWordWrap(true);
    rule->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(input);
    layout->addWidget(message_);
    layout->addWidget(rule);
    layout->addWidget(table_, 1);
    layout->addWidget(footer_);

    connect(shape_, &QLineEdit::textChanged, this, [this] {
        validate();
        emit inputChanged();
    });
    connect(dtype_, &QComboBox::currentIndexChanged, this, [this] { emit inputChanged(); });
    validate();
}

std::optional<Shape> InspectorDryRunTab::inputShape() const {
    try {
        return session::parse_input_shape(shape_->text().toStdString());
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

DType InspectorDryRunTab::inputDType() const {
    return dtype_->currentIndex() == 1 ? DType::Int64 : DType::Float32;
}

void InspectorDryRunTab::setInputShape(const QString& text) {
    shape_->setText(text);
}

void InspectorDryRunTab::validate() {
    shape_error_.clear();
    try {
        session::parse_input_shape(shape_->text().toStdString());
    } catch (const std::invalid_argument& e) {
        shape_error_ = QString::fromStdString(e.what());
    }
    shape_->setStyleSheet(shape_error_.isEmpty() ? QString()
                                                 : QStringLiteral("border: 1px solid #b22222;"));
    message_->setText(shape_error_);
    message_->setVisible(!shape_error_.isEmpty());
}

void InspectorDryRunTab::setInspection(const session::BuilderInspectionPtr& inspection) {
    if (!inspection || inspection->build_error) {
        model_->setDryRun(std::nullopt);
        footer_->clear();
        return;
    }
    model_->setDryRun(inspection->dry_run);
    footer_->setText(model_->footerText());
    if (shape_error_.isEmpty()) {
        const QString refused = inspection->dry_run_error
                                    ? QString::fromStdString(*inspection->dry_run_error)
                                    : QString();
        message_->setText(refused);
        message_->setVisible(!refused.isEmpty());
    }
    table_->resizeColumnsToContents();
}

QString InspectorDryRunTab::footerText() const {
    return footer_->text();
}

QString InspectorDryRunTab::messageText() const {
    return message_->isVisibleTo(this) ? message_->text() : QString();
}

} // namespace nnscope::ui
