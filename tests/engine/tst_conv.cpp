// conv2d, max_pool2d and avg_pool2d: values and gradients against PyTorch 1.13
// (tests/golden/ops_nn/conv.safetensors and pool.safetensors from gen_ops_nn.py), finite
// differences in float64, and PyTorch's error messages.

#include "arl_golden.h"
#include "engine/ops/conv.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::arl::Case;

namespace {

const std::string conv_file = "ops_nn/conv.safetensors";
const std::string pool_file = "ops_nn/pool.safetensors";

Pair pair(const Case& c, const char* key) {
    return {c.at(key)[0], c.at(key)[1]};
}

Tensor run_conv(const Case& c, const std::vector<Tensor>& in) {
    return conv2d(in[0], in[1], in.size() > 2 ? in[2] : Tensor(), pair(c, "stride"),
                  pair(c, "padding"), pair(c, "dilation"), c.at("groups"));
}

Tensor run_pool(const Case& c, const Tensor& x) {
    if (c.at("op") == "max")
        return max_pool2d(x, pair(c, "kernel"), pair(c, "stride"), pair(c, "padding"),
                          pair(c, "dilation"), c.at("ceil_mode"));
    return avg_pool2d(x, pair(c, "kernel"), pair(c, "stride"), pair(c, "padding"),
                      c.at("ceil_mode"), c.at("count_include_pad"), c.at("divisor_override"));
}

std::vector<std::string> conv_inputs(const Case& c) {
    if (c.at("bias")) return {"x", "weight", "bias"};
    return {"x", "weight"};
}

// Shrinks a golden case for finite differences: at most 2 items and 4 input channels' worth.
bool small_enough(const Tensor& x) {
    return x.numel() <= 600;
}

} // namespace

class TestConv : public QObject {
    Q_OBJECT

private slots:
    void conv_golden_data() { test::arl::add_case_rows(conv_file); }
    void conv_golden() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(conv_file).at(key);
        const test::GoldenFile golden(conv_file);
        const auto names = conv_inputs(c);
        std::vector<Tensor> leaves;
        for (const auto& input : names)
            leaves.push_back(test::arl::leaf(golden.tensor(key + "." + input)));
        Tensor out = run_conv(c, leaves);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        out.backward(golden.tensor(key + ".gy"));
        for (std::size_t i = 0; i < names.size(); ++i)
            NNSCOPE_COMPARE_TENSORS(leaves[i].grad(), golden.tensor(key + ".grad_" + names[i]),
                                    1e-5, 1e-4);
    }

    void conv_gradcheck_data() { test::arl::add_case_rows(conv_file); }
    void conv_gradcheck() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(conv_file).at(key);
        const test::GoldenFile golden(conv_file);
        std::vector<Tensor> inputs;
        for (const auto& input : conv_inputs(c))
            inputs.push_back(golden.tensor(key + "." + input).to(DType::Float64));
        if (!small_enough(inputs[0])) QSKIP("too large for finite differences");
        NNSCOPE_GRADCHECK([&](const std::vector<Tensor>& in) { return run_conv(c, in); }, inputs);
    }

    void pool_golden_data() { test::arl::add_case_rows(pool_file); }
    void pool_golden() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(pool_file).at(key);
        const test::GoldenFile golden(pool_file);
        Tensor x = test::arl::leaf(golden.tensor(key + ".x"));
        Tensor out = run_pool(c, x);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        out.backward(golden.tensor(key + ".gy"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad_x"), 1e-5, 1e-4);
    }

    void pool_gradcheck_data() { test::arl::add_case_rows(pool_file); }
    void pool_gradcheck() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(pool_file).at(key);
        const test::GoldenFile golden(pool_file);
        Tensor x = golden.tensor(key + ".x").to(DType::Float64);
        if (c.at("op") == "max") {
            // Max pooling has kinks at ties: distinct values 0.05 apart, in a shuffled order.
            std::vector<double> values(static_cast<std::size_t>(x.numel()));
            for (std::size_t i = 0; i < values.size(); ++i)
                values[i] = 0.05 * static_cast<double>((i * 7919) % values.size());
            x = Tensor::from_vector(values, x.shape(), DType::Float64);
        }
        NNSCOPE_GRADCHECK([&](const std::vector<Tensor>& in) { return run_pool(c, in[0]); },
                          std::vector<Tensor>{x});
    }

    // The training-size shapes of the benchmark cnn, checked against float64 (results of the
    // chunked im2col path must not depend on the chunking).
    void conv_batch_matches_items() {
        const Tensor x = test::random_double({9, 16, 14, 14}, 11);
        const Tensor w = test::random_double({8, 16, 3, 3}, 12, -0.1, 0.1);
        const Tensor b = test::random_double({8}, 13);
        const Tensor all = conv2d(x, w, b, {1, 1}, {1, 1});
        for (std::int64_t n = 0; n < 9; ++n)
            NNSCOPE_COMPARE_TENSORS(all.select(0, n), conv2d(x.select(0, n), w, b, {1, 1}, {1, 1}),
                                    1e-12, 1e-12);
    }

    void max_pool_empty_batch() {
        const Tensor out = max_pool2d(Tensor::zeros({0, 1, 8, 8}), {2, 2}, {2, 2});
        QCOMPARE(out.shape(), (Shape{0, 1, 4, 4}));
    }

    void conv_errors() {
        using test::arl::error_of;
        const auto r = [](Shape s, DType t = DType::Float32) { return Tensor::zeros(s, t); };
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 3, 8, 8}), r({4, 2, 3, 3}), Tensor());
                 }),
                 "Given groups=1, weight of size [4, 2, 3, 3], expected input[2, 3, 8, 8] to "
                 "have 2 channels, but got 3 channels instead");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 4, 8, 8}), r({6, 3, 3, 3}), Tensor(), {1, 1}, {0, 0}, {1, 1}, 2);
                 }),
                 "Given groups=2, weight of size [6, 3, 3, 3], expected input[2, 4, 8, 8] to "
                 "have 6 channels, but got 4 channels instead");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 4, 8, 8}), r({5, 2, 3, 3}), Tensor(), {1, 1}, {0, 0}, {1, 1}, 2);
                 }),
                 "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got "
                 "weight of size [[5, 2, 3, 3]] instead");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 4, 8, 8}), r({4, 2, 3, 3}), Tensor(), {1, 1}, {0, 0}, {1, 1}, 0);
                 }),
                 "non-positive groups is not supported");
        QCOMPARE(error_of([&] {
                     conv2d(r({8, 8}), r({4, 1, 3, 3}), Tensor());
                 }),
                 "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of "
                 "size: [8, 8]");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 1, 2, 2}), r({4, 1, 3, 3}), Tensor());
                 }),
                 "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). "
                 "Kernel size can't be greater than actual input size");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 1, 8, 8}), r({4, 1, 3, 3}), r({3}));
                 }),
                 "Given weight of size [4, 1, 3, 3], expected bias to be 1-dimensional with 4 "
                 "elements, but got bias of size [3] instead");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 1, 8, 8}), r({4, 1, 3, 3}), Tensor(), {0, 1});
                 }),
                 "non-positive stride is not supported");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 1, 8, 8}), r({4, 1, 3, 3}), Tensor(), {1, 1}, {-1, 0});
                 }),
                 "negative padding is not supported");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 1, 8, 8}), r({4, 1, 3, 3}, DType::Float64), Tensor());
                 }),
                 "Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be "
                 "the same");
        QCOMPARE(error_of([&] {
                     conv2d(r({2, 1, 8, 8}), r({4, 1, 3, 3}), r({4}, DType::Float64));
                 }),
                 "Input type (float) and bias type (double) should be the same");
    }

    void pool_errors() {
        using test::arl::error_of;
        const auto r = [](Shape s, DType t = DType::Float32) { return Tensor::zeros(s, t); };
        QCOMPARE(error_of([&] {
                     max_pool2d(r({2, 1, 2, 2}), {3, 3}, {3, 3});
                 }),
                 "Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is "
                 "too small");
        QCOMPARE(error_of([&] {
                     max_pool2d(r({2, 1, 8, 8}), {2, 2}, {2, 2}, {2, 2});
                 }),
                 "pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
        QCOMPARE(error_of([&] {
                     max_pool2d(r({2, 1, 8, 8}), {2, 2}, {0, 0});
                 }),
                 "stride should not be zero");
        QCOMPARE(error_of([&] {
                     max_pool2d(r({2, 1, 8, 8}), {2, 2}, {2, 2}, {0, 0}, {0, 0});
                 }),
                 "dilation should be greater than zero, but got dilationH: 0 dilationW: 0");
        QCOMPARE(error_of([&] {
                     max_pool2d(r({8, 8}), {2, 2}, {2, 2});
                 }),
                 "non-empty 3D or 4D (batch mode) tensor expected for input");
        QCOMPARE(error_of([&] {
                     max_pool2d(r({1, 0, 8, 8}), {2, 2}, {2, 2});
                 }),
                 "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for "
                 "input, but got:[1, 0, 8, 8]");
        QCOMPARE(error_of([&] {
                     max_pool2d(r({1, 1, 4, 4}, DType::Int64), {2, 2}, {2, 2});
                 }),
                 "\"max_pool2d\" not implemented for 'Long'");
        QCOMPARE(error_of([&] {
                     avg_pool2d(r({2, 1, 2, 2}), {3, 3}, {3, 3});
                 }),
                 "Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is "
                 "too small");
        QCOMPARE(error_of([&] {
                     avg_pool2d(r({2, 1, 8, 8}), {2, 2}, {2, 2}, {2, 2});
                 }),
                 "pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
    }
};

QTEST_GUILESS_MAIN(TestConv)
#include "tst_conv.moc"
