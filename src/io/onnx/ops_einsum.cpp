// Einsum in its common forms: one or two operands, explicit or implicit output, without
// ellipses or repeated labels within an operand (diagonals). Two operands run as one batched
// matrix product: labels shared and kept are the batch, shared and summed the contraction.
#include "engine/ops/linalg.h"
#include "engine/ops/reduce.h"
#include "io/onnx/onnx_ops.h"

#include <algorithm>
#include <map>

namespace nnscope::io::onnx_ops {

namespace {

struct Equation {
    std::vector<std::string> operands;
    std::string output;
};

Equation parse(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    if (text.find('.') != std::string::npos) throw Unsupported("ellipsis not supported");
    Equation eq;
    const auto arrow = text.find("->");
    const std::string lhs = text.substr(0, arrow);
    std::size_t start = 0;
    for (;;) {
        const auto comma = lhs.find(',', start);
        eq.operands.push_back(lhs.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    std::map<char, int> count;
    for (const auto& op : eq.operands) {
        for (char c : op) {
            if (!std::isalpha(static_cast<unsigned char>(c)))
                throw Unsupported(std::string("label '") + c + "' not supported");
            if (std::count(op.begin(), op.end(), c) > 1)
                throw Unsupported("repeated label within an operand not supported");
            ++count[c];
        }
    }
    if (arrow != std::string::npos) {
        eq.output = text.substr(arrow + 2);
    } else {
        for (const auto& [c, n] : count)
            if (n == 1) eq.output += c;
    }
    if (eq.operands.size() > 2) throw Unsupported("more than two operands not supported");
    return eq;
}

bool has(const std::string& s, char c) {
    return s.find(c) != std::string::npos;
}

// Sums x over its labels that `keep` lacks; returns the remaining labels.
Tensor sum_unused(const Tensor& x, std::string& labels, const std::string& keep) {
    Shape dims;
    std::string rest;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (has(keep, labels[i]))
            rest += labels[i];
        else
            dims.push_back(static_cast<std::int64_t>(i));
    }
    labels = rest;
    return dims.empty() ? x : sum(x, dims);
}

Tensor permute_to(const Tensor& x, const std::string& labels, const std::string& order) {
    Shape perm;
    for (char c : order)
        perm.push_back(static_cast<std::int64_t>(labels.find(c)));
    return x.permute(perm);
}

std::int64_t extent(const Tensor& x, const std::string& labels, const std::string& which) {
    std::int64_t n = 1;
    for (char c : which)
        n *= x.size(static_cast<std::int64_t>(labels.find(c)));
    return n;
}

Tensor run(const Equation& eq, const Values& in) {
    if (in.size() != eq.operands.size()) throw std::runtime_error("operand count differs");
    for (std::size_t i = 0; i < in.size(); ++i)
        if (need(in, i, "Einsum").dim() != static_cast<std::int64_t>(eq.operands[i].size()))
            throw std::runtime_error("operand " + std::to_string(i) + " rank differs from '" +
                                     eq.operands[i] + "'");
    if (in.size() == 1) {
        std::string labels = eq.operands[0];
        const Tensor x = sum_unused(in[0], labels, eq.output);
        return permute_to(x, labels, eq.output);
    }
    std::string la = eq.operands[0], lb = eq.operands[1];
    const Tensor a = sum_unused(in[0], la, lb + eq.output);
    const Tensor b = sum_unused(in[1], lb, la + eq.output);
    std::string batch, left, right, contract;
    for (char c : la) {
        if (has(lb, c))
            (has(eq.output, c) ? batch : contract) += c;
        else
            left += c;
    }
    for (char c : lb)
        if (!has(la, c)) right += c;
    const Tensor a3 =
        permute_to(a, la, batch + left + contract)
            .reshape({extent(a, la, batch), extent(a, la, left), extent(a, la, contract)});
    const Tensor b3 =
        permute_to(b, lb, batch + contract + right)
            .reshape({extent(b, lb, batch), extent(b, lb, contract), extent(b, lb, right)});
    Shape shape;
    for (char c : batch + left)
        shape.push_back(a.size(static_cast<std::int64_t>(la.find(c))));
    for (char c : right)
        shape.push_back(b.size(static_cast<std::int64_t>(lb.find(c))));
    const Tensor y = bmm(a3, b3).reshape(shape);
    return permute_to(y, batch + left + right, eq.output);
}

Kernel einsum(const NodeInfo& node) {
    node.attrs.allow_only({"equation"});
    const Equation eq = parse(node.attrs.s("equation", ""));
    return [eq](const Values& in) { return Values{run(eq, in)}; };
}

} // namespace

void register_einsum_op(Registry& r) {
    r["Einsum"] = einsum;
}

} // namespace nnscope::io::onnx_ops
