// Reductions against PyTorch 1.13 (tests/golden/ops_arl/reduce, written by
// gen_ops_activation_reduce_loss.py) and finite differences.

#include "arl_golden.h"
#include "engine/autograd/grad_mode.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::GoldenFile;
using namespace nnscope::test::arl;

namespace {

const std::string kFile = "ops_arl/reduce.safetensors";

Shape shape_of(const Case& value) {
    return value.get<Shape>();
}

// Runs a case's op; `indices` receives the second output of max(dim).
Tensor apply(const Case& c, const Tensor& input, Tensor* indices = nullptr) {
    const std::string op = c.at("op");
    const Tensor x = maybe_transpose(input, c);
    const bool keepdim = c.value("keepdim", false);
    const bool all = !c.contains("dims") || c.at("dims").is_null();
    if (op == "sum") return all ? sum(x) : sum(x, shape_of(c.at("dims")), keepdim);
    if (op == "mean") return all ? mean(x) : mean(x, shape_of(c.at("dims")), keepdim);
    if (op == "max_all") return max(x);
    if (op == "max_dim") {
        auto [values, index] = max(x, c.at("dim").get<std::int64_t>(), keepdim);
        if (indices) *indices = index;
        return values;
    }
    if (op == "argmax") {
        const auto& dim = c.at("dim");
        return argmax(x, dim.is_null() ? std::nullopt : std::optional(dim.get<std::int64_t>()),
                      keepdim);
    }
    if (op == "sum_to") return sum_to(x, shape_of(c.at("shape")));
    throw std::invalid_argument("unknown op " + op);
}

} // namespace

class TestReduce : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() { add_case_rows(kFile); }

    void matchesPyTorch() {
        const auto [key, c, golden] = current_case(kFile);
        Tensor x = leaf(golden.tensor(key + ".x"));
        Tensor indices;
        const Tensor out = apply(c, x, &indices);
        if (golden.has(key + ".indices"))
            NNSCOPE_COMPARE_TENSORS_EXACT(indices, golden.tensor(key + ".indices"));
        check_case(golden, key, out, {{"grad", x}});
    }

    void gradcheckSumMean_data() {
        QTest::addColumn<bool>("isMean");
        QTest::addColumn<Shape>("dims");
        QTest::addColumn<bool>("keepdim");
        QTest::addColumn<bool>("transpose");
        const std::vector<Shape> dim_sets{{}, {0}, {1}, {-1}, {0, 2}, {2, 1, 0}};
        for (bool is_mean : {false, true})
            for (std::size_t i = 0; i < dim_sets.size(); ++i)
                for (bool keepdim : {false, true})
                    for (bool transpose : {false, true})
                        QTest::addRow("%s.%s.%zu%s", is_mean ? "mean" : "sum",
                                      keepdim ? "keep" : "drop", i, transpose ? ".strided" : "")
                            << is_mean << dim_sets[i] << keepdim << transpose;
    }

    void gradcheckSumMean() {
        QFETCH(bool, isMean);
        QFETCH(Shape, dims);
        QFETCH(bool, keepdim);
        QFETCH(bool, transpose);
        auto fn = [=](const std::vector<Tensor>& in) {
            const Tensor x = transpose ? in[0].transpose(0, 2) : in[0];
            return isMean ? mean(x, dims, keepdim) : sum(x, dims, keepdim);
        };
        NNSCOPE_GRADCHECK(fn, (std::vector<Tensor>{test::random_double({2, 3, 4}, 5)}));
    }

    void gradcheckMaxAndSumTo() {
        // Random doubles have no ties, so max is smooth around them.
        const std::vector<Tensor> x{test::random_double({3, 4, 2}, 6)};
        NNSCOPE_GRADCHECK([](const std::vector<Tensor>& in) { return max(in[0]); }, x);
        for (std::int64_t dim : {0, 1, 2, -1})
            for (bool keepdim : {false, true})
                NNSCOPE_GRADCHECK(
                    [=](const std::vector<Tensor>& in) { return max(in[0], dim, keepdim).first; },
                    x);
        for (const Shape& to : {Shape{4, 2}, Shape{4, 1}, Shape{3, 1, 2}, Shape{1}, Shape{}})
            NNSCOPE_GRADCHECK([=](const std::vector<Tensor>& in) { return sum_to(in[0], to); }, x);
    }

    void sumToIsIdentityWhenShapesMatch() {
        const Tensor x = Tensor::ones({2, 3});
        QVERIFY(sum_to(x, {2, 3}).is_same(x));
    }

    void floatSumsAreAccurate() {
        // Three million copies of 0.1f: a float32 running sum drifts by whole units; the exact
        // answer is n times the float nearest 0.1.
        const std::int64_t n = 3000000;
        const Tensor x = Tensor::full({n}, 0.1);
        const double exact = static_cast<double>(n) * static_cast<double>(0.1f);
        QVERIFY(std::abs(sum(x).item() - exact) <= 1e-6 * exact);
        QVERIFY(std::abs(mean(x).item() - exact / n) <= 1e-6 * exact / n);
        // Integers sum exactly in int64, whatever their dtype.
        const Tensor big = Tensor::full({3}, 2e9, DType::Int32);
        QCOMPARE(sum(big).dtype(), DType::Int64);
        QCOMPARE(sum(big).to_int64_vector()[0], std::int64_t{6000000000});
    }

    void resultDtypes() {
        QCOMPARE(sum(Tensor::ones({2}, DType::Bool)).dtype(), DType::Int64);
        QCOMPARE(sum(Tensor::ones({2}, DType::UInt8), {0}).dtype(), DType::Int64);
        QCOMPARE(sum(Tensor::ones({2}, DType::Float64)).dtype(), DType::Float64);
        QCOMPARE(max(Tensor::ones({2}, DType::Int32)).dtype(), DType::Int32);
        QCOMPARE(max(Tensor::ones({2, 2}, DType::Int32), 1).second.dtype(), DType::Int64);
        QCOMPARE(argmax(Tensor::ones({2, 2})).dtype(), DType::Int64);
    }

    void halfPrecisionReducesInFloat() {
        // Values exact in float16: 1.5 + 2.25 + 3 = 6.75, mean 2.25, max 3 at index 2.
        for (DType half : {DType::Float16, DType::BFloat16}) {
            Tensor x = Tensor::from_vector({1.5, 2.25, 3.0}, {3}, half);
            x.requires_grad_(true);
            const Tensor total = sum(x);
            QCOMPARE(total.dtype(), half);
            QCOMPARE(total.item(), 6.75);
            QCOMPARE(mean(x, {0}).item(), 2.25);
            QCOMPARE(max(x).item(), 3.0);
            QCOMPARE(max(x, 0).second.item(), 2.0);
            QCOMPARE(argmax(x).item(), 2.0);
            total.backward();
            QCOMPARE(x.grad().dtype(), half);
            QCOMPARE(x.grad().to_vector(), (std::vector<double>{1.0, 1.0, 1.0}));
        }
    }

    void indicesCarryNoGradient() {
        Tensor x = test::random_double({2, 3}, 7);
        x.requires_grad_(true);
        auto [values, indices] = max(x, 1);
        QVERIFY(values.requires_grad());
        QVERIFY(!indices.requires_grad());
        QCOMPARE(values.grad_fn()->name(), std::string("MaxBackward0"));
        QCOMPARE(max(x).grad_fn()->name(), std::string("MaxBackward1"));
        QCOMPARE(sum(x).grad_fn()->name(), std::string("SumBackward0"));
        QCOMPARE(sum(x, {1}).grad_fn()->name(), std::string("SumBackward1"));
        QCOMPARE(mean(x).grad_fn()->name(), std::string("MeanBackward0"));
        QCOMPARE(mean(x, {0}).grad_fn()->name(), std::string("MeanBackward1"));
        autograd::NoGradGuard no_grad;
        QVERIFY(!sum(x).requires_grad());
    }

    void errors() {
        const Tensor x = Tensor::ones({2, 3});
        ARL_EXPECT_ERROR(sum(x, {0, -2}), "dim 0 appears multiple times in the list of dims");
        ARL_EXPECT_ERROR(sum(x, {2}),
                         "out of range (expected to be in range of [-2, 1], but got 2)");
        ARL_EXPECT_ERROR(mean(Tensor::ones({2}, DType::Int64)),
                         "mean(): could not infer output dtype. Input dtype must be either a "
                         "floating point or complex dtype. Got: Long");
        ARL_EXPECT_ERROR(max(Tensor::ones({0})),
                         "max(): Expected reduction dim to be specified for input.numel() == 0");
        ARL_EXPECT_ERROR(max(Tensor::ones({2, 0}), 1),
                         "max(): Expected reduction dim 1 to have non-zero size.");
        ARL_EXPECT_ERROR(argmax(Tensor::ones({0})), "argmax(): Expected reduction dim");
        ARL_EXPECT_ERROR(argmax(Tensor::ones({2}, DType::Bool)), "\"argmax_cpu\" not implemented "
                                                                 "for 'Bool'");
        ARL_EXPECT_ERROR(sum_to(x, {4, 3}), "[4, 3]");
        ARL_EXPECT_ERROR(sum_to(x, {4, 3}), "[2, 3]");
        ARL_EXPECT_ERROR(sum_to(x, {1, 2, 3}), "[1, 2, 3]");
    }
};

QTEST_GUILESS_MAIN(TestReduce)
#include "tst_reduce.moc"
