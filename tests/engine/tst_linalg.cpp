// mm, bmm, matmul, addmm and linear: values and gradients against PyTorch 1.13
// (tests/golden/ops_nn/linalg.safetensors from gen_ops_nn.py), finite differences in float64,
// strided operands, and PyTorch's error messages.

#include "arl_golden.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/linalg.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::arl::Case;

namespace {

const std::string file = "ops_nn/linalg.safetensors";

Tensor run(const Case& c, const std::vector<Tensor>& in) {
    const std::string op = c.at("op");
    if (op == "mm") return mm(in[0], in[1]);
    if (op == "bmm") return bmm(in[0], in[1]);
    if (op == "matmul") return matmul(in[0], in[1]);
    if (op == "addmm") return addmm(in[2], in[0], in[1], c.at("beta"), c.at("alpha"));
    return linear(in[0], in[1], in.size() > 2 ? in[2] : Tensor());
}

// Input names of a case in the order run() takes them.
std::vector<std::string> input_names(const Case& c) {
    const std::string op = c.at("op");
    if (op == "addmm") return {"a", "b", "input"};
    if (op == "linear" && c.value("bias", false)) return {"a", "b", "bias"};
    return {"a", "b"};
}

} // namespace

class TestLinalg : public QObject {
    Q_OBJECT

private slots:
    void golden_data() { test::arl::add_case_rows(file); }
    void golden() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(file).at(key);
        const test::GoldenFile golden(file);
        std::vector<Tensor> leaves;
        for (const auto& input : input_names(c))
            leaves.push_back(test::arl::leaf(golden.tensor(key + "." + input)));
        Tensor out = run(c, leaves);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        out.backward(golden.tensor(key + ".gy"));
        const auto names = input_names(c);
        for (std::size_t i = 0; i < names.size(); ++i)
            NNSCOPE_COMPARE_TENSORS(leaves[i].grad(), golden.tensor(key + ".grad_" + names[i]),
                                    1e-5, 1e-4);
    }

    // Every golden case again in float64 against finite differences.
    void gradcheck_data() { test::arl::add_case_rows(file); }
    void gradcheck() {
        QFETCH(QString, name);
        const std::string key = name.toStdString();
        const Case& c = test::arl::cases(file).at(key);
        const test::GoldenFile golden(file);
        std::vector<Tensor> inputs;
        for (const auto& input : input_names(c))
            inputs.push_back(golden.tensor(key + "." + input).to(DType::Float64));
        NNSCOPE_GRADCHECK([&](const std::vector<Tensor>& in) { return run(c, in); }, inputs);
    }

    // Transposed and sliced operands are read through their strides, not copied first.
    void strided_operands() {
        const Tensor a = test::random_double({6, 4}, 1);
        const Tensor b = test::random_double({5, 6}, 2);
        const Tensor expected = mm(a.t().contiguous(), b.t().contiguous());
        NNSCOPE_COMPARE_TENSORS(mm(a.t(), b.t()), expected, 1e-12, 1e-12);
        // A column slice with row stride 2: neither row- nor column-major.
        const Tensor big = test::random_double({4, 12}, 3);
        const Tensor every_other = big.slice(1, 0, 12, 2);
        NNSCOPE_COMPARE_TENSORS(mm(every_other, b.t()), mm(every_other.contiguous(), b.t()), 1e-12,
                                1e-12);
        // A broadcast gradient (stride 0) reaches linear's backward.
        Tensor x = test::random_double({3, 6}, 4).requires_grad_(true);
        Tensor w = test::random_double({5, 6}, 5).requires_grad_(true);
        Tensor bias = test::random_double({5}, 6).requires_grad_(true);
        sum(linear(x, w, bias)).backward();
        NNSCOPE_COMPARE_TENSORS(bias.grad(), Tensor::full({5}, 3.0, DType::Float64), 1e-12, 0);
        NNSCOPE_COMPARE_TENSORS(x.grad(), sum(w.detach(), {0}, true).expand({3, 6}), 1e-12, 1e-12);
        NNSCOPE_COMPARE_TENSORS(w.grad(), sum(x.detach(), {0}, true).expand({5, 6}), 1e-12, 1e-12);
    }

    // Gradients only where asked: a frozen weight gets none, the input still does.
    void needed_gradients_only() {
        Tensor x = test::random_double({2, 3}, 7).requires_grad_(true);
        const Tensor w = test::random_double({4, 3}, 8);
        sum(linear(x, w, Tensor())).backward();
        QVERIFY(x.grad().defined());
        QVERIFY(!w.grad().defined());
    }

    void addmm_beta_zero_ignores_nan() {
        const Tensor input = Tensor::full({2, 2}, std::nan(""), DType::Float64);
        const Tensor eye = Tensor::from_vector({1, 0, 0, 1}, {2, 2}, DType::Float64);
        NNSCOPE_COMPARE_TENSORS(addmm(input, eye, eye, 0.0, 3.0),
                                Tensor::from_vector({3, 0, 0, 3}, {2, 2}, DType::Float64), 0, 0);
    }

    void empty_inner_dimension() {
        const Tensor a = Tensor::zeros({3, 0});
        const Tensor b = Tensor::zeros({0, 2});
        NNSCOPE_COMPARE_TENSORS(mm(a, b), Tensor::zeros({3, 2}), 0, 0);
    }

    void errors() {
        using test::arl::error_of;
        const auto r = [](Shape s, DType t = DType::Float32) { return Tensor::zeros(s, t); };
        QCOMPARE(error_of([&] {
                     mm(r({64, 784}), r({512, 256}));
                 }),
                 "mat1 and mat2 shapes cannot be multiplied (64x784 and 512x256)");
        QCOMPARE(error_of([&] {
                     linear(r({64, 784}), r({256, 512}), Tensor());
                 }),
                 "mat1 and mat2 shapes cannot be multiplied (64x784 and 512x256)");
        QCOMPARE(error_of([&] {
                     mm(r({2, 3}), r({3, 4}, DType::Float64));
                 }),
                 "expected scalar type Float but found Double");
        QCOMPARE(error_of([&] { mm(r({3}), r({3, 4})); }), "self must be a matrix");
        QCOMPARE(error_of([&] { mm(r({2, 3}), r({3})); }), "mat2 must be a matrix");
        QCOMPARE(error_of([&] { bmm(r({2, 3}), r({2, 3, 4})); }), "batch1 must be a 3D tensor");
        QCOMPARE(error_of([&] {
                     bmm(r({2, 2, 3}), r({3, 3, 4}));
                 }),
                 "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but "
                 "got: [3, 3].");
        QCOMPARE(error_of([&] {
                     matmul(Tensor::scalar(1.0), r({2, 3}));
                 }),
                 "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
        QCOMPARE(error_of([&] { matmul(r({3}), r({4})); }),
                 "inconsistent tensor size, expected tensor [3] and src [4] to have the same "
                 "number of elements, but got 3 and 4 elements respectively");
        QCOMPARE(error_of([&] { matmul(r({2, 3}), r({4})); }), "size mismatch, got 2, 2x3,4");
        QCOMPARE(error_of([&] {
                     matmul(r({3}), r({4, 5}));
                 }),
                 "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)");
        QCOMPARE(error_of([&] {
                     matmul(r({2, 2, 3}), r({4, 5}));
                 }),
                 "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)");
        QCOMPARE(error_of([&] {
                     addmm(r({3}), r({2, 3}), r({3, 5}));
                 }),
                 "The expanded size of the tensor (5) must match the existing size (3) at "
                 "non-singleton dimension 1.  Target sizes: [2, 5].  Tensor sizes: [3]");
        QCOMPARE(error_of([&] {
                     linear(r({64, 784}), r({256, 784}), r({10}));
                 }),
                 "The expanded size of the tensor (256) must match the existing size (10) at "
                 "non-singleton dimension 1.  Target sizes: [64, 256].  Tensor sizes: [10]");
        QCOMPARE(error_of([&] {
                     linear(r({2, 4}), r({1, 3, 4}), Tensor());
                 }),
                 "t() expects a tensor with <= 2 dimensions, but self is 3D");
    }
};

QTEST_GUILESS_MAIN(TestLinalg)
#include "tst_linalg.moc"
