// workflows::trace_index against PyTorch 1.13 (tests/golden/gen_index_rules.py): the output and
// input gradient of index_select, gather and embedding; every output element copies the input
// element its source names; the fan-in per input element is what a gradient of ones gives; and
// refusals carry PyTorch's exception, message and the out-of-range positions.

#include "support/golden.h"
#include "workflows/index_trace.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;
using workflows::IndexOp;
using workflows::IndexTraceRequest;
using Positions = std::vector<nnscope::Shape>;

Q_DECLARE_METATYPE(nnscope::Tensor)
Q_DECLARE_METATYPE(Positions)

namespace {

const char* const kCases = "index_rules/cases.safetensors";

Tensor L(std::vector<std::int64_t> values, Shape shape) {
    return Tensor::from_int64(values, shape);
}

// The element of t at a multi-index.
double element(const Tensor& t, const Shape& at) {
    Tensor e = t;
    for (std::int64_t d : at)
        e = e.select(0, d);
    return e.item();
}

} // namespace

class TestIndexTrace : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<int>("op");
        QTest::addColumn<int>("dim");
        QTest::addColumn<int>("padding"); // -1000: none
        auto row = [](const char* key, IndexOp op, int dim, int padding = -1000) {
            QTest::newRow(key) << static_cast<int>(op) << dim << padding;
        };
        row("is_1d_repeat", IndexOp::IndexSelect, 0);
        row("is_2d_neg_dim", IndexOp::IndexSelect, -1);
        row("is_3d_dim1", IndexOp::IndexSelect, 1);
        row("is_empty", IndexOp::IndexSelect, 1);
        row("is_int32", IndexOp::IndexSelect, 2);
        row("is_0d_index", IndexOp::IndexSelect, 0);
        row("is_scalar", IndexOp::IndexSelect, 0);
        row("g_1d_repeat", IndexOp::Gather, 0);
        row("g_2d_dim0_repeat", IndexOp::Gather, 0);
        row("g_3d_dim1", IndexOp::Gather, 1);
        row("g_3d_dim2", IndexOp::Gather, -1);
        row("g_0d_index", IndexOp::Gather, 0);
        row("g_scalar_1d", IndexOp::Gather, 0);
        row("emb_repeat", IndexOp::Embedding, 0);
        row("emb_3d", IndexOp::Embedding, 0);
        row("emb_padding_repeat", IndexOp::Embedding, 0, 4);
    }

    void matchesPyTorch() {
        QFETCH(int, op);
        QFETCH(int, dim);
        QFETCH(int, padding);
        const GoldenFile golden(kCases);
        const std::string key = QTest::currentDataTag();
        IndexTraceRequest request;
        request.op = static_cast<IndexOp>(op);
        request.input = golden.tensor(key + ".in0");
        request.index = golden.tensor(key + ".in1");
        request.dim = dim;
        if (padding != -1000) request.padding_idx = padding;
        request.grad_output = golden.tensor(key + ".grad_out");
        const auto trace = workflows::trace_index(request);
        QVERIFY2(!trace.refusal, trace.refusal ? trace.refusal->what().c_str() : "");
        QString why;
        QVERIFY2(test::allclose(trace.output, golden.tensor(key + ".out"), 1e-6, 1e-5, &why),
                 qPrintable(why));
        QVERIFY2(test::allclose(trace.grad_input, golden.tensor(key + ".grad0"), 1e-5, 1e-4, &why),
                 qPrintable(why));

        // Provenance: each output element is its source's value, chosen by an index element
        // whose value is the source's coordinate along dim.
        QCOMPARE(trace.source.size(), static_cast<std::size_t>(trace.output.numel()));
        const std::vector<double> out = trace.output.to_vector();
        for (std::size_t k = 0; k < out.size(); ++k) {
            QCOMPARE(out[k], element(request.input, trace.source[k]));
            const double chosen = element(request.index, trace.chosen_by[k]);
            if (!trace.source[k].empty())
                QCOMPARE(chosen,
                         static_cast<double>(trace.source[k][static_cast<std::size_t>(trace.dim)]));
        }

        // Fan-in: the gradient a backward of ones gives.
        request.grad_output = Tensor::ones(trace.output.shape(), trace.output.dtype());
        const auto ones = workflows::trace_index(request);
        const std::vector<double> counted = ones.grad_input.to_vector();
        QCOMPARE(ones.fan_in.size(), counted.size());
        for (std::size_t i = 0; i < counted.size(); ++i)
            QCOMPARE(static_cast<double>(ones.fan_in[i]), counted[i]);
    }

    void repeatedIndexFanIn() {
        IndexTraceRequest request{IndexOp::Gather,
                                  Tensor::from_vector({1, 2, 3}, {3}),
                                  0,
                                  L({2, 2, 0, 2}, {4}),
                                  std::nullopt,
                                  Tensor::ones({4})};
        const auto trace = workflows::trace_index(request);
        QCOMPARE(trace.fan_in, (std::vector<std::int64_t>{1, 0, 3}));
        QCOMPARE(trace.source[1], Shape{2});
        QCOMPARE(trace.chosen_by[1], Shape{1});
        QCOMPARE(trace.grad_input.to_vector(), (std::vector<double>{1, 0, 3}));
    }

    void refusals_data() {
        QTest::addColumn<int>("op");
        QTest::addColumn<Tensor>("input");
        QTest::addColumn<int>("dim");
        QTest::addColumn<Tensor>("index");
        QTest::addColumn<Positions>("bad");
        const Tensor x2 = Tensor::zeros({3, 4});
        auto row = [](const char* key, IndexOp op, Tensor input, int dim, Tensor index,
                      Positions bad = {}) {
            QTest::newRow(key) << static_cast<int>(op) << input << dim << index << bad;
        };
        row("is_oob_dim0", IndexOp::IndexSelect, x2, 0, L({5}, {1}), {Shape{0}});
        row("is_oob_dim1", IndexOp::IndexSelect, x2, 1, L({0, 5, 4}, {3}), {Shape{1}, Shape{2}});
        row("is_float", IndexOp::IndexSelect, x2, 0, Tensor::ones({1}));
        row("is_dim", IndexOp::IndexSelect, x2, 2, L({0}, {1}));
        row("g_first_d1", IndexOp::Gather, x2, 1, L({0, 7, 9, 0, 8, 0, 0, 6}, {2, 4}),
            {Shape{0, 1}, Shape{0, 2}, Shape{1, 0}, Shape{1, 3}});
        row("g_int32", IndexOp::Gather, x2, 0, L({1}, {1, 1}).to(DType::Int32), {});
        row("g_size", IndexOp::Gather, x2, 0, L({0, 0, 0, 0, 0}, {1, 5}));
        row("e_oob", IndexOp::Embedding, Tensor::zeros({3, 2}), 0, L({3}, {1}), {Shape{0}});
        row("e_float", IndexOp::Embedding, Tensor::zeros({3, 2}), 0, Tensor::ones({1}));
    }
    void refusals() {
        QFETCH(int, op);
        QFETCH(Tensor, input);
        QFETCH(int, dim);
        QFETCH(Tensor, index);
        QFETCH(Positions, bad);
        const GoldenFile golden("index_rules/errors.safetensors");
        const std::string key = QTest::currentDataTag();
        const auto trace = workflows::trace_index(
            {static_cast<IndexOp>(op), input, dim, index, std::nullopt, Tensor()});
        QVERIFY(trace.refusal.has_value());
        QCOMPARE(trace.refusal->message, golden.metadata(key));
        QCOMPARE(trace.refusal->exception, golden.metadata(key + ".type"));
        QCOMPARE(trace.refusal->bad_positions, bad);
        QVERIFY(!trace.output.defined());
    }

    void paddingRefusalIsAnAssertion() {
        const auto trace = workflows::trace_index(
            {IndexOp::Embedding, Tensor::zeros({3, 2}), 0, L({1}, {1}), 3, Tensor()});
        QVERIFY(trace.refusal.has_value());
        QCOMPARE(trace.refusal->what(),
                 std::string("AssertionError: Padding_idx must be within num_embeddings"));
    }

    void gradOutputShapeIsChecked() {
        const auto trace =
            workflows::trace_index({IndexOp::IndexSelect, Tensor::zeros({3}), 0, L({0, 1}, {2}),
                                    std::nullopt, Tensor::ones({3})});
        QVERIFY(trace.refusal.has_value());
        QCOMPARE(trace.refusal->message,
                 std::string("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) "
                             "and output[0] has a shape of torch.Size([2])."));
    }

    void opNames() {
        QCOMPARE(workflows::index_op_from_name("gather"), IndexOp::Gather);
        QCOMPARE(workflows::index_op_name(IndexOp::Embedding), std::string("embedding"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, workflows::index_op_from_name("take"));
    }
};

QTEST_GUILESS_MAIN(TestIndexTrace)
#include "tst_index_trace.moc"
