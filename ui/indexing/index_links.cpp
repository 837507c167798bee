#include "ui/indexing/index_links.h"

#include "ui/indexing/tensor_grid_model.h"
#include "ui/lab/lab_plot.h"

#include <QStringList>
#include <algorithm>
#include <cmath>

namespace nnscope::ui {

namespace {

std::vector<std::int64_t> unique_sorted(std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

std::int64_t numel(const Shape& shape) {
    std::int64_t n = 1;
    for (std::int64_t size : shape)
        n *= size;
    return n;
}

// "[i][j]" from loop letters.
QString subscripts(const QStringList& letters) {
    QString text;
    for (const QString& letter : letters)
        text += QLatin1Char('[') + letter + QLatin1Char(']');
    return text;
}

QStringList letters(std::size_t n) {
    static const char* const names[] = {"i", "j", "k", "l"};
    QStringList list;
    for (std::size_t d = 0; d < n && d < std::size(names); ++d)
        list << QString::fromLatin1(names[d]);
    return list;
}

} // namespace

IndexLinks linkIndexTrace(const workflows::IndexTrace& trace, const Shape& input_shape,
                          const Shape& index_shape) {
    IndexLinks links;
    links.outputs_of_input.resize(static_cast<std::size_t>(numel(input_shape)));
    links.outputs_of_index.resize(static_cast<std::size_t>(numel(index_shape)));
    for (std::size_t k = 0; k < trace.source.size(); ++k) {
        const std::int64_t from = flatOf(trace.source[k], input_shape);
        const std::int64_t by = flatOf(trace.chosen_by[k], index_shape);
        links.source.push_back(from);
        links.chosen_by.push_back(by);
        links.outputs_of_input[static_cast<std::size_t>(from)].push_back(
            static_cast<std::int64_t>(k));
        links.outputs_of_index[static_cast<std::size_t>(by)].push_back(
            static_cast<std::int64_t>(k));
    }
    // Colours in input order among the copied elements only, so that up to a dozen sources all
    // differ however far apart they lie.
    links.input_colours.resize(links.outputs_of_input.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < links.outputs_of_input.size(); ++i)
        if (!links.outputs_of_input[i].empty()) links.input_colours[i] = categoryColour(next++);
    for (std::int64_t from : links.source)
        links.output_colours.push_back(links.input_colours[static_cast<std::size_t>(from)]);
    return links;
}

std::vector<std::int64_t> sourcesOf(const IndexLinks& links, const std::vector<std::int64_t>& out) {
    std::vector<std::int64_t> sources;
    for (std::int64_t k : out)
        sources.push_back(links.source[static_cast<std::size_t>(k)]);
    return unique_sorted(std::move(sources));
}

std::vector<std::int64_t> choosersOf(const IndexLinks& links,
                                     const std::vector<std::int64_t>& out) {
    std::vector<std::int64_t> choosers;
    for (std::int64_t k : out)
        choosers.push_back(links.chosen_by[static_cast<std::size_t>(k)]);
    return unique_sorted(std::move(choosers));
}

std::vector<QString> fanInSuffixes(const std::vector<std::int64_t>& fan_in,
                                   const std::vector<bool>& padding) {
    std::vector<QString> suffixes;
    for (std::size_t i = 0; i < fan_in.size(); ++i)
        suffixes.push_back(i < padding.size() && padding[i]
                               ? QStringLiteral(" (padding)")
                               : QStringLiteral(" ×%1").arg(fan_in[i]));
    return suffixes;
}

namespace {

// A value as Python reads it back exactly: integers plainly, floats always with a point.
QString pythonNumber(double value, DType dtype) {
    if (!is_floating_point(dtype)) return QString::number(static_cast<qint64>(value));
    if (std::isnan(value)) return QStringLiteral("float('nan')");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("float('inf')") : QStringLiteral("-float('inf')");
    QString text = exactValueText(value, dtype);
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        text += QStringLiteral(".0");
    return text;
}

QString literalFrom(const std::vector<double>& values, const Shape& shape, DType dtype,
                    std::size_t dim, std::size_t& at) {
    if (dim == shape.size()) return pythonNumber(values[at++], dtype);
    QStringList items;
    for (std::int64_t i = 0; i < shape[dim]; ++i)
        items << literalFrom(values, shape, dtype, dim + 1, at);
    return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// ", dtype=torch.float64" unless torch.tensor infers the dtype from the literal.
QString dtypeArgument(DType dtype) {
    if (dtype == DType::Float32 || dtype == DType::Int64) return {};
    return QStringLiteral(", dtype=torch.") + QString::fromLatin1(dtype_name(dtype));
}

} // namespace

QString pythonLiteral(const Tensor& tensor) {
    std::vector<double> values;
    if (is_floating_point(tensor.dtype())) {
        values = tensor.to_vector();
    } else {
        for (std::int64_t v : tensor.to_int64_vector())
            values.push_back(static_cast<double>(v));
    }
    std::size_t at = 0;
    return literalFrom(values, tensor.shape(), tensor.dtype(), 0, at);
}

QString pythonSnippet(const workflows::IndexTraceRequest& r) {
    const QString x = inputName(r.op);
    const bool backward = r.grad_output.defined() && r.input.is_floating_point();
    QStringList lines{QStringLiteral("import torch"),
                      QStringLiteral("import torch.nn.functional as F")};
    lines << QStringLiteral("%1 = torch.tensor(%2%3%4)")
                 .arg(x, pythonLiteral(r.input), dtypeArgument(r.input.dtype()),
                      backward ? QStringLiteral(", requires_grad=True") : QString());
    lines << QStringLiteral("idx = torch.tensor(%1%2)")
                 .arg(pythonLiteral(r.index), dtypeArgument(r.index.dtype()));
    lines << QStringLiteral("out = ") + torchCall(r.op, r.dim, r.padding_idx);
    lines << QStringLiteral("print(out)");
    if (backward) {
        lines << QStringLiteral("out.backward(torch.tensor(%1%2))")
                     .arg(pythonLiteral(r.grad_output), dtypeArgument(r.grad_output.dtype()));
        lines << QStringLiteral("print(%1.grad)").arg(x);
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString inputName(workflows::IndexOp op) {
    return op == workflows::IndexOp::Embedding ? QStringLiteral("weight") : QStringLiteral("x");
}

QString torchCall(workflows::IndexOp op, std::int64_t dim, std::optional<std::int64_t> padding) {
    switch (op) {
    case workflows::IndexOp::IndexSelect:
        return QStringLiteral("torch.index_select(x, %1, idx)").arg(dim);
    case workflows::IndexOp::Gather:
        return QStringLiteral("torch.gather(x, %1, idx)").arg(dim);
    case workflows::IndexOp::Embedding:
        return padding ? QStringLiteral("F.embedding(idx, weight, padding_idx=%1)").arg(*padding)
                       : QStringLiteral("F.embedding(idx, weight)");
    }
    return {};
}

QString indexFormula(workflows::IndexOp op, std::int64_t dim, std::size_t input_dims,
                     std::size_t index_dims) {
    const auto n = static_cast<std::int64_t>(std::max<std::size_t>(input_dims, 1));
    if (op != workflows::IndexOp::Embedding && (dim < -n || dim >= n)) return {};
    const auto d = static_cast<qsizetype>(dim < 0 ? dim + n : dim);
    switch (op) {
    case workflows::IndexOp::IndexSelect: {
        const QStringList out = letters(static_cast<std::size_t>(n));
        QStringList in = out;
        in[d] = QStringLiteral("idx[%1]").arg(out[d]);
        return QStringLiteral("out%1 = x%2").arg(subscripts(out), subscripts(in));
    }
    case workflows::IndexOp::Gather: {
        const QStringList out = letters(static_cast<std::size_t>(n));
        QStringList in = out;
        in[d] = QStringLiteral("idx") + subscripts(out);
        return QStringLiteral("out%1 = x%2").arg(subscripts(out), subscripts(in));
    }
    case workflows::IndexOp::Embedding: {
        const QStringList at = letters(std::min<std::size_t>(index_dims, 3));
        return QStringLiteral("out%1[e] = weight[idx%1][e]").arg(subscripts(at));
    }
    }
    return {};
}

} // namespace nnscope::ui
