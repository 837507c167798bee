// LSTM and GRU (ONNX's gate orders i,o,f,c and z,r,h), unrolled over time on engine ops.
// Forward, reverse and bidirectional; batch-first layout. Sequence lengths, peepholes, clipping
// and activations other than the defaults are refused.
#include "engine/ops/activation.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/linalg.h"
#include "engine/ops/shape.h"
#include "io/onnx/onnx_ops.h"

namespace nnscope::io::onnx_ops {

namespace {

struct Rnn {
    std::int64_t hidden = 0;
    int directions = 1;
    bool reverse = false; // single direction, run backwards
    bool batch_first = false;
    bool linear_before_reset = false; // GRU
};

Rnn read_rnn(const NodeInfo& node, const std::vector<std::string>& default_activations) {
    node.attrs.allow_only({"activation_alpha", "activation_beta", "activations", "clip",
                           "direction", "hidden_size", "input_forget", "layout",
                           "linear_before_reset"});
    if (node.attrs.has("clip")) throw Unsupported("attribute clip not supported");
    if (node.attrs.i("input_forget", 0) != 0) throw Unsupported("input_forget=1 not supported");
    if (node.attrs.has("activation_alpha") || node.attrs.has("activation_beta"))
        throw Unsupported("activation_alpha/beta not supported");
    const auto activations = node.attrs.strings("activations");
    for (std::size_t i = 0; i < activations.size(); ++i)
        if (activations[i] != default_activations[i % default_activations.size()])
            throw Unsupported("activation " + activations[i] + " not supported");
    node.refuse_input(4, "sequence_lens");
    Rnn rnn;
    rnn.hidden = node.attrs.i("hidden_size", 0);
    if (rnn.hidden <= 0) throw Unsupported("hidden_size missing");
    const std::string direction = node.attrs.s("direction", "forward");
    if (direction == "bidirectional")
        rnn.directions = 2;
    else if (direction == "reverse")
        rnn.reverse = true;
    else if (direction != "forward")
        throw Unsupported("direction=" + direction);
    rnn.batch_first = node.attrs.i("layout", 0) != 0;
    rnn.linear_before_reset = node.attrs.i("linear_before_reset", 0) != 0;
    return rnn;
}

// Gate k of a stacked [G*H, ...] weight or [G*H] bias.
Tensor gate(const Tensor& w, std::int64_t k, std::int64_t h) {
    return w.narrow(0, k * h, h);
}

struct Direction {
    Tensor w, r, wb, rb; // W [G*H, I], R [G*H, H], biases [G*H] (undefined when absent)
};

Direction direction_weights(const Values& in, std::int64_t d, std::int64_t gates, std::int64_t h) {
    Direction dir;
    dir.w = need(in, 1, "RNN").select(0, d);
    dir.r = need(in, 2, "RNN").select(0, d);
    if (in.size() > 3 && in[3].defined()) {
        const Tensor b = in[3].select(0, d);
        dir.wb = b.narrow(0, 0, gates * h);
        dir.rb = b.narrow(0, gates * h, gates * h);
    }
    return dir;
}

Tensor affine(const Tensor& x, const Tensor& w, const Tensor& b) {
    return linear(x, w, b);
}

// Runs one direction over x [T, B, I]; returns (Y [T, B, H], h_T, c_T).
template <bool Lstm>
std::tuple<Tensor, Tensor, Tensor> run_direction(const Rnn& rnn, const Direction& dir,
                                                 const Tensor& x, Tensor h, Tensor c,
                                                 bool backwards) {
    const std::int64_t steps = x.size(0), H = rnn.hidden;
    std::vector<Tensor> ys(steps);
    // Input projections for every step at once.
    const Tensor xw = affine(x, dir.w, dir.wb.defined() ? dir.wb : Tensor());
    for (std::int64_t s = 0; s < steps; ++s) {
        const std::int64_t t = backwards ? steps - 1 - s : s;
        const Tensor xt = xw.select(0, t);
        if constexpr (Lstm) {
            const Tensor g = add(xt, affine(h, dir.r, dir.rb));
            const Tensor i = sigmoid(g.narrow(1, 0, H)), o = sigmoid(g.narrow(1, H, H));
            const Tensor f = sigmoid(g.narrow(1, 2 * H, H)), cc = tanh(g.narrow(1, 3 * H, H));
            c = add(mul(f, c), mul(i, cc));
            h = mul(o, tanh(c));
        } else {
            const Tensor rz = affine(h, dir.r.narrow(0, 0, 2 * H),
                                     dir.rb.defined() ? dir.rb.narrow(0, 0, 2 * H) : Tensor());
            const Tensor z = sigmoid(add(xt.narrow(1, 0, H), rz.narrow(1, 0, H)));
            const Tensor r = sigmoid(add(xt.narrow(1, H, H), rz.narrow(1, H, H)));
            const Tensor rh = gate(dir.r, 2, H);
            const Tensor rbh = dir.rb.defined() ? gate(dir.rb, 2, H) : Tensor();
            const Tensor hh =
                rnn.linear_before_reset ? mul(r, affine(h, rh, rbh)) : affine(mul(r, h), rh, rbh);
            const Tensor n = tanh(add(xt.narrow(1, 2 * H, H), hh));
            h = add(mul(sub(Tensor::scalar(1.0, z.dtype()), z), n), mul(z, h));
        }
        ys[t] = h;
    }
    return {stack(ys, 0), h, c};
}

template <bool Lstm> Kernel recurrent(const NodeInfo& node) {
    const Rnn rnn = read_rnn(node, Lstm ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
                                        : std::vector<std::string>{"Sigmoid", "Tanh"});
    if (Lstm) node.refuse_input(7, "peepholes P");
    if (!Lstm && node.attrs.has("input_forget")) throw Unsupported("input_forget on GRU");
    return [rnn](const Values& in) {
        Tensor x = need(in, 0, Lstm ? "LSTM" : "GRU");
        if (rnn.batch_first) x = x.transpose(0, 1);
        const std::int64_t batch = x.size(1), H = rnn.hidden;
        const std::int64_t G = Lstm ? 4 : 3;
        std::vector<Tensor> ys, hs, cs;
        for (int d = 0; d < rnn.directions; ++d) {
            const Direction dir = direction_weights(in, d, G, H);
            Tensor h = in.size() > 5 && in[5].defined() ? in[5].select(rnn.batch_first ? 1 : 0, d)
                                                        : Tensor::zeros({batch, H}, x.dtype());
            Tensor c;
            if (Lstm)
                c = in.size() > 6 && in[6].defined() ? in[6].select(rnn.batch_first ? 1 : 0, d)
                                                     : Tensor::zeros({batch, H}, x.dtype());
            auto [y, hT, cT] = run_direction<Lstm>(rnn, dir, x, h, c, rnn.reverse || d == 1);
            ys.push_back(y);
            hs.push_back(hT);
            cs.push_back(cT);
        }
        Tensor y = stack(ys, 1);      // [T, D, B, H]
        Tensor yh = stack(hs, 0), yc; // [D, B, H]
        if (Lstm) yc = stack(cs, 0);
        if (rnn.batch_first) {
            y = y.permute({2, 0, 1, 3}); // [B, T, D, H]
            yh = yh.transpose(0, 1);
            if (Lstm) yc = yc.transpose(0, 1);
        }
        return Lstm ? Values{y, yh, yc} : Values{y, yh};
    };
}

} // namespace

void register_recurrent_ops(Registry& r) {
    r["LSTM"] = recurrent<true>;
    r["GRU"] = recurrent<false>;
}

} // namespace nnscope::io::onnx_ops
