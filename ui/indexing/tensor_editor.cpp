#include "ui/indexing/tensor_editor.h"

#include "engine/random.h"
#include "ui/indexing/tensor_grid_model.h"
#include "ui/indexing/tensor_grid_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>
#include <cmath>

namespace nnscope::ui {

namespace {

constexpr std::int64_t kMaxSize = 12;

// A value as `dtype` stores it.
double stored(double value, DType dtype) {
    if (!is_floating_point(dtype)) return std::nearbyint(value);
    return dtype == DType::Float32 ? static_cast<double>(static_cast<float>(value)) : value;
}

} // namespace

std::optional<Shape> TensorEditor::parseShape(const QString& text, QString* error) {
    QString cleaned = text;
    cleaned.remove(QRegularExpression(QStringLiteral("[\\[\\]()]")));
    static const QRegularExpression separators(QStringLiteral("[x×X,\\s]+"));
    const QStringList parts = cleaned.split(separators, Qt::SkipEmptyParts);
    Shape shape;
    for (const QString& part : parts) {
        bool ok = false;
        const qlonglong size = part.toLongLong(&ok);
        if (!ok) {
            *error = tr("'%1' is not a size: type a shape such as 2x3x4").arg(part);
            return std::nullopt;
        }
        if (size < 1 || size > kMaxSize) {
            *error = tr("size %1: each size must be from 1 to %2").arg(size).arg(kMaxSize);
            return std::nullopt;
        }
        shape.push_back(size);
    }
    if (shape.empty() || shape.size() > 3) {
        *error = tr("a shape has 1 to 3 sizes here, such as 5, 3x4 or 2x3x4");
        return std::nullopt;
    }
    return shape;
}

QString TensorEditor::shapeText(const Shape& shape) {
    QStringList parts;
    for (std::int64_t size : shape)
        parts << QString::number(size);
    return shape.empty() ? tr("scalar") : parts.join(QLatin1Char('x'));
}

TensorEditor::TensorEditor(const Options& options, QWidget* parent)
    : QWidget(parent)
    , options_(options)
    , generator_(options.seed) {
    model_ = new TensorGridModel(options.name, this);
    model_->setEditable(true);
    view_ = new TensorGridView(this);
    view_->setGridModel(model_);
    title_ = new QLabel(options.title, this);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    shape_field_ = new QLineEdit(this);
    shape_field_->setToolTip(tr("The shape: 1 to 3 sizes, each from 1 to 12, such as 2x3x4"));
    shape_field_->setMaximumWidth(90);
    shape_field_->setReadOnly(!options.shapeEditable);
    dtype_box_ = new QComboBox(this);
    for (DType dtype : options.dtypes)
        dtype_box_->addItem(QString::fromLatin1(dtype_name(dtype)), static_cast<int>(dtype));
    dtype_box_->setVisible(!options.dtypes.empty());
    random_ = new QPushButton(tr("Random"), this);
    random_->setToolTip(tr("Fill with random values from a generator seeded with %1")
                            .arg(static_cast<qulonglong>(options.seed)));
    error_ = new QLabel(this);
    error_->setStyleSheet(QStringLiteral("color: #c62828;"));
    error_->setWordWrap(true);
    error_->hide();

    auto* bar = new QHBoxLayout;
    bar->addWidget(title_);
    bar->addStretch(1);
    bar->addWidget(new QLabel(tr("shape"), this));
    bar->addWidget(shape_field_);
    bar->addWidget(dtype_box_);
    bar->addWidget(random_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(error_);
    layout->addWidget(view_, 1);

    connect(shape_field_, &QLineEdit::editingFinished, this, &TensorEditor::applyShapeField);
    connect(dtype_box_, &QComboBox::activated, this, &TensorEditor::applyDtype);
    connect(random_, &QPushButton::clicked, this, &TensorEditor::randomize);
    connect(model_, &TensorGridModel::valueEdited, this, &TensorEditor::tensorEdited);
}

void TensorEditor::setTensor(const Tensor& tensor) {
    model_->setTensor(tensor);
    showShape();
}

Tensor TensorEditor::tensor() const {
    return model_->tensor();
}

QString TensorEditor::shapeError() const {
    return error_->isHidden() ? QString() : error_->text();
}

void TensorEditor::reshape(const Shape& shape, DType dtype) {
    const Shape& old = model_->shape();
    const std::vector<double>& values = model_->values();
    std::int64_t numel = 1;
    for (std::int64_t size : shape)
        numel *= size;
    std::vector<double> next(static_cast<std::size_t>(numel), options_.fillValue);
    for (std::int64_t k = 0; k < numel; ++k) {
        const Shape at = multiIndexOf(k, shape);
        bool inside = old.size() == shape.size() && !values.empty();
        for (std::size_t d = 0; inside && d < at.size(); ++d)
            inside = at[d] < old[d];
        next[static_cast<std::size_t>(k)] = stored(
            inside ? values[static_cast<std::size_t>(flatOf(at, old))] : options_.fillValue, dtype);
    }
    setTensor(Tensor::from_vector(next, shape, dtype));
}

void TensorEditor::setIntegerRange(std::int64_t low, std::int64_t high) {
    low_ = low;
    high_ = std::max(high, low + 1);
}

void TensorEditor::randomize() {
    const Shape shape = model_->shape();
    const DType dtype = model_->dtype();
    Tensor values;
    if (!is_floating_point(dtype)) {
        values = randint(low_, high_, shape, generator_).to(dtype);
    } else {
        std::vector<double> drawn = rand(shape, generator_, DType::Float64).to_vector();
        for (double& v : drawn)
            v = std::round((2 * v - 1) * 100) / 100;
        values = Tensor::from_vector(drawn, shape, dtype);
    }
    setTensor(values);
    emit tensorEdited();
}

void TensorEditor::applyShapeField() {
    if (!options_.shapeEditable) return;
    QString error;
    const std::optional<Shape> shape = parseShape(shape_field_->text(), &error);
    error_->setText(error);
    error_->setVisible(!shape);
    if (!shape || *shape == model_->shape()) return;
    reshape(*shape, model_->dtype());
    emit tensorEdited();
}

void TensorEditor::applyDtype() {
    const auto dtype = static_cast<DType>(dtype_box_->currentData().toInt());
    if (dtype == model_->dtype()) return;
    reshape(model_->shape(), dtype);
    emit tensorEdited();
}

void TensorEditor::showShape() {
    shape_field_->setText(shapeText(model_->shape()));
    error_->hide();
    const int at = dtype_box_->findData(static_cast<int>(model_->dtype()));
    if (at >= 0) dtype_box_->setCurrentIndex(at);
}

} // namespace nnscope::ui
