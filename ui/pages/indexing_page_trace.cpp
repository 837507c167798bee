// The indexing page's computation and links: the trace on every edit, the refusal, the output's
// colours, the backward, and what a chosen cell is linked to.

#include "ui/indexing/refusal_panel.h"
#include "ui/indexing/tensor_editor.h"
#include "ui/indexing/tensor_grid_model.h"
#include "ui/indexing/tensor_grid_view.h"
#include "ui/lab/lab_plot.h"
#include "ui/pages/indexing_page.h"

#include <QGridLayout>
#include <QLabel>

namespace nnscope::ui {

using workflows::IndexOp;

namespace {

// The size index values must stay below for the dim given (1 where the dim is out of range:
// PyTorch refuses that call whatever the index holds).
std::int64_t indexBound(const workflows::IndexTraceRequest& r) {
    const Shape& shape = r.input.shape();
    if (r.op == IndexOp::Embedding) return shape.empty() ? 1 : shape[0];
    const auto n = static_cast<std::int64_t>(shape.size());
    const std::int64_t d = r.dim < 0 ? r.dim + n : r.dim;
    return d >= 0 && d < n ? shape[static_cast<std::size_t>(d)] : 1;
}

// "out[0, 1], out[1, 1]", the first few.
QString elementList(const TensorGridModel& model, const std::vector<std::int64_t>& flat) {
    constexpr std::size_t most = 6;
    QStringList names;
    for (std::size_t i = 0; i < flat.size() && i < most; ++i)
        names << model.elementName(flat[i]);
    if (flat.size() > most) names << QStringLiteral("…");
    return names.join(QStringLiteral(", "));
}

QString outputCount(const std::vector<std::int64_t>& outputs) {
    return countOf(static_cast<std::int64_t>(outputs.size()), IndexingPage::tr("output"),
                   IndexingPage::tr("outputs"));
}

QString valueOf(const TensorGridModel& model, std::int64_t flat) {
    return gridValueText(model.values()[static_cast<std::size_t>(flat)], model.dtype());
}

} // namespace

// The trace is tiny (every dim of the input and index at most 12), so it runs synchronously on
// each edit: the worker machinery of the other pages (session::JobController) is for work that
// takes time.
void IndexingPage::recompute() {
    if (loading_) return;
    updateCall();
    workflows::IndexTraceRequest r = request();
    const QString input_name = inputName(r.op);
    input_->model()->setName(input_name);
    grad_input_model_->setName(input_name + QStringLiteral(".grad"));
    grad_title_->setText(
        tr("input gradient %1.grad (×n: how many outputs fed it)").arg(input_name));
    index_->setIntegerRange(0, indexBound(r));
    trace_ = workflows::trace_index(r);
    if (trace_.refusal) {
        showRefusal();
        return fitRows();
    }
    index_->model()->setBad({});
    refusal_->hide();
    showOutput();
    showGradient(std::move(r));
    fitRows();
    if (chosen_) {
        showLinks(chosen_->first, chosen_->second);
    } else {
        clearMarks();
        link_note_->setText(tr("Select a cell to see what it is linked to."));
    }
}

void IndexingPage::showRefusal() {
    const workflows::IndexRefusal& refusal = *trace_.refusal;
    std::vector<std::int64_t> bad;
    for (const Shape& at : refusal.bad_positions)
        bad.push_back(flatOf(at, index_->model()->shape()));
    index_->model()->setBad(bad);
    refusal_->showRefusal(QString::fromStdString(refusal.exception),
                          QString::fromStdString(refusal.message), bad.size());
    refusal_->show();
    links_ = {};
    input_->model()->setColours({});
    output_model_->clear();
    grad_input_model_->clear();
    grad_note_->setText(tr("No backward: PyTorch refused the forward."));
    link_note_->clear();
    clearMarks();
}

void IndexingPage::showOutput() {
    output_model_->setTensor(trace_.output);
    links_ = linkIndexTrace(trace_, input_->model()->shape(), index_->model()->shape());
    input_->model()->setColours(links_.input_colours);
    output_model_->setColours(links_.output_colours);
    std::vector<QString> tips;
    for (std::size_t k = 0; k < links_.source.size(); ++k) {
        const std::int64_t from = links_.source[k], by = links_.chosen_by[k];
        tips.push_back(tr("%1 = %2 = %3, chosen by %4 = %5")
                           .arg(output_model_->elementName(static_cast<std::int64_t>(k)),
                                input_->model()->elementName(from), valueOf(*input_->model(), from),
                                index_->model()->elementName(by), valueOf(*index_->model(), by)));
    }
    output_model_->setToolTips(std::move(tips));
}

void IndexingPage::showGradient(workflows::IndexTraceRequest r) {
    const QString grad = grad_input_model_->name();
    if (!r.input.is_floating_point()) {
        grad_input_model_->clear();
        grad_note_->setText(tr("No gradient: only Tensors of floating point dtype can require "
                               "gradients (the input is %1).")
                                .arg(QString::fromLatin1(dtype_name(r.input.dtype()))));
        return;
    }
    const Tensor& out = trace_.output;
    const Tensor given = grad_output_->tensor();
    if (!given.defined() || given.shape() != out.shape() || given.dtype() != out.dtype())
        grad_output_->reshape(out.shape(), out.dtype()); // ones where there was nothing
    r.grad_output = grad_output_->tensor();
    workflows::IndexTrace full = workflows::trace_index(r);
    if (full.refusal) { // not expected: the forward just ran
        grad_input_model_->clear();
        grad_note_->setText(QString::fromStdString(full.refusal->what()));
        return;
    }
    trace_ = std::move(full);
    grad_input_model_->setTensor(trace_.grad_input);
    std::vector<bool> padding(trace_.fan_in.size(), false);
    QString note = tr("%1 adds up grad_out over the outputs copied from each element: repeated "
                      "indices accumulate, as scatter_add does.")
                       .arg(grad);
    if (r.op == IndexOp::Embedding && r.padding_idx) {
        const Shape& shape = r.input.shape();
        const std::int64_t row = *r.padding_idx < 0 ? *r.padding_idx + shape[0] : *r.padding_idx;
        for (std::size_t i = 0; i < padding.size(); ++i)
            padding[i] = multiIndexOf(static_cast<std::int64_t>(i), shape)[0] == row;
        note = tr("Row %1 is padding_idx: F.embedding gives it no gradient, so %2[%1] stays 0 "
                  "however often idx picks it. The other rows add up grad_out.")
                   .arg(row)
                   .arg(grad);
    }
    grad_input_model_->setSuffixes(fanInSuffixes(trace_.fan_in, padding));
    grad_input_model_->setColours(links_.input_colours);
    grad_note_->setText(note);
}

// Each row of grids gets room in proportion to its tallest grid, so that a 3-d input is not
// squeezed beside a 1-d index.
void IndexingPage::fitRows() {
    const int rows[] = {
        std::max(input_->model()->rowCount(), output_model_->rowCount()),
        std::max(index_->model()->rowCount(), 3), // and the explanation beside it
        std::max(grad_output_->model()->rowCount(), grad_input_model_->rowCount()),
    };
    for (int row = 0; row < 3; ++row)
        grids_->setRowStretch(row, std::min(rows[row], 12) + 1);
}

void IndexingPage::clearMarks() {
    for (TensorGridModel* model : {input_->model(), index_->model(), output_model_,
                                   grad_output_->model(), grad_input_model_})
        model->setMarked({});
}

void IndexingPage::choose(Grid grid, std::int64_t flat) {
    chosen_ = std::pair(grid, flat);
    showLinks(grid, flat);
}

void IndexingPage::hover(Grid grid, std::int64_t flat) {
    if (flat >= 0) return showLinks(grid, flat);
    if (chosen_) return showLinks(chosen_->first, chosen_->second);
    clearMarks();
    link_note_->setText(tr("Select a cell to see what it is linked to."));
}

void IndexingPage::showLinks(Grid grid, std::int64_t flat) {
    const bool on_input = grid == Grid::Input || grid == Grid::GradInput;
    TensorGridModel* own = on_input              ? input_->model()
                           : grid == Grid::Index ? index_->model()
                                                 : output_model_;
    if (flat < 0 || flat >= static_cast<std::int64_t>(own->values().size())) {
        chosen_.reset(); // the grid has shrunk under it
        return clearMarks();
    }
    if (links_.source.empty()) { // refused: nothing is linked
        clearMarks();
        own->setMarked({flat});
        return;
    }
    const std::vector<std::int64_t> outputs =
        on_input              ? links_.outputs_of_input[static_cast<std::size_t>(flat)]
        : grid == Grid::Index ? links_.outputs_of_index[static_cast<std::size_t>(flat)]
                              : std::vector<std::int64_t>{flat};
    const std::vector<std::int64_t> sources =
        on_input ? std::vector<std::int64_t>{flat} : sourcesOf(links_, outputs);
    input_->model()->setMarked(sources);
    grad_input_model_->setMarked(sources);
    index_->model()->setMarked(grid == Grid::Index ? std::vector<std::int64_t>{flat}
                                                   : choosersOf(links_, outputs));
    output_model_->setMarked(outputs);
    grad_output_->model()->setMarked(outputs);
    for (TensorGridView* view : {input_->view(), index_->view(), output_view_})
        view->showMarked();
    describe(grid, flat, outputs);
}

void IndexingPage::describe(Grid grid, std::int64_t flat,
                            const std::vector<std::int64_t>& outputs) {
    const TensorGridModel& x = *input_->model();
    const TensorGridModel& idx = *index_->model();
    const TensorGridModel& out = *output_model_;
    QString text;
    if (grid == Grid::Output || grid == Grid::GradOutput) {
        const std::int64_t from = links_.source[static_cast<std::size_t>(flat)];
        const std::int64_t by = links_.chosen_by[static_cast<std::size_t>(flat)];
        text = tr("%1 = %2 = %3, chosen by %4 = %5.")
                   .arg(out.elementName(flat), x.elementName(from), valueOf(x, from),
                        idx.elementName(by), valueOf(idx, by));
    } else if (grid == Grid::Index) {
        text = tr("%1 = %2 chose %3: %4.")
                   .arg(idx.elementName(flat), valueOf(idx, flat), outputCount(outputs),
                        elementList(out, outputs));
    } else if (outputs.empty()) {
        text = tr("%1 = %2 is copied to no output, so its gradient is 0.")
                   .arg(x.elementName(flat), valueOf(x, flat));
    } else {
        text = tr("%1 = %2 is copied to %3: %4. In backward their gradients add up in %5.")
                   .arg(x.elementName(flat), valueOf(x, flat), outputCount(outputs),
                        elementList(out, outputs), grad_input_model_->elementName(flat));
    }
    link_note_->setText(text);
}

} // namespace nnscope::ui
