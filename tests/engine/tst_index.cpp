// Indexing ops against PyTorch 1.13 (tests/golden/gen_ops_shape_index.py): index_select,
// gather, scatter_add, embedding and embedding_bag, their gradients, error messages, and finite
// differences in float64.

#include "engine/ops/index.h"
#include "engine/ops/shape.h"
#include "golden_cases.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::CaseFn;
using nnscope::test::GoldenFile;

namespace {

void add_index_rows() {
    QTest::addColumn<CaseFn>("fn");
    auto row = [](const char* key, CaseFn f) { QTest::newRow(key) << f; };
    row("is_dim0", [](const auto& in) { return index_select(in[0], 0, in[1]); });
    row("is_dim1", [](const auto& in) { return index_select(in[0], 1, in[1]); });
    row("is_neg_dim", [](const auto& in) { return index_select(in[0], -1, in[1]); });
    row("is_mid", [](const auto& in) { return index_select(in[0], 1, in[1]); });
    row("is_transposed0", [](const auto& in) { return index_select(in[0].t(), 0, in[1]); });
    row("is_transposed1", [](const auto& in) { return index_select(in[0].t(), 1, in[1]); });
    row("is_empty", [](const auto& in) { return index_select(in[0], 0, in[1]); });
    row("is_scalar_index", [](const auto& in) { return index_select(in[0], 0, in[1]); });
    row("is_int32", [](const auto& in) { return index_select(in[0], 0, in[1]); });
    row("is_int64_values", [](const auto& in) { return index_select(in[0], 0, in[1]); });
    row("gather0", [](const auto& in) { return gather(in[0], 0, in[1]); });
    row("gather1", [](const auto& in) { return gather(in[0], 1, in[1]); });
    row("gather_smaller", [](const auto& in) { return gather(in[0], 1, in[1]); });
    row("gather_3d", [](const auto& in) { return gather(in[0], 1, in[1]); });
    row("gather_neg_dim", [](const auto& in) { return gather(in[0], -1, in[1]); });
    row("gather_transposed", [](const auto& in) { return gather(in[0].t(), 1, in[1]); });
    row("scatter_add0", [](const auto& in) { return scatter_add(in[0], 0, in[1], in[2]); });
    row("scatter_add1", [](const auto& in) { return scatter_add(in[0], 1, in[1], in[2]); });
    row("scatter_add_big_src", [](const auto& in) { return scatter_add(in[0], 1, in[1], in[2]); });
    row("scatter_add_long_dim", [](const auto& in) { return scatter_add(in[0], 0, in[1], in[2]); });
}

void add_embedding_rows() {
    QTest::addColumn<CaseFn>("fn");
    auto row = [](const std::string& key, CaseFn f) { QTest::newRow(key.c_str()) << f; };
    row("emb_1d", [](const auto& in) { return embedding(in[0], in[1]); });
    row("emb_2d", [](const auto& in) { return embedding(in[0], in[1]); });
    row("emb_0dim", [](const auto& in) { return embedding(in[0], in[1]); });
    row("emb_padding", [](const auto& in) { return embedding(in[0], in[1], 2); });
    row("emb_padding_neg", [](const auto& in) { return embedding(in[0], in[1], -1); });
    row("emb_int32", [](const auto& in) { return embedding(in[0], in[1]); });
    for (std::string mode : {"sum", "mean", "max"}) {
        row("bag_" + mode,
            [mode](const auto& in) { return embedding_bag(in[0], in[1], in[2], mode); });
        row("bag_" + mode + "_last", [mode](const auto& in) {
            return embedding_bag(in[0], in[1], in[2], mode, Tensor(), true);
        });
        row("bag_" + mode + "_2d",
            [mode](const auto& in) { return embedding_bag(in[0], in[1], Tensor(), mode); });
        row("bag_" + mode + "_padding", [mode](const auto& in) {
            return embedding_bag(in[0], in[1], in[2], mode, Tensor(), false, 1);
        });
        row("bag_" + mode + "_padding_neg", [mode](const auto& in) {
            return embedding_bag(in[0], in[1].view({2, 2}), Tensor(), mode, Tensor(), false, -1);
        });
    }
    row("bag_psw", [](const auto& in) { return embedding_bag(in[0], in[1], in[2], "sum", in[3]); });
    row("bag_psw_2d",
        [](const auto& in) { return embedding_bag(in[0], in[1], Tensor(), "sum", in[2]); });
    row("bag_psw_padding",
        [](const auto& in) { return embedding_bag(in[0], in[1], in[2], "sum", in[3], false, 3); });
    row("bag_int32", [](const auto& in) { return embedding_bag(in[0], in[1], in[2]); });
    row("bag_trailing_empty",
        [](const auto& in) { return embedding_bag(in[0], in[1], in[2], "mean"); });
}

Tensor ints(std::vector<std::int64_t> values, Shape shape) {
    return Tensor::from_int64(values, shape);
}

} // namespace

class TestIndex : public QObject {
    Q_OBJECT

private slots:
    void indexMatchesPyTorch_data() { add_index_rows(); }
    void indexMatchesPyTorch() {
        QFETCH(CaseFn, fn);
        test::check_case(GoldenFile("ops_shape_index/index.safetensors"), QTest::currentDataTag(),
                         fn);
    }

    void indexGradcheck_data() { add_index_rows(); }
    void indexGradcheck() {
        QFETCH(CaseFn, fn);
        test::gradcheck_case(GoldenFile("ops_shape_index/index.safetensors"),
                             QTest::currentDataTag(), fn);
    }

    void embeddingMatchesPyTorch_data() { add_embedding_rows(); }
    void embeddingMatchesPyTorch() {
        QFETCH(CaseFn, fn);
        test::check_case(GoldenFile("ops_shape_index/embedding.safetensors"),
                         QTest::currentDataTag(), fn);
    }

    // Max bags have kinks where two rows tie; the golden weights are random, so none do.
    void embeddingGradcheck_data() { add_embedding_rows(); }
    void embeddingGradcheck() {
        QFETCH(CaseFn, fn);
        // embedding's padding row keeps a zero gradient on purpose (as PyTorch): its output
        // still depends on that row, so finite differences disagree by design.
        if (QTest::currentDataTag() == std::string("emb_padding") ||
            QTest::currentDataTag() == std::string("emb_padding_neg"))
            QSKIP("padding_idx row: gradient is zero by definition");
        test::gradcheck_case(GoldenFile("ops_shape_index/embedding.safetensors"),
                             QTest::currentDataTag(), fn);
    }

    // The values come from first principles: row copies and per-bag sums/means.
    void indexSelectDim0CopiesRows() {
        Tensor x = Tensor::arange(12, DType::Float32).reshape({4, 3});
        Tensor out = index_select(x, 0, ints({3, 3, 0}, {3}));
        QCOMPARE(out.to_vector(), (std::vector<double>{9, 10, 11, 9, 10, 11, 0, 1, 2}));
        QVERIFY(out.is_contiguous());
        QVERIFY(out.storage() != x.storage());
        // A float16 tensor goes through the same byte copy.
        Tensor h = x.to(DType::Float16);
        QCOMPARE(index_select(h, 0, ints({2}, {1})).to_vector(), (std::vector<double>{6, 7, 8}));
    }

    void embeddingPaddingRowGetsNoGradient() {
        Tensor w = Tensor::ones({4, 2}, DType::Float64);
        w.requires_grad_(true);
        Tensor out = embedding(w, ints({1, 1, 3, 0}, {2, 2}), 1);
        QCOMPARE(out.shape(), (Shape{2, 2, 2}));
        out.backward(Tensor::ones({2, 2, 2}, DType::Float64));
        QCOMPARE(w.grad().to_vector(), (std::vector<double>{1, 1, 0, 0, 0, 0, 1, 1}));
    }

    void embeddingBagEmptyBagsGiveZeros() {
        Tensor w = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {3, 2}, DType::Float32);
        for (const char* mode : {"sum", "mean", "max"}) {
            Tensor out = embedding_bag(w, ints({2, 0}, {2}), ints({0, 0, 2, 2}, {4}), mode);
            QCOMPARE(out.shape(), (Shape{4, 2}));
            const std::vector<double> row1 = out.select(0, 1).to_vector();
            QCOMPARE(out.select(0, 0).to_vector(), (std::vector<double>{0, 0}));
            QCOMPARE(out.select(0, 2).to_vector(), (std::vector<double>{0, 0}));
            QCOMPARE(out.select(0, 3).to_vector(), (std::vector<double>{0, 0}));
            const std::vector<double> expected =
                std::string(mode) == "sum"    ? std::vector<double>{6, 8}
                : std::string(mode) == "mean" ? std::vector<double>{3, 4}
                                              : std::vector<double>{5, 6};
            QCOMPARE(row1, expected);
        }
    }

    // PyTorch 1.13 cannot differentiate src when it is larger than index; the gradient is the
    // gathered one in the covered corner and zero elsewhere.
    void scatterAddLargeSrcGradcheck() {
        const Tensor index = ints({1, 1, 0, 1}, {2, 2});
        NNSCOPE_GRADCHECK(
            [index](const auto& in) { return scatter_add(in[0], 1, index, in[1]); },
            (std::vector<Tensor>{test::random_double({3, 4}, 5), test::random_double({3, 5}, 6)}));
    }

    // With include_last_offset, indices after the last offset belong to no bag. PyTorch 1.13
    // still counts them in the last mean bag (dividing by 4 here) and corrupts its heap for max;
    // we follow the documented meaning: they are ignored.
    void embeddingBagIgnoresIndicesAfterLastOffset() {
        Tensor w = Tensor::from_vector({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2}, DType::Float64);
        w.requires_grad_(true);
        const Tensor input = ints({0, 1, 2, 3}, {4});
        const Tensor offsets = ints({0, 1, 3}, {3});
        Tensor mean = embedding_bag(w, input, offsets, "mean", Tensor(), true);
        QCOMPARE(mean.to_vector(), (std::vector<double>{1, 2, 4, 5}));
        mean.backward(Tensor::ones({2, 2}, DType::Float64));
        QCOMPARE(w.grad().to_vector(), (std::vector<double>{1, 1, 0.5, 0.5, 0.5, 0.5, 0, 0}));
        Tensor max = embedding_bag(w, input, offsets, "max", Tensor(), true);
        QCOMPARE(max.to_vector(), (std::vector<double>{1, 2, 5, 6}));
    }

    // Strided operands take the generic walks rather than the contiguous fast paths.
    void stridedOperandsGradcheck() {
        const Tensor index = ints({2, 0, 1, 1, 3, 0}, {3, 2});
        NNSCOPE_GRADCHECK(
            [index](const auto& in) { return scatter_add(in[0].t(), 1, index, in[1].t()); },
            (std::vector<Tensor>{test::random_double({4, 3}, 7), test::random_double({2, 3}, 8)}));
        NNSCOPE_GRADCHECK(
            [](const auto& in) {
                return embedding_bag(in[0].t(), ints({0, 2, 2, 1}, {4}), ints({0, 1}, {2}), "mean");
            },
            (std::vector<Tensor>{test::random_double({2, 3}, 9)}));
    }

    void embeddingBagMaxTiesPickTheFirstRow() {
        Tensor w = Tensor::from_vector({1, 7, 1, 2}, {2, 2}, DType::Float64);
        w.requires_grad_(true);
        Tensor out = embedding_bag(w, ints({0, 1}, {2}), ints({0}, {1}), "max");
        QCOMPARE(out.to_vector(), (std::vector<double>{1, 7}));
        out.backward(Tensor::ones({1, 2}, DType::Float64));
        QCOMPARE(w.grad().to_vector(), (std::vector<double>{1, 1, 0, 0}));
    }

    void errorsMatchPyTorch_data() {
        QTest::addColumn<test::ThrowingCall>("call");
        const Tensor x53 = Tensor::zeros({5, 3});
        auto row = [](const char* key, test::ThrowingCall call) { QTest::newRow(key) << call; };
        row("index_select_bounds", [x53] { index_select(x53, 0, ints({7}, {1})); });
        row("index_select_matrix", [x53] { index_select(x53, 0, ints({1}, {1, 1})); });
        row("gather_bounds", [x53] { gather(x53, 0, ints({7}, {1, 1})); });
        row("gather_negative", [x53] { gather(x53, 0, ints({-1}, {1, 1})); });
        row("gather_ndim", [x53] { gather(x53, 0, ints({7}, {1})); });
        row("gather_size", [x53] { gather(x53, 0, ints({1, 1, 1, 1}, {1, 4})); });
        row("scatter_add_bounds", [x53] {
            scatter_add(x53, 0, ints({7}, {1, 1}), Tensor::ones({1, 1}));
        });
        row("scatter_add_size", [x53] {
            scatter_add(x53, 0, ints({1, 1}, {1, 2}), Tensor::ones({1, 1}));
        });
        row("embedding_2d", [x53] { embedding(x53.select(0, 0), ints({1}, {1})); });
        row("embedding_padding", [x53] { embedding(x53, ints({1}, {1}), 5); });
        row("bag_offsets0", [x53] { embedding_bag(x53, ints({1, 2}, {2}), ints({1}, {1})); });
        row("bag_offsets_last", [x53] {
            embedding_bag(x53, ints({1, 2}, {2}), ints({0, 3}, {2}));
        });
        row("bag_psw_mode", [x53] {
            embedding_bag(x53, ints({1, 2}, {2}), ints({0, 1}, {2}), "mean", Tensor::ones({2}));
        });
        row("bag_mode", [x53] { embedding_bag(x53, ints({1, 2}, {2}), ints({0, 1}, {2}), "foo"); });
        row("bag_last_offset", [x53] {
            embedding_bag(x53, ints({1, 2}, {2}), ints({}, {0}), "mean", Tensor(), true);
        });
        row("bag_padding", [x53] {
            embedding_bag(x53, ints({1, 2}, {2}), ints({0}, {1}), "mean", Tensor(), false, 9);
        });
    }
    void errorsMatchPyTorch() {
        QFETCH(test::ThrowingCall, call);
        GoldenFile golden("ops_shape_index/errors.safetensors");
        test::check_throws_with(call, golden.metadata(QTest::currentDataTag()));
    }

    void moreErrors() {
        const Tensor x = Tensor::zeros({5, 3});
        test::check_throws_with([x] { embedding(x, ints({5}, {1})); },
                                "index out of range in self");
        test::check_throws_with([x] { embedding(x, ints({-1}, {1})); },
                                "index out of range in self");
        test::check_throws_with(
            [x] {
                embedding_bag(x, ints({1, 9}, {2}), ints({0}, {1}));
            },
            "embedding_bag(): index 9 is out of bounds for dimension 0 with size 5");
        test::check_throws_with(
            [x] {
                embedding_bag(x, ints({1, 2, 3}, {3}), ints({0, 2, 1}, {3}));
            },
            "offsets must be non-decreasing");
        test::check_throws_with(
            [x] {
                embedding_bag(x, ints({1, 2}, {1, 2}), ints({0}, {1}));
            },
            "if input is 2D, then offsets has to be undefined");
        test::check_throws_with(
            [x] {
                embedding_bag(x, ints({1, 2}, {2}), Tensor());
            },
            "offsets has to be a 1D Tensor");
        test::check_throws_with([x] { index_select(x, 0, Tensor::zeros({1})); },
                                "index_select(): Expected dtype int32 or int64 for index");
        test::check_throws_with(
            [x] {
                gather(x, 0, ints({0}, {1, 1}).to(DType::Int32));
            },
            "gather(): Expected dtype int64 for index");
        test::check_throws_with(
            [x] {
                scatter_add(x, 0, ints({0}, {1, 1}), Tensor::ones({1, 1}, DType::Float64));
            },
            "scatter(): Expected self.dtype to be equal to src.dtype");
    }
};

QTEST_GUILESS_MAIN(TestIndex)
#include "tst_index.moc"
