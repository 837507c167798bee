// Tensor basics: factories, strides, storage sharing, conversions (checked against PyTorch's
// float16/bfloat16/integer conversions in tests/golden/elementwise/conversions.safetensors).

#include "engine/half.h"
#include "engine/tensor.h"
#include "support/golden.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::GoldenFile;

class TestTensor : public QObject {
    Q_OBJECT

private slots:
    void factoriesHaveContiguousStrides() {
        Tensor t = Tensor::zeros({2, 3, 4});
        QCOMPARE(t.strides(), (Shape{12, 4, 1}));
        QCOMPARE(t.numel(), 24);
        QVERIFY(t.is_contiguous());
        QCOMPARE(Tensor::full({2}, 2.5, DType::Float64).to_vector(),
                 (std::vector<double>{2.5, 2.5}));
        QCOMPARE(Tensor::arange(4).to_int64_vector(), (std::vector<std::int64_t>{0, 1, 2, 3}));
        QCOMPARE(Tensor::scalar(3.0).dim(), 0);
        QCOMPARE(Tensor::scalar(3.0).numel(), 1);
        QCOMPARE(Tensor::zeros({0, 5}).numel(), 0);
    }

    void badShapesAreRejected() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Tensor::zeros({2, -1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Tensor::zeros({1LL << 40, 1LL << 40}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Tensor::from_vector({1, 2, 3}, {2, 2}));
    }

    void fromStorageChecksBounds() {
        auto storage = Storage::allocate(6 * sizeof(float));
        Tensor ok = Tensor::from_storage(storage, DType::Float32, {2, 3}, {1, 2}, 0);
        QCOMPARE(ok.storage().get(), storage.get());
        QVERIFY(!ok.is_contiguous());
        try {
            Tensor::from_storage(storage, DType::Float32, {2, 3}, {3, 1}, 1);
            QFAIL("expected an error");
        } catch (const std::invalid_argument& error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("holds 6")));
        }
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            Tensor::from_storage(storage, DType::Float32, {2}, {1LL << 62}, 0));
    }

    void contiguousCopiesOnlyWhenNeeded() {
        Tensor t = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
        QCOMPARE(t.contiguous().storage().get(), t.storage().get());
        Tensor strided = Tensor::from_storage(t.storage(), DType::Float32, {3, 2}, {1, 3}, 0);
        Tensor c = strided.contiguous();
        QVERIFY(c.storage().get() != t.storage().get());
        QCOMPARE(c.to_vector(), (std::vector<double>{1, 4, 2, 5, 3, 6}));
    }

    void itemNeedsOneElement() {
        QCOMPARE(Tensor::scalar(4.5).item(), 4.5);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Tensor::zeros({2}).item());
    }

    void sixteenBitConversionsMatchPyTorch() {
        GoldenFile golden("elementwise/conversions.safetensors");
        const auto values = golden.tensor("float32").to_vector();
        const auto half_bits = golden.tensor("float16_bits").to_int64_vector();
        const auto bf16_bits = golden.tensor("bfloat16_bits").to_int64_vector();
        for (std::size_t i = 0; i < values.size(); ++i) {
            const float v = static_cast<float>(values[i]);
            QCOMPARE(static_cast<std::int16_t>(float_to_half(v)),
                     static_cast<std::int16_t>(half_bits[i]));
            QCOMPARE(static_cast<std::int16_t>(float_to_bfloat16(v)),
                     static_cast<std::int16_t>(bf16_bits[i]));
        }
        // And back, through Tensor::to.
        Tensor h = golden.tensor("float32").to(DType::Float16);
        QCOMPARE(h.dtype(), DType::Float16);
        const auto back = h.to(DType::Float32).to_vector();
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double expected =
                half_to_float(static_cast<std::uint16_t>(half_bits[i] & 0xffff));
            QCOMPARE(back[i], expected);
        }
    }

    void integerConversionsMatchPyTorch() {
        GoldenFile golden("elementwise/conversions.safetensors");
        NNSCOPE_COMPARE_TENSORS_EXACT(golden.tensor("finite").to(DType::Int64),
                                      golden.tensor("to_int64"));
        NNSCOPE_COMPARE_TENSORS_EXACT(golden.tensor("finite").to(DType::Bool),
                                      golden.tensor("to_bool"));
    }

    void copyBroadcastsAndConverts() {
        Tensor dst = Tensor::zeros({2, 3}, DType::Float64);
        dst.copy_(Tensor::from_int64({1, 2, 3}, {3}));
        QCOMPARE(dst.to_vector(), (std::vector<double>{1, 2, 3, 1, 2, 3}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dst.copy_(Tensor::zeros({4})));
    }

    void dtypeNames() {
        QCOMPARE(dtype_from_name("long"), DType::Int64);
        QCOMPARE(dtype_from_name("half"), DType::Float16);
        QCOMPARE(std::string(dtype_name(DType::BFloat16)), std::string("bfloat16"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dtype_from_name("complex64"));
    }
};

QTEST_GUILESS_MAIN(TestTensor)
#include "tst_tensor.moc"
