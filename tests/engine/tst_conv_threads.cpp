// conv2d over the engine's threads: the output and the input, weight and bias gradients are the
// same bytes with 1, 2, 3 and 4 threads, on every path (im2col chunks of one and of several
// items, 1x1, direct convolution with the AVX2 3x3 kernel and the portable one, groups, stride,
// padding, dilation, batch 1 whose GEMMs split instead), float32 and float64. The shapes are
// large enough to be spread over threads and to cut the weight gradient into several reduction
// groups; that those groups add up to the right sum is checked against item-by-item gradients.

#include "engine/ops/conv.h"
#include "engine/ops/elementwise.h"
#include "engine/parallel.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cstring>
#include <vector>

using namespace nnscope;

namespace {

struct Case {
    const char* name;
    std::int64_t batch, cin, cout, groups, h, w, kh, kw;
    Pair stride, padding, dilation;
    bool bias;
};

const Case cases[] = {
    // The benchmark cnn's second layer: im2col, one item per chunk.
    {"cnn_conv2", 37, 16, 32, 1, 14, 14, 3, 3, {1, 1}, {1, 1}, {1, 1}, true},
    // The first layer: direct 3x3 (AVX2 for float32), odd sizes.
    {"cnn_conv1_odd", 37, 1, 16, 1, 27, 29, 3, 3, {1, 1}, {1, 1}, {1, 1}, true},
    // Direct, portable path: 5x3 kernel, row stride, column dilation.
    {"direct_5x3", 37, 1, 6, 1, 23, 21, 5, 3, {2, 1}, {2, 1}, {1, 2}, false},
    // Depthwise-like: one input channel per group, two outputs each, stride 2.
    {"direct_groups", 37, 8, 16, 8, 31, 33, 3, 3, {2, 2}, {1, 1}, {1, 1}, true},
    // Several items per chunk (small planes), the last chunk partial.
    {"chunks_of_items", 37, 4, 16, 1, 8, 8, 3, 3, {1, 1}, {1, 1}, {1, 1}, true},
    // im2col with groups, stride, padding and dilation.
    {"groups_strided", 37, 12, 14, 2, 19, 17, 3, 2, {2, 1}, {1, 0}, {1, 2}, true},
    // 1x1 without stride or padding: the input is its own column matrix.
    {"pointwise", 37, 24, 20, 1, 13, 15, 1, 1, {1, 1}, {0, 0}, {1, 1}, true},
    {"pointwise_groups", 37, 24, 20, 2, 13, 15, 1, 1, {1, 1}, {0, 0}, {1, 1}, false},
    // Batch 1: one chunk, so the GEMMs split over the threads instead of the items.
    {"batch1_im2col", 1, 16, 32, 1, 41, 43, 3, 3, {1, 1}, {1, 1}, {1, 1}, true},
    {"batch1_direct", 1, 1, 16, 1, 97, 95, 3, 3, {1, 1}, {1, 1}, {1, 1}, true},
};

struct Result {
    Tensor out, gx, gw, gb;
};

Result run(const Case& c, DType dtype, int threads) {
    const int saved = parallel::configured_threads();
    parallel::set_num_threads(threads);
    const Tensor x =
        test::random_double({c.batch, c.cin, c.h, c.w}, 1).to(dtype).requires_grad_(true);
    const Tensor w = test::random_double({c.cout, c.cin / c.groups, c.kh, c.kw}, 2, -0.3, 0.3)
                         .to(dtype)
                         .requires_grad_(true);
    const Tensor b =
        c.bias ? test::random_double({c.cout}, 3).to(dtype).requires_grad_(true) : Tensor();
    Result r;
    r.out = conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    r.out.backward(test::random_double(r.out.shape(), 4).to(dtype));
    r.gx = x.grad();
    r.gw = w.grad();
    if (c.bias) r.gb = b.grad();
    parallel::set_num_threads(saved);
    return r;
}

// Byte-for-byte equality, naming the first element that differs.
void compare_bytes(const char* what, const Tensor& got, const Tensor& want) {
    QVERIFY2(got.defined() && want.defined(), what);
    QCOMPARE(got.shape(), want.shape());
    QCOMPARE(got.dtype(), want.dtype());
    const Tensor a = got.contiguous(), b = want.contiguous();
    const std::size_t element = element_size(a.dtype());
    const auto* pa = static_cast<const unsigned char*>(a.raw_data());
    const auto* pb = static_cast<const unsigned char*>(b.raw_data());
    if (std::memcmp(pa, pb, element * static_cast<std::size_t>(a.numel())) == 0) return;
    const auto va = a.to_vector(), vb = b.to_vector();
    for (std::size_t i = 0; i < va.size(); ++i)
        if (std::memcmp(pa + i * element, pb + i * element, element) != 0)
            QFAIL(qPrintable(QString("%1[%2] = %3, with 1 thread %4")
                                 .arg(what)
                                 .arg(i)
                                 .arg(va[i], 0, 'g', 17)
                                 .arg(vb[i], 0, 'g', 17)));
}

} // namespace

class TestConvThreads : public QObject {
    Q_OBJECT

private slots:
    void same_bytes_for_any_thread_count_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("dtype");
        for (int i = 0; i < static_cast<int>(std::size(cases)); ++i) {
            QTest::addRow("%s/float32", cases[i].name) << i << static_cast<int>(DType::Float32);
            QTest::addRow("%s/float64", cases[i].name) << i << static_cast<int>(DType::Float64);
        }
    }
    void same_bytes_for_any_thread_count() {
        QFETCH(int, index);
        QFETCH(int, dtype);
        const Case& c = cases[index];
        const Result one = run(c, static_cast<DType>(dtype), 1);
        for (int threads : {2, 3, 4}) {
            const Result many = run(c, static_cast<DType>(dtype), threads);
            compare_bytes("out", many.out, one.out);
            compare_bytes("grad x", many.gx, one.gx);
            compare_bytes("grad w", many.gw, one.gw);
            if (c.bias) compare_bytes("grad b", many.gb, one.gb);
        }
    }

    // The reduction groups must add up to the whole sum: the weight and bias gradients of the
    // batch (float64, 3 threads) against the sums of each item's own gradients.
    void groups_sum_to_item_gradients_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < static_cast<int>(std::size(cases)); ++i)
            if (cases[i].batch > 1) QTest::addRow("%s", cases[i].name) << i;
    }
    void groups_sum_to_item_gradients() {
        QFETCH(int, index);
        const Case& c = cases[index];
        const Result all = run(c, DType::Float64, 3);
        Tensor gw_sum = Tensor::zeros(all.gw.shape(), DType::Float64);
        Tensor gb_sum = Tensor::zeros({c.cout}, DType::Float64);
        const Tensor gy = test::random_double(all.out.shape(), 4);
        const Tensor x = test::random_double({c.batch, c.cin, c.h, c.w}, 1);
        for (std::int64_t n = 0; n < c.batch; ++n) {
            const Tensor w =
                test::random_double({c.cout, c.cin / c.groups, c.kh, c.kw}, 2, -0.3, 0.3)
                    .requires_grad_(true);
            const Tensor b = test::random_double({c.cout}, 3).requires_grad_(true);
            const Tensor out = conv2d(x.narrow(0, n, 1), w, c.bias ? b : Tensor(), c.stride,
                                      c.padding, c.dilation, c.groups);
            out.backward(gy.narrow(0, n, 1).contiguous());
            gw_sum = add(gw_sum, w.grad());
            if (c.bias) gb_sum = add(gb_sum, b.grad());
        }
        NNSCOPE_COMPARE_TENSORS(all.gw, gw_sum, 1e-10, 1e-10);
        if (c.bias) NNSCOPE_COMPARE_TENSORS(all.gb, gb_sum, 1e-10, 1e-10);
    }
};

QTEST_APPLESS_MAIN(TestConvThreads)
#include "tst_conv_threads.moc"
