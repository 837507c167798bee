#include "workflows/index_trace.h"

#include "engine/ops/index.h"

#include <stdexcept>

namespace nnscope::workflows {

namespace {

// The multi-index of row-major position `flat` in `shape`.
Shape unravel(std::int64_t flat, const Shape& shape) {
    Shape at(shape.size(), 0);
    for (std::size_t d = shape.size(); d-- > 0;) {
        at[d] = flat % shape[d];
        flat /= shape[d];
    }
    return at;
}

std::int64_t ravel(const Shape& at, const Shape& shape) {
    std::int64_t flat = 0;
    for (std::size_t d = 0; d < shape.size(); ++d)
        flat = flat * shape[d] + at[d];
    return flat;
}

// The engine's exception as PyTorch raises it: std::out_of_range is its IndexError, and the
// one assertion on this path (F.embedding's padding_idx) keeps Python's AssertionError.
IndexRefusal refusal_of(const std::exception& error, bool index_error) {
    const std::string message = error.what();
    if (index_error) return {"IndexError", message, {}};
    if (message == "Padding_idx must be within num_embeddings")
        return {"AssertionError", message, {}};
    return {"RuntimeError", message, {}};
}

Tensor run_op(const IndexTraceRequest& r, const Tensor& input) {
    switch (r.op) {
    case IndexOp::IndexSelect:
        return index_select(input, r.dim, r.index);
    case IndexOp::Gather:
        return gather(input, r.dim, r.index);
    case IndexOp::Embedding:
        return embedding(input, r.index, r.padding_idx);
    }
    throw std::logic_error("run_op: unknown op");
}

// The size the index values must stay below, or -1 where the op refused before looking.
std::int64_t index_bound(const IndexTraceRequest& r) {
    const Tensor& x = r.input;
    if (r.op == IndexOp::Embedding) return x.dim() > 0 ? x.shape()[0] : -1;
    const std::int64_t ndim = std::max<std::int64_t>(x.dim(), 1);
    if (r.dim < -ndim || r.dim >= ndim) return -1;
    const std::int64_t d = r.dim < 0 ? r.dim + ndim : r.dim;
    return x.dim() == 0 ? 1 : x.shape()[static_cast<std::size_t>(d)];
}

std::vector<Shape> bad_positions(const IndexTraceRequest& r) {
    std::vector<Shape> bad;
    const std::int64_t bound = index_bound(r);
    if (bound < 0 || is_floating_point(r.index.dtype()) || r.index.dtype() == DType::Bool)
        return bad;
    const std::vector<std::int64_t> values = r.index.to_int64_vector();
    for (std::size_t k = 0; k < values.size(); ++k)
        if (values[k] < 0 || values[k] >= bound)
            bad.push_back(unravel(static_cast<std::int64_t>(k), r.index.shape()));
    return bad;
}

// Fills source and chosen_by for every output element.
void trace_sources(const IndexTraceRequest& r, IndexTrace& trace) {
    const std::vector<std::int64_t> idx = r.index.to_int64_vector();
    const Shape& out_shape = trace.output.shape();
    const auto d = static_cast<std::size_t>(trace.dim);
    for (std::int64_t k = 0; k < trace.output.numel(); ++k) {
        const Shape o = unravel(k, out_shape);
        Shape source, chosen_by;
        switch (r.op) {
        case IndexOp::IndexSelect:
            chosen_by = r.index.dim() == 0 ? Shape{} : Shape{o.empty() ? 0 : o[d]};
            if (r.input.dim() > 0) {
                source = o;
                source[d] = idx[static_cast<std::size_t>(o[d])];
            }
            break;
        case IndexOp::Gather:
            chosen_by = o;
            if (r.input.dim() > 0) source = o.empty() ? Shape{idx[0]} : o;
            if (r.input.dim() > 0 && !o.empty()) source[d] = idx[static_cast<std::size_t>(k)];
            break;
        case IndexOp::Embedding:
            chosen_by = Shape(o.begin(), o.end() - 1);
            source = {idx[static_cast<std::size_t>(ravel(chosen_by, r.index.shape()))], o.back()};
            break;
        }
        trace.source.push_back(std::move(source));
        trace.chosen_by.push_back(std::move(chosen_by));
    }
}

std::string torch_size(const Shape& shape) {
    return "torch.Size(" + shape_to_string(shape) + ")";
}

} // namespace

std::string index_op_name(IndexOp op) {
    switch (op) {
    case IndexOp::IndexSelect:
        return "index_select";
    case IndexOp::Gather:
        return "gather";
    case IndexOp::Embedding:
        return "embedding";
    }
    return {};
}

IndexOp index_op_from_name(const std::string& name) {
    for (IndexOp op : {IndexOp::IndexSelect, IndexOp::Gather, IndexOp::Embedding})
        if (index_op_name(op) == name) return op;
    throw std::invalid_argument("unknown indexing op '" + name +
                                "' (expected index_select, gather or embedding)");
}

IndexTrace trace_index(const IndexTraceRequest& request) {
    IndexTrace trace;
    const bool backward = request.grad_output.defined();
    try {
        if (backward && !request.input.is_floating_point())
            throw std::invalid_argument(
                "only Tensors of floating point dtype can require gradients");
        Tensor input = request.input.detach();
        if (backward) input = input.clone().requires_grad_(true);
        trace.output = run_op(request, input);
        if (backward) {
            if (request.grad_output.shape() != trace.output.shape())
                throw std::invalid_argument("Mismatch in shape: grad_output[0] has a shape of " +
                                            torch_size(request.grad_output.shape()) +
                                            " and output[0] has a shape of " +
                                            torch_size(trace.output.shape()) + ".");
            trace.output.backward(request.grad_output.to(trace.output.dtype()));
            trace.grad_input = input.grad();
        }
        trace.output = trace.output.detach();
    } catch (const std::out_of_range& error) {
        trace.refusal = refusal_of(error, true);
    } catch (const std::exception& error) {
        trace.refusal = refusal_of(error, false);
    }
    if (trace.refusal) {
        trace.refusal->bad_positions = bad_positions(request);
        trace.output = Tensor();
        return trace;
    }
    const std::int64_t ndim = std::max<std::int64_t>(request.input.dim(), 1);
    trace.dim = request.op == IndexOp::Embedding ? 0
                : request.dim < 0                ? request.dim + ndim
                                                 : request.dim;
    trace_sources(request, trace);
    if (backward) {
        trace.fan_in.assign(static_cast<std::size_t>(request.input.numel()), 0);
        const std::optional<std::int64_t> padding =
            request.padding_idx && *request.padding_idx < 0
                ? std::optional(*request.padding_idx + request.input.shape()[0])
                : request.padding_idx;
        for (const Shape& source : trace.source) {
            if (request.op == IndexOp::Embedding && padding && source[0] == *padding) continue;
            ++trace.fan_in[static_cast<std::size_t>(ravel(source, request.input.shape()))];
        }
    }
    return trace;
}

} // namespace nnscope::workflows
