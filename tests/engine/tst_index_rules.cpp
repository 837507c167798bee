// The rules of index_select, gather and embedding against PyTorch 1.13
// (tests/golden/gen_index_rules.py): repeated indices accumulating in the gradient, edge
// indices, negative dims, 1-3-D inputs, empty and int32 indices, each forward and backward and
// by finite differences in float64; and every refusal with PyTorch's whole message and its
// exception kind (IndexError is std::out_of_range).

#include "engine/ops/index.h"
#include "golden_cases.h"

#include <QtTest>
#include <stdexcept>

using namespace nnscope;
using nnscope::test::CaseFn;
using nnscope::test::GoldenFile;
using nnscope::test::ThrowingCall;

namespace {

const char* const kCases = "index_rules/cases.safetensors";

void add_case_rows() {
    QTest::addColumn<CaseFn>("fn");
    auto row = [](const char* key, CaseFn f) { QTest::newRow(key) << f; };
    auto sel = [](std::int64_t d) {
        return [d](const std::vector<Tensor>& in) { return index_select(in[0], d, in[1]); };
    };
    auto gat = [](std::int64_t d) {
        return [d](const std::vector<Tensor>& in) { return gather(in[0], d, in[1]); };
    };
    auto emb = [](const std::vector<Tensor>& in) { return embedding(in[0], in[1]); };
    row("is_1d_repeat", sel(0));
    row("is_1d_edges", sel(0));
    row("is_2d_dim0_repeat", sel(0));
    row("is_2d_neg_dim", sel(-1));
    row("is_3d_dim0", sel(-3));
    row("is_3d_dim1", sel(1));
    row("is_3d_dim2", sel(2));
    row("is_empty", sel(1));
    row("is_int32", sel(2));
    row("is_0d_index", sel(0));
    row("is_scalar", sel(0));
    row("g_1d_repeat", gat(0));
    row("g_2d_dim0_repeat", gat(0));
    row("g_2d_dim1_edges", gat(1));
    row("g_2d_neg_dim", gat(-2));
    row("g_3d_dim0", gat(0));
    row("g_3d_dim1", gat(1));
    row("g_3d_dim2", gat(-1));
    row("g_empty", gat(0));
    row("g_0d_index", gat(0));
    row("g_scalar", gat(0));
    row("g_scalar_1d", gat(0));
    row("emb_repeat", emb);
    row("emb_edges", emb);
    row("emb_3d", emb);
    row("emb_empty", emb);
    row("emb_int32", emb);
    row("emb_padding_repeat", [](const auto& in) { return embedding(in[0], in[1], 4); });
}

Tensor L(std::vector<std::int64_t> values, Shape shape) {
    return Tensor::from_int64(values, shape);
}

} // namespace

class TestIndexRules : public QObject {
    Q_OBJECT

private slots:
    void casesMatchPyTorch_data() { add_case_rows(); }
    void casesMatchPyTorch() {
        QFETCH(CaseFn, fn);
        test::check_case(GoldenFile(kCases), QTest::currentDataTag(), fn);
    }

    void casesGradcheck_data() { add_case_rows(); }
    void casesGradcheck() {
        QFETCH(CaseFn, fn);
        // The padding row's gradient is zero by definition, not by the forward's values.
        if (QTest::currentDataTag() == std::string("emb_padding_repeat"))
            QSKIP("padding_idx row: gradient is zero by definition");
        test::gradcheck_case(GoldenFile(kCases), QTest::currentDataTag(), fn);
    }

    // The gradient of a repeated index is the sum of the output gradients that read it.
    void repeatedIndicesAccumulate() {
        Tensor x = Tensor::zeros({3}, DType::Float64).requires_grad_(true);
        Tensor out = gather(x, 0, L({2, 2, 0, 2}, {4}));
        out.backward(Tensor::from_vector({1, 10, 100, 1000}, {4}, DType::Float64));
        QCOMPARE(x.grad().to_vector(), (std::vector<double>{100, 0, 1011}));
    }

    // PyTorch 1.13 selects from a 0-dim tensor with any number of zeros but refuses the
    // backward of more than one.
    void scalarSelectBackwardRefusesSeveralIndices() {
        Tensor x = Tensor::scalar(2.0, DType::Float64).requires_grad_(true);
        Tensor out = index_select(x, 0, L({0, 0}, {2}));
        QCOMPARE(out.shape(), Shape{});
        test::check_throws_with([&] { out.backward(Tensor::scalar(1.0, DType::Float64)); },
                                "Dimension specified as 0 but tensor has no dimensions");
    }

    void errorsMatchPyTorch_data() {
        QTest::addColumn<ThrowingCall>("call");
        const Tensor x1 = Tensor::zeros({3}), x2 = Tensor::zeros({3, 4}),
                     x3 = Tensor::zeros({3, 4, 5}), s0 = Tensor::scalar(1.0),
                     w = Tensor::zeros({3, 2});
        auto row = [](const char* key, ThrowingCall call) { QTest::newRow(key) << call; };
        row("is_oob_dim0", [=] { index_select(x2, 0, L({5}, {1})); });
        row("is_neg_dim0", [=] { index_select(x2, 0, L({-1}, {1})); });
        row("is_oob_1d", [=] { index_select(x1, 0, L({3}, {1})); });
        row("is_oob_dim1", [=] { index_select(x2, 1, L({0, 5, 4}, {3})); });
        row("is_neg_dim1_3d", [=] { index_select(x3, -2, L({-1}, {1})); });
        row("is_oob_dim2", [=] { index_select(x3, 2, L({5}, {1})); });
        row("is_oob_scalar", [=] { index_select(s0, 0, L({1}, {1})); });
        row("is_empty_axis", [=] { index_select(Tensor::zeros({0, 3}), 0, L({0}, {1})); });
        row("is_empty_self_dim1", [=] { index_select(Tensor::zeros({0, 3}), 1, L({5}, {1})); });
        row("is_int16", [=] { index_select(x2, 0, L({0}, {1}).to(DType::Int16)); });
        row("is_float", [=] { index_select(x2, 0, Tensor::ones({1})); });
        row("is_bool", [=] { index_select(x2, 0, L({1}, {1}).to(DType::Bool)); });
        row("is_matrix", [=] { index_select(x2, 0, L({1}, {1, 1})); });
        row("is_dim", [=] { index_select(x2, 2, L({0}, {1})); });
        row("is_dim_neg", [=] { index_select(x2, -3, L({0}, {1})); });
        row("is_dim_first", [=] { index_select(x2, 5, Tensor::zeros({1, 1})); });
        row("g_oob", [=] { gather(x2, 0, L({5}, {1, 1})); });
        row("g_neg", [=] { gather(x2, 0, L({-1}, {1, 1})); });
        row("g_oob_dim1", [=] { gather(x2, 1, L({0, 4}, {1, 2})); });
        row("g_first_d0", [=] { gather(x2, 0, L({0, 0, 0, 9, 8, 0, 0, 6}, {2, 4})); });
        row("g_first_d1", [=] { gather(x2, 1, L({0, 7, 9, 0, 8, 0, 0, 6}, {2, 4})); });
        row("g_first_3d_d0", [=] { gather(x3, 0, L({0, 0, 0, 7, 9, 0, 0, 0}, {2, 2, 2})); });
        row("g_first_3d_d1", [=] { gather(x3, 1, L({0, 0, 0, 7, 9, 0, 0, 0}, {2, 2, 2})); });
        row("g_first_3d_d2", [=] { gather(x3, 2, L({0, 9, 7, 0, 0, 0, 0, 0}, {2, 2, 2})); });
        row("g_int32", [=] { gather(x2, 0, L({1}, {1, 1}).to(DType::Int32)); });
        row("g_float", [=] { gather(x2, 0, Tensor::ones({1, 1})); });
        row("g_ndim", [=] { gather(x2, 0, L({1}, {1})); });
        row("g_ndim3", [=] { gather(x2, 0, L({0}, {1, 1, 1})); });
        row("g_size", [=] { gather(x2, 0, L({0, 0, 0, 0, 0}, {1, 5})); });
        row("g_size_3d", [=] { gather(x3, 0, L({0, 0, 0, 0, 0}, {1, 5, 1})); });
        row("g_scalar_oob", [=] { gather(s0, 0, L({1}, {})); });
        row("g_dim", [=] { gather(x2, 2, L({0}, {1, 1})); });
        row("g_dtype_first", [=] { gather(x2, 0, L({0}, {1}).to(DType::Int32)); });
        row("e_oob", [=] { embedding(w, L({3}, {1})); });
        row("e_neg", [=] { embedding(w, L({-1}, {1})); });
        row("e_float", [=] { embedding(w, Tensor::ones({1})); });
        row("e_double", [=] { embedding(w, Tensor::ones({1}, DType::Float64)); });
        row("e_int16", [=] { embedding(w, L({1}, {1}).to(DType::Int16)); });
        row("e_uint8", [=] { embedding(w, L({1}, {1}).to(DType::UInt8)); });
        row("e_bool", [=] { embedding(w, L({1}, {1}).to(DType::Bool)); });
        row("e_weight_1d", [=] { embedding(Tensor::zeros({3}), L({1}, {1})); });
        row("e_weight_3d", [=] { embedding(Tensor::zeros({3, 2, 2}), L({1}, {1})); });
        row("e_padding", [=] { embedding(w, L({1}, {1}), 3); });
        row("e_padding_neg", [=] { embedding(w, L({1}, {1}), -4); });
        row("e_padding_first", [=] { embedding(Tensor::zeros({3}), Tensor::ones({1}), 5); });
        row("sa_oob", [=] { scatter_add(x2, 0, L({5}, {1, 1}), Tensor::ones({1, 1})); });
        row("sa_size", [=] { scatter_add(x2, 0, L({1, 1}, {1, 2}), Tensor::ones({1, 1})); });
        row("sa_int32", [=] {
            scatter_add(x2, 0, L({1}, {1, 1}).to(DType::Int32), Tensor::ones({1, 1}));
        });
        row("sa_ndim", [=] { scatter_add(x2, 0, L({1}, {1}), Tensor::ones({1, 1})); });
        row("sa_ndim_src", [=] { scatter_add(x2, 0, L({1}, {1, 1}), Tensor::ones({1})); });
        row("sa_src_dtype", [=] {
            scatter_add(x2, 0, L({1}, {1, 1}), Tensor::ones({1, 1}, DType::Float64));
        });
        row("bag_float", [=] { embedding_bag(w, Tensor::ones({2}), L({0}, {1})); });
    }
    void errorsMatchPyTorch() {
        QFETCH(ThrowingCall, call);
        const GoldenFile golden("index_rules/errors.safetensors");
        const std::string key = QTest::currentDataTag();
        const std::string expected = golden.metadata(key);
        const bool index_error = golden.metadata(key + ".type") == "IndexError";
        try {
            call();
        } catch (const std::out_of_range& error) {
            QCOMPARE(QString::fromStdString(error.what()), QString::fromStdString(expected));
            QVERIFY2(index_error, "std::out_of_range (IndexError) where PyTorch raises another");
            return;
        } catch (const std::exception& error) {
            QCOMPARE(QString::fromStdString(error.what()), QString::fromStdString(expected));
            QVERIFY2(!index_error, "PyTorch raises IndexError (std::out_of_range) here");
            return;
        }
        QFAIL("no exception");
    }
};

QTEST_GUILESS_MAIN(TestIndexRules)
#include "tst_index_rules.moc"
