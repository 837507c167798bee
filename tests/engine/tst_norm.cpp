// batch_norm, layer_norm and dropout: values, gradients and running statistics against
// PyTorch 1.13 (tests/golden/ops_nn/norm.safetensors and dropout.safetensors from
// gen_ops_nn.py), finite differences in float64, edge cases and PyTorch's error messages.

#include "arl_golden.h"
#include "engine/generator.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/norm.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::arl::Case;

namespace {

const std::string norm_file = "ops_nn/norm.safetensors";
const std::string dropout_file = "ops_nn/dropout.safetensors";

struct NormInputs {
    std::vector<std::string> names; // differentiable inputs: x, then weight and bias if affine
    Tensor running_mean, running_var;
};

NormInputs norm_inputs(const Case& c, const test::GoldenFile& golden, const std::string& key) {
    NormInputs in;
    in.names = {"x"};
    if (c.at("affine")) in.names.insert(in.names.end(), {"weight", "bias"});
    if (c.value("running", false)) {
        in.running_mean = golden.tensor(key + ".running_mean");
        in.running_var = golden.tensor(key + ".running_var");
    }
    return in;
}

Tensor run_norm(const Case& c, const std::vector<Tensor>& in, const Tensor& running_mean,
                const Tensor& running_var) {
    const Tensor weight = in.size() > 1 ? in[1] : Tensor();
    const Tensor bias = in.size() > 2 ? in[2] : Tensor();
    if (c.at("op") == "batch_norm")
        return batch_norm(in[0], running_mean, running_var, weight, bias, c.at("training"),
                          c.at("momentum"), c.at("eps"));
    return layer_norm(in[0], c.at("normalized_shape").get<Shape>(), weight, bias, c.at("eps"));
}

} // namespace

class TestNorm : public QObject {
    Q_OBJECT

private slots:
    void golden_data() { test::arl::add_case_rows(norm_file); }
    void golden() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(norm_file).at(key);
        const test::GoldenFile golden(norm_file);
        NormInputs in = norm_inputs(c, golden, key);
        std::vector<Tensor> leaves;
        for (const auto& input : in.names)
            leaves.push_back(test::arl::leaf(golden.tensor(key + "." + input)));
        Tensor out = run_norm(c, leaves, in.running_mean, in.running_var);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        if (in.running_mean.defined()) {
            // Updated in place: momentum blend with the batch mean and the unbiased variance.
            NNSCOPE_COMPARE_TENSORS(in.running_mean, golden.tensor(key + ".running_mean_after"),
                                    1e-6, 1e-5);
            NNSCOPE_COMPARE_TENSORS(in.running_var, golden.tensor(key + ".running_var_after"), 1e-6,
                                    1e-5);
        }
        out.backward(golden.tensor(key + ".gy"));
        for (std::size_t i = 0; i < in.names.size(); ++i)
            NNSCOPE_COMPARE_TENSORS(leaves[i].grad(), golden.tensor(key + ".grad_" + in.names[i]),
                                    1e-5, 1e-4);
    }

    void gradcheck_data() { test::arl::add_case_rows(norm_file); }
    void gradcheck() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(norm_file).at(key);
        const test::GoldenFile golden(norm_file);
        const NormInputs in = norm_inputs(c, golden, key);
        std::vector<Tensor> inputs;
        for (const auto& input : in.names)
            inputs.push_back(golden.tensor(key + "." + input).to(DType::Float64));
        // Fresh running statistics per evaluation, so that training updates do not accumulate.
        const Tensor rm = in.running_mean.defined() ? in.running_mean.to(DType::Float64) : Tensor();
        const Tensor rv = in.running_var.defined() ? in.running_var.to(DType::Float64) : Tensor();
        NNSCOPE_GRADCHECK(
            [&](const std::vector<Tensor>& x) {
                return run_norm(c, x, rm.defined() ? rm.clone() : Tensor(),
                                rv.defined() ? rv.clone() : Tensor());
            },
            inputs);
    }

    void dropout_golden_data() { test::arl::add_case_rows(dropout_file); }
    void dropout_golden() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(dropout_file).at(key);
        const test::GoldenFile golden(dropout_file);
        Tensor x = test::arl::leaf(golden.tensor(key + ".x"));
        Generator gen(c.at("seed").get<std::uint64_t>());
        Tensor out = dropout(x, c.at("p"), true, gen);
        // Same mask bit for bit; kept values scaled by the float 1 / (1 - p) as PyTorch's.
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 0, 1e-6);
        out.backward(golden.tensor(key + ".gy"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad_x"), 0, 1e-6);
    }

    void dropout_edge_cases() {
        Generator gen(3);
        Tensor x = test::random_double({4, 5}, 21).requires_grad_(true);
        // Eval and p == 0 hand back the input itself and draw nothing.
        QVERIFY(dropout(x, 0.5, false, gen).is_same(x));
        QVERIFY(dropout(x, 0.0, true, gen).is_same(x));
        Generator fresh(3);
        QCOMPARE(gen.random(), fresh.random());
        // p == 1 zeroes everything, NaN stays NaN (x * 0), gradient zero.
        Tensor with_nan = Tensor::from_vector({1.0, std::nan(""), -2.0}, {3}, DType::Float64);
        const auto zeroed = dropout(with_nan, 1.0, true, gen).to_vector();
        QCOMPARE(zeroed[0], 0.0);
        QVERIFY(std::isnan(zeroed[1]));
        Tensor y = dropout(x, 1.0, true, gen);
        sum(y).backward();
        NNSCOPE_COMPARE_TENSORS(x.grad(), Tensor::zeros({4, 5}, DType::Float64), 0, 0);
        // Integer tensors pass through in eval.
        const Tensor ints = Tensor::ones({3}, DType::Int64);
        QVERIFY(dropout(ints, 0.5, false, gen).is_same(ints));
    }

    // The gradient of dropout is the same mask and scale as its forward.
    void dropout_gradcheck() {
        const Tensor x = test::random_double({3, 4}, 22);
        NNSCOPE_GRADCHECK(
            [&](const std::vector<Tensor>& in) {
                Generator gen(7); // the same mask on every evaluation
                return dropout(in[0], 0.4, true, gen);
            },
            std::vector<Tensor>{x});
    }

    // A bias without a weight over a 2-D normalized_shape gets a gradient of that shape.
    void layer_norm_bias_only() {
        const std::vector<Tensor> inputs{test::random_double({3, 2, 4}, 23),
                                         test::random_double({2, 4}, 24)};
        NNSCOPE_GRADCHECK(
            [](const std::vector<Tensor>& in) {
                return layer_norm(in[0], {2, 4}, Tensor(), in[1], 1e-5);
            },
            inputs);
    }

    void batch_norm_eval_uses_running_stats() {
        const Tensor x = Tensor::from_vector({1, 2, 3, 4}, {2, 2}, DType::Float64);
        const Tensor rm = Tensor::from_vector({1, -1}, {2}, DType::Float64);
        const Tensor rv = Tensor::from_vector({4, 0.25}, {2}, DType::Float64);
        const Tensor out = batch_norm(x, rm, rv, Tensor(), Tensor(), false, 0.1, 0.0);
        // (x - mean) / sqrt(var), per column; the running stats stay as they were.
        NNSCOPE_COMPARE_TENSORS(out, Tensor::from_vector({0, 6, 1, 10}, {2, 2}, DType::Float64),
                                1e-12, 0);
        NNSCOPE_COMPARE_TENSORS(rm, Tensor::from_vector({1, -1}, {2}, DType::Float64), 0, 0);
    }

    void errors() {
        using test::arl::error_of;
        Generator gen;
        const auto r = [](Shape s, DType t = DType::Float32) { return Tensor::zeros(s, t); };
        QCOMPARE(error_of([&] {
                     batch_norm(r({4, 3, 5}), r({2}), r({3}), {}, {}, true, 0.1, 1e-5);
                 }),
                 "running_mean should contain 3 elements not 2");
        QCOMPARE(error_of([&] {
                     batch_norm(r({4, 3, 5}), r({3}), r({3}), r({2}), {}, true, 0.1, 1e-5);
                 }),
                 "weight should contain 3 elements not 2");
        QCOMPARE(error_of([&] {
                     batch_norm(r({1, 3}), r({3}), r({3}), {}, {}, true, 0.1, 1e-5);
                 }),
                 "Expected more than 1 value per channel when training, got input size "
                 "torch.Size([1, 3])");
        QCOMPARE(error_of([&] {
                     batch_norm(r({4, 3}), {}, {}, {}, {}, false, 0.1, 1e-5);
                 }),
                 "running_mean must be defined in evaluation mode");
        QCOMPARE(error_of([&] {
                     batch_norm(r({4, 3}), r({3}, DType::Float64), r({3}, DType::Float64), {}, {},
                                true, 0.1, 1e-5);
                 }),
                 "mixed dtype (CPU): expect parameter to have scalar type of Float");
        QCOMPARE(error_of([&] {
                     layer_norm(r({4, 3, 5}), {3}, {}, {}, 1e-5);
                 }),
                 "Given normalized_shape=[3], expected input with shape [*, 3], but got input of "
                 "size[4, 3, 5]");
        QCOMPARE(error_of([&] {
                     layer_norm(r({4, 3, 5}), {5}, r({4}), {}, 1e-5);
                 }),
                 "Expected weight to be of same shape as normalized_shape, but got weight of "
                 "shape [4] and normalized_shape = [5]");
        QCOMPARE(error_of([&] {
                     layer_norm(r({4, 3, 5}), {}, {}, {}, 1e-5);
                 }),
                 "Expected normalized_shape to be at least 1-dimensional, i.e., containing at "
                 "least one element, but got normalized_shape = []");
        QCOMPARE(error_of([&] { dropout(r({4}), 1.5, true, gen); }),
                 "dropout probability has to be between 0 and 1, but got 1.5");
        QCOMPARE(error_of([&] { dropout(r({4}), -0.1, true, gen); }),
                 "dropout probability has to be between 0 and 1, but got -0.1");
        QCOMPARE(error_of([&] { dropout(r({4}, DType::Int64), 0.5, true, gen); }),
                 "result type Float can't be cast to the desired output type Long");
    }
};

QTEST_GUILESS_MAIN(TestNorm)
#include "tst_norm.moc"
