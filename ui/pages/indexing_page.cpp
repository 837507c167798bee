#include "ui/pages/indexing_page.h"

#include "ui/indexing/refusal_panel.h"
#include "ui/indexing/tensor_editor.h"
#include "ui/indexing/tensor_grid_model.h"
#include "ui/indexing/tensor_grid_view.h"

#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace nnscope::ui {

using workflows::IndexOp;

namespace {

constexpr int kNoPadding = -13; // the padding spin box's "none"

QLabel* boldLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

QLabel* noteLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// A grid under its bold title (*heading, when asked for), with an optional note between them.
QWidget* titled(const QString& title, QWidget* body, QLabel* note, QWidget* parent,
                QLabel** heading = nullptr) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    QLabel* label = boldLabel(title, box);
    if (heading) *heading = label;
    layout->addWidget(label);
    if (note) layout->addWidget(note);
    layout->addWidget(body, 1);
    return box;
}

// 1, 2, ... as a float32 tensor of `shape`: values a learner can follow from cell to cell.
Tensor counting(const Shape& shape) {
    std::vector<double> values(static_cast<std::size_t>(shape[0] * shape[1]));
    for (std::size_t k = 0; k < values.size(); ++k)
        values[k] = static_cast<double>(k + 1);
    return Tensor::from_vector(values, shape);
}

} // namespace

IndexingPage::IndexingPage(QWidget* parent)
    : Workspace(parent) {
    input_ = new TensorEditor({tr("input x"),
                               QStringLiteral("x"),
                               {DType::Float32, DType::Float64, DType::Int64},
                               true,
                               0,
                               1},
                              this);
    index_ = new TensorEditor({tr("index idx"),
                               QStringLiteral("idx"),
                               {DType::Int64, DType::Int32, DType::Float32},
                               true,
                               0,
                               2},
                              this);
    grad_output_ = new TensorEditor(
        {tr("output gradient grad_out"), QStringLiteral("grad_out"), {}, false, 1, 3}, this);
    output_model_ = new TensorGridModel(QStringLiteral("out"), this);
    output_view_ = new TensorGridView(this);
    output_view_->setGridModel(output_model_);
    grad_input_model_ = new TensorGridModel(QStringLiteral("x.grad"), this);
    grad_input_view_ = new TensorGridView(this);
    grad_input_view_->setGridModel(grad_input_model_);
    refusal_ = new RefusalPanel(this);
    refusal_->hide();

    op_box_ = new QComboBox(this);
    for (IndexOp op : {IndexOp::IndexSelect, IndexOp::Gather, IndexOp::Embedding})
        op_box_->addItem(QString::fromStdString(workflows::index_op_name(op)),
                         static_cast<int>(op));
    dim_box_ = new QSpinBox(this);
    dim_box_->setRange(-4, 3); // wider than any input here: PyTorch's refusal is the lesson
    dim_box_->setToolTip(
        tr("The dimension to index; negative counts from the last, as in PyTorch"));
    padding_box_ = new QSpinBox(this);
    padding_box_->setRange(kNoPadding, 12);
    padding_box_->setSpecialValueText(tr("none"));
    padding_box_->setToolTip(tr("Embedding's padding_idx: that row gets no gradient"));
    call_line_ = new QLineEdit(this);
    call_line_->setReadOnly(true);
    call_line_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    call_line_->setToolTip(tr("The same call in PyTorch (import torch.nn.functional as F)"));
    formula_ = noteLabel(this);
    formula_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    link_note_ = noteLabel(this);
    grad_note_ = noteLabel(this);
    grad_note_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum); // never cut off
    buildLayout();

    connect(op_box_, &QComboBox::activated, this,
            [this] { setOp(static_cast<IndexOp>(op_box_->currentData().toInt())); });
    connect(dim_box_, &QSpinBox::valueChanged, this, &IndexingPage::recompute);
    connect(padding_box_, &QSpinBox::valueChanged, this, &IndexingPage::recompute);
    for (TensorEditor* editor : {input_, index_, grad_output_})
        connect(editor, &TensorEditor::tensorEdited, this, &IndexingPage::recompute);
    const std::pair<TensorGridView*, Grid> views[] = {
        {input_->view(), Grid::Input},       {index_->view(), Grid::Index},
        {output_view_, Grid::Output},        {grad_output_->view(), Grid::GradOutput},
        {grad_input_view_, Grid::GradInput},
    };
    for (const auto& [view, grid] : views) {
        connect(view, &TensorGridView::elementChosen, this, [this, grid = grid](std::int64_t flat) {
            if (flat >= 0) choose(grid, flat);
        });
        connect(view, &TensorGridView::elementHovered, this,
                [this, grid = grid](std::int64_t flat) { hover(grid, flat); });
    }

    setOp(IndexOp::Gather);
    output_view_->setCurrentIndex(output_model_->cell(1)); // out[0, 1]: a link shown at once
}

void IndexingPage::buildLayout() {
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Operation"), this));
    controls->addWidget(op_box_);
    controls->addWidget(new QLabel(tr("dim"), this));
    controls->addWidget(dim_box_);
    controls->addWidget(new QLabel(tr("padding_idx"), this));
    controls->addWidget(padding_box_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("PyTorch"), this));
    controls->addWidget(call_line_, 1);
    auto* copy = new QPushButton(tr("Copy as Python"), this);
    copy->setToolTip(tr("Copy a script that builds these tensors and runs the call (and the "
                        "backward) in PyTorch"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(pythonText()); });
    controls->addWidget(copy);

    auto* explain = new QWidget(this);
    auto* explain_layout = new QVBoxLayout(explain);
    explain_layout->setContentsMargins(0, 0, 0, 0);
    explain_layout->addWidget(boldLabel(tr("How the output is made"), explain));
    explain_layout->addWidget(formula_);
    explain_layout->addWidget(refusal_);
    explain_layout->addWidget(link_note_);
    explain_layout->addStretch(1);

    auto* grids = grids_ = new QGridLayout;
    grids->addWidget(input_, 0, 0);
    grids->addWidget(titled(tr("output out (each cell in the colour of the input cell it copies)"),
                            output_view_, nullptr, this),
                     0, 1);
    grids->addWidget(index_, 1, 0);
    grids->addWidget(explain, 1, 1);
    grids->addWidget(grad_output_, 2, 0);
    grids->addWidget(titled(QString(), grad_input_view_, grad_note_, this, &grad_title_), 2, 1);
    grids->setColumnStretch(0, 1);
    grids->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(grids, 1);
}

void IndexingPage::setOp(IndexOp op) {
    op_box_->setCurrentIndex(op_box_->findData(static_cast<int>(op)));
    loadExample(op);
    recompute();
}

IndexOp IndexingPage::op() const {
    return static_cast<IndexOp>(op_box_->currentData().toInt());
}

void IndexingPage::setDim(int dim) {
    dim_box_->setValue(dim);
}

void IndexingPage::setPaddingIdx(std::optional<std::int64_t> padding) {
    padding_box_->setValue(padding ? static_cast<int>(*padding) : kNoPadding);
}

std::optional<std::int64_t> IndexingPage::paddingIdx() const {
    if (op() != IndexOp::Embedding || padding_box_->value() == kNoPadding) return std::nullopt;
    return padding_box_->value();
}

// Each op starts on an index that repeats, so that the gradient shows a fan-in of 2 or more.
void IndexingPage::loadExample(IndexOp op) {
    loading_ = true;
    const bool embedding = op == IndexOp::Embedding;
    input_->titleLabel()->setText(embedding ? tr("weight") : tr("input x"));
    input_->titleLabel()->setToolTip(embedding ? tr("num_embeddings rows of embedding_dim values")
                                               : QString());
    dim_box_->setEnabled(!embedding);
    padding_box_->setEnabled(embedding);
    switch (op) {
    case IndexOp::Gather: // out[i][j] = x[i][idx[i][j]]: x[0, 0] and x[2, 2] are taken twice
        input_->setTensor(counting({3, 4}));
        index_->setTensor(Tensor::from_int64({0, 0, 3, 1, 2, 2}, {3, 2}));
        dim_box_->setValue(1);
        break;
    case IndexOp::IndexSelect: // column 3 twice
        input_->setTensor(counting({3, 4}));
        index_->setTensor(Tensor::from_int64({3, 0, 3}, {3}));
        dim_box_->setValue(1);
        break;
    case IndexOp::Embedding: // row 3 three times; row 0 is padding
        input_->setTensor(counting({5, 3}));
        index_->setTensor(Tensor::from_int64({1, 3, 0, 3, 3, 2}, {2, 3}));
        dim_box_->setValue(0);
        break;
    }
    padding_box_->setValue(embedding ? 0 : kNoPadding);
    grad_output_->model()->clear(); // ones again, in the new output's shape
    chosen_.reset();
    loading_ = false;
}

workflows::IndexTraceRequest IndexingPage::request() const {
    workflows::IndexTraceRequest r;
    r.op = op();
    r.input = input_->tensor();
    r.dim = dim_box_->value();
    r.index = index_->tensor();
    r.padding_idx = paddingIdx();
    return r;
}

QString IndexingPage::callText() const {
    return call_line_->text();
}

QString IndexingPage::pythonText() const {
    workflows::IndexTraceRequest r = request();
    if (!trace_.refusal && trace_.grad_input.defined()) r.grad_output = grad_output_->tensor();
    return pythonSnippet(r);
}
QString IndexingPage::linkText() const {
    return link_note_->text();
}
QString IndexingPage::gradientNote() const {
    return grad_note_->text();
}

void IndexingPage::updateCall() {
    const workflows::IndexTraceRequest r = request();
    call_line_->setText(torchCall(r.op, r.dim, r.padding_idx));
    formula_->setText(indexFormula(r.op, r.dim, r.input.shape().size(), r.index.shape().size()));
}

} // namespace nnscope::ui
