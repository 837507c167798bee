// View/shape ops and cat/stack against PyTorch 1.13 (tests/golden/gen_ops_shape_index.py):
// values, strides, storage offsets, storage sharing, gradients, error messages, and finite
// differences in float64.

#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/shape.h"
#include "golden_cases.h"

#include <QtTest>
#include <limits>

using namespace nnscope;
using nnscope::test::CaseFn;
using nnscope::test::GoldenFile;

namespace {

constexpr std::int64_t kEnd = std::numeric_limits<std::int64_t>::max(); // slice "to the end"

// The view cases of views.safetensors, each the same call as in the generator.
void add_view_rows() {
    QTest::addColumn<CaseFn>("fn");
    auto row = [](const char* key, std::function<Tensor(const Tensor&)> f) {
        QTest::newRow(key) << CaseFn([f](const std::vector<Tensor>& in) { return f(in[0]); });
    };
    row("view_2x6", [](const Tensor& x) { return x.view({2, 6}); });
    row("view_infer", [](const Tensor& x) { return x.view({-1, 2}); });
    row("view_0dim_up", [](const Tensor& x) { return x.view({1, 1}); });
    row("view_to_0dim", [](const Tensor& x) { return x.view({}); });
    row("view_split_transposed", [](const Tensor& x) {
        return x.transpose(0, 1).view({3, 2, 2, 2});
    });
    row("view_merge_slice", [](const Tensor& x) { return x.slice(1, 1, 3).view({2, 8}); });
    row("view_empty", [](const Tensor& x) { return x.view({3, 0}); });
    row("reshape_copy", [](const Tensor& x) { return x.t().reshape({12}); });
    row("reshape_view", [](const Tensor& x) { return x.permute({1, 0, 2}).reshape({3, 2, 2, 2}); });
    row("reshape_infer", [](const Tensor& x) { return x.reshape({4, -1}); });
    row("flatten_all", [](const Tensor& x) { return x.flatten(); });
    row("flatten_mid", [](const Tensor& x) { return x.flatten(1, 2); });
    row("flatten_copy", [](const Tensor& x) { return x.transpose(0, 2).flatten(); });
    row("flatten_0dim", [](const Tensor& x) { return x.flatten(); });
    row("transpose", [](const Tensor& x) { return x.transpose(0, 2); });
    row("transpose_neg", [](const Tensor& x) { return x.transpose(-1, -2); });
    row("t", [](const Tensor& x) { return x.t(); });
    row("permute", [](const Tensor& x) { return x.permute({2, 0, 1}); });
    row("permute_neg", [](const Tensor& x) { return x.permute({-1, 0, 1}); });
    row("squeeze_all", [](const Tensor& x) { return x.squeeze(); });
    row("squeeze_dim", [](const Tensor& x) { return x.squeeze(2); });
    row("squeeze_noop", [](const Tensor& x) { return x.squeeze(1); });
    row("squeeze_neg", [](const Tensor& x) { return x.squeeze(-2); });
    row("unsqueeze_front", [](const Tensor& x) { return x.unsqueeze(0); });
    row("unsqueeze_mid", [](const Tensor& x) { return x.unsqueeze(1); });
    row("unsqueeze_end", [](const Tensor& x) { return x.unsqueeze(-1); });
    row("unsqueeze_transposed", [](const Tensor& x) { return x.t().unsqueeze(1); });
    row("unsqueeze_0dim", [](const Tensor& x) { return x.unsqueeze(0); });
    row("narrow", [](const Tensor& x) { return x.narrow(1, 1, 3); });
    row("narrow_neg_start", [](const Tensor& x) { return x.narrow(0, -2, 2); });
    row("narrow_empty", [](const Tensor& x) { return x.narrow(0, 4, 0); });
    row("select", [](const Tensor& x) { return x.select(1, 2); });
    row("select_neg", [](const Tensor& x) { return x.select(-1, -1); });
    row("select_to_0dim", [](const Tensor& x) { return x.select(0, 3); });
    row("slice_step", [](const Tensor& x) { return x.slice(0, 1, 5, 2); });
    row("slice_neg", [](const Tensor& x) { return x.slice(1, -3, kEnd); });
    row("slice_clamp", [](const Tensor& x) { return x.slice(0, 2, 100); });
    row("slice_empty", [](const Tensor& x) { return x.slice(0, 4, 2); });
    row("slice_of_slice",
        [](const Tensor& x) { return x.slice(0, 1, kEnd).slice(1, 0, kEnd, 2).slice(1, 1, kEnd); });
    row("expand_rows", [](const Tensor& x) { return x.expand({3, 4}); });
    row("expand_new_dims", [](const Tensor& x) { return x.expand({2, 3, 5}); });
    row("expand_keep", [](const Tensor& x) { return x.expand({-1, 4}); });
    row("expand_0dim", [](const Tensor& x) { return x.expand({2, 3}); });
    row("expand_new_ones", [](const Tensor& x) { return x.expand({1, 1, 3}); });
    row("expand_same", [](const Tensor& x) { return x.expand({2, 3}); });
    row("chain", [](const Tensor& x) {
        return x.permute({2, 0, 1})
            .slice(0, 1, kEnd)
            .unsqueeze(0)
            .expand({2, 3, 2, 3})
            .select(3, 1);
    });
}

void add_cat_rows() {
    QTest::addColumn<CaseFn>("fn");
    auto row = [](const char* key, CaseFn f) { QTest::newRow(key) << f; };
    row("cat0", [](const auto& in) { return cat(in); });
    row("cat1", [](const auto& in) { return cat(in, 1); });
    row("cat_neg", [](const auto& in) { return cat(in, -1); });
    row("cat_mid", [](const auto& in) { return cat(in, 1); });
    row("cat_transposed", [](const auto& in) { return cat({in[0].t(), in[1]}, 1); });
    row("cat_legacy_empty", [](const auto& in) { return cat(in); });
    row("cat_zero_rows", [](const auto& in) { return cat(in); });
    row("cat_promote", [](const auto& in) { return cat(in); });
    row("cat_int", [](const auto& in) { return cat(in); });
    row("cat_f64", [](const auto& in) { return cat(in); });
    row("stack0", [](const auto& in) { return stack(in); });
    row("stack_last", [](const auto& in) { return stack(in, -1); });
    row("stack_mid", [](const auto& in) { return stack(in, 1); });
    row("stack_0dim", [](const auto& in) { return stack(in); });
}

Shape as_shape(const Tensor& t) {
    return t.to_int64_vector();
}

} // namespace

class TestViews : public QObject {
    Q_OBJECT

private slots:
    void viewMatchesPyTorch_data() { add_view_rows(); }
    void viewMatchesPyTorch() {
        QFETCH(CaseFn, fn);
        const std::string key = QTest::currentDataTag();
        GoldenFile golden("ops_shape_index/views.safetensors");
        std::vector<Tensor> leaves;
        Tensor out = test::run_case(golden, key, fn, leaves);
        // Geometry first: a view must look exactly as PyTorch's does.
        QCOMPARE(out.strides(), as_shape(golden.tensor(key + ".strides")));
        QCOMPARE(out.offset(), static_cast<std::int64_t>(golden.tensor(key + ".offset").item()));
        const bool shares = golden.tensor(key + ".shares").item() != 0.0;
        QCOMPARE(out.storage() == leaves[0].storage(), shares);
        test::check_case(golden, key, fn);
    }

    void viewGradcheck_data() { add_view_rows(); }
    void viewGradcheck() {
        QFETCH(CaseFn, fn);
        GoldenFile golden("ops_shape_index/views.safetensors");
        test::gradcheck_case(golden, QTest::currentDataTag(), fn);
    }

    void catMatchesPyTorch_data() { add_cat_rows(); }
    void catMatchesPyTorch() {
        QFETCH(CaseFn, fn);
        GoldenFile golden("ops_shape_index/cat.safetensors");
        test::check_case(golden, QTest::currentDataTag(), fn);
    }

    void catGradcheck_data() { add_cat_rows(); }
    void catGradcheck() {
        QFETCH(CaseFn, fn);
        GoldenFile golden("ops_shape_index/cat.safetensors");
        test::gradcheck_case(golden, QTest::currentDataTag(), fn);
    }

    // A write through a view is visible in its base and the reverse: nothing was copied.
    void viewsAliasTheirBase() {
        Tensor base = Tensor::arange(24, DType::Float32).reshape({2, 3, 4});
        Tensor v = base.permute({2, 0, 1}).slice(0, 1, 3).select(2, 1);
        QCOMPARE(v.shape(), (Shape{2, 2}));
        v.fill_(-1.0);
        // v[i][j] is base[j][1][1 + i]
        QCOMPARE(base.select(0, 0).select(0, 1).to_vector(), (std::vector<double>{4, -1, -1, 7}));
        QCOMPARE(base.select(0, 1).select(0, 1).to_vector(), (std::vector<double>{16, -1, -1, 19}));
        base.select(0, 1).select(0, 1).fill_(5.0);
        QCOMPARE(v.to_vector(), (std::vector<double>{-1, 5, -1, 5}));
        Tensor e = base.select(0, 0).select(0, 0).slice(0, 0, 1).expand({3, 4});
        base.select(0, 0).select(0, 0).select(0, 0).fill_(9.0);
        QCOMPARE(e.to_vector(), std::vector<double>(12, 9.0));
    }

    // reshape copies only when no strides can express the result; view never copies.
    void reshapeCopiesOnlyWhenNeeded() {
        Tensor x = Tensor::arange(12, DType::Float32).reshape({3, 4});
        QVERIFY(x.reshape({2, 6}).storage() == x.storage());
        QVERIFY(x.t().reshape({4, 3}).storage() == x.storage()); // same shape: a view
        QVERIFY(x.t().reshape({3, 4}).storage() != x.storage());
        QCOMPARE(x.t().reshape({12}).to_vector(),
                 (std::vector<double>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
        QVERIFY(x.t().reshape({4, 3, 1}).storage() == x.storage()); // adding a 1 is a view
        QVERIFY(x.slice(1, 0, 2).reshape({3, 2}).storage() == x.storage());
        QVERIFY(x.slice(1, 0, 2).reshape({6}).storage() != x.storage());
    }

    void gradFnNames() {
        Tensor x = Tensor::zeros({2, 3}, DType::Float64);
        x.requires_grad_(true);
        QCOMPARE(x.view({3, 2}).grad_fn()->name(), std::string("ViewBackward0"));
        QCOMPARE(x.t().grad_fn()->name(), std::string("TransposeBackward0"));
        QCOMPARE(x.permute({1, 0}).grad_fn()->name(), std::string("PermuteBackward0"));
        QCOMPARE(x.select(0, 1).grad_fn()->name(), std::string("SelectBackward0"));
        QCOMPARE(x.narrow(1, 0, 2).grad_fn()->name(), std::string("SliceBackward0"));
        QCOMPARE(x.expand({4, 2, 3}).grad_fn()->name(), std::string("ExpandBackward0"));
        QCOMPARE(x.squeeze().grad_fn()->name(), std::string("SqueezeBackward0"));
        QCOMPARE(x.squeeze(0).grad_fn()->name(), std::string("SqueezeBackward1"));
        QCOMPARE(x.unsqueeze(0).grad_fn()->name(), std::string("UnsqueezeBackward0"));
        QCOMPARE(cat({x, x}).grad_fn()->name(), std::string("CatBackward0"));
    }

    // Gradients flowing through several views of one leaf add up.
    void gradientsOfSeveralViewsAccumulate() {
        Tensor x = Tensor::from_vector({1, 2, 3, 4}, {2, 2}, DType::Float64);
        x.requires_grad_(true);
        Tensor y = add(x.t(), x.select(0, 1).expand({2, 2}));
        y.backward(Tensor::ones({2, 2}, DType::Float64));
        // d/dx of x.t() is 1 everywhere; row 1 also feeds every element of y twice.
        QCOMPARE(x.grad().to_vector(), (std::vector<double>{1, 1, 3, 3}));
    }

    // Views of a tensor that does not require grad record nothing.
    void viewsOfConstantsRecordNothing() {
        Tensor x = Tensor::zeros({2, 3});
        QVERIFY(!x.t().requires_grad());
        QVERIFY(!x.t().grad_fn());
        QVERIFY(!cat({x, x}).requires_grad());
    }

    void errorsMatchPyTorch_data() {
        QTest::addColumn<test::ThrowingCall>("call");
        const Tensor x23 = Tensor::zeros({2, 3});
        const Tensor scalar = Tensor::scalar(1.0);
        auto row = [](const char* key, test::ThrowingCall call) { QTest::newRow(key) << call; };
        row("view_invalid", [] { Tensor::zeros({4, 4}).view({3, 5}); });
        row("view_two_inferred", [] { Tensor::zeros({4, 4}).view({-1, -1}); });
        row("view_negative", [] { Tensor::zeros({4, 4}).view({-2, 8}); });
        row("view_zero_ambiguous", [] { Tensor::zeros({0, 4}).view({0, -1}); });
        row("view_strides", [] { Tensor::zeros({4, 4}).t().view({16}); });
        row("reshape_invalid", [x23] { x23.reshape({4, 2}); });
        row("permute_length", [x23] { x23.permute({0, 1, 2}); });
        row("permute_duplicate", [x23] { x23.permute({0, 0}); });
        row("transpose_range", [x23] { x23.transpose(0, 2); });
        row("squeeze_range", [x23] { x23.squeeze(2); });
        row("unsqueeze_range", [x23] { x23.unsqueeze(3); });
        row("flatten_order", [x23] { x23.flatten(1, 0); });
        row("expand_fewer", [x23] { x23.expand({2}); });
        row("expand_mismatch", [x23] { x23.expand({2, 4}); });
        row("expand_leading_minus1", [] { Tensor::zeros({3}).expand({-1, 3}); });
        row("narrow_exceeds", [x23] { x23.narrow(0, 1, 2); });
        row("narrow_negative_length", [x23] { x23.narrow(0, 0, -1); });
        row("narrow_start_range", [x23] { x23.narrow(0, 3, 0); });
        row("narrow_0dim", [scalar] { scalar.narrow(0, 0, 1); });
        row("select_range", [x23] { x23.select(1, 3); });
        row("select_range_neg", [x23] { x23.select(1, -4); });
        row("select_0dim", [scalar] { scalar.select(0, 0); });
        row("cat_empty", [] { cat({}); });
        row("cat_sizes", [x23] { cat({x23, Tensor::zeros({3, 3})}, 1); });
        row("cat_ndim", [x23] { cat({x23, Tensor::zeros({2, 3, 1})}); });
        row("cat_0dim", [scalar] { cat({scalar, scalar}); });
        row("cat_dim_range", [x23] { cat({x23, x23}, 2); });
        row("stack_empty", [] { stack({}); });
        row("stack_sizes", [x23] { stack({x23, Tensor::zeros({2, 4})}); });
    }
    void errorsMatchPyTorch() {
        QFETCH(test::ThrowingCall, call);
        GoldenFile golden("ops_shape_index/errors.safetensors");
        test::check_throws_with(call, golden.metadata(QTest::currentDataTag()));
    }

    // Our messages add what PyTorch leaves out: both shapes, and the op for range errors.
    void errorsNameShapes() {
        test::check_throws_with(
            [] {
                cat({Tensor::zeros({2, 3}), Tensor::zeros({3, 3})}, 1);
            },
            "(shapes [2, 3] of tensor number 0 and [3, 3])");
        test::check_throws_with([] { Tensor::zeros({2, 3}).transpose(0, 2); }, "transpose");
        test::check_throws_with([] { Tensor::zeros({2}).slice(0, 0, 1, 0); },
                                "slice step must be positive");
    }
};

QTEST_GUILESS_MAIN(TestViews)
#include "tst_views.moc"
