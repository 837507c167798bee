// The fast paths under conv2d and max_pool2d, against sums written out from the definitions:
// conv2d's im2col + GEMM path (whose weight gradient is summed transposed when the AVX-512
// GEMM kernels run) over odd sizes, strides, padding, dilation and groups, forward and all three
// gradients; the one-pass backward of tiling 2x2/2 max pooling (AVX2 for float32) over every
// row width 1..20, with ties and NaN, against the winner-takes-the-gradient rule.

#include "engine/ops/conv.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace nnscope;

namespace {

std::vector<double> random_values(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> v(n);
    for (double& x : v)
        x = dist(gen);
    return v;
}

std::vector<double> values_of(const Tensor& t) {
    const Tensor d = t.to(DType::Float64).contiguous();
    const double* p = d.data_ptr<double>();
    return {p, p + d.numel()};
}

struct Geometry {
    std::int64_t batch, cin, cout, groups, h, w, kh, kw;
    Pair stride, padding, dilation;
};

// Checks `got` against `want` within a bound scaled by the summed magnitudes `scale`.
void compare(const char* what, const std::vector<double>& got, const std::vector<double>& want,
             const std::vector<double>& scale) {
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!(std::abs(got[i] - want[i]) <= 1e-5 + 1e-5 * scale[i]))
            QFAIL(qPrintable(
                QString("%1[%2] = %3, want %4").arg(what).arg(i).arg(got[i]).arg(want[i])));
}

void check_conv(const Geometry& g) {
    const std::int64_t gin = g.cin / g.groups, gout = g.cout / g.groups;
    const std::int64_t oh =
        (g.h + 2 * g.padding[0] - g.dilation[0] * (g.kh - 1) - 1) / g.stride[0] + 1;
    const std::int64_t ow =
        (g.w + 2 * g.padding[1] - g.dilation[1] * (g.kw - 1) - 1) / g.stride[1] + 1;
    const Shape xs{g.batch, g.cin, g.h, g.w}, ws{g.cout, gin, g.kh, g.kw},
        os{g.batch, g.cout, oh, ow};
    const auto xv = random_values(static_cast<std::size_t>(shape_numel(xs)), 1);
    const auto wv = random_values(static_cast<std::size_t>(shape_numel(ws)), 2);
    const auto bv = random_values(static_cast<std::size_t>(g.cout), 3);
    const auto gv = random_values(static_cast<std::size_t>(shape_numel(os)), 4);
    Tensor x = Tensor::from_vector(xv, xs, DType::Float32).requires_grad_(true);
    Tensor w = Tensor::from_vector(wv, ws, DType::Float32).requires_grad_(true);
    Tensor b = Tensor::from_vector(bv, {g.cout}, DType::Float32).requires_grad_(true);
    const Tensor out = conv2d(x, w, b, g.stride, g.padding, g.dilation, g.groups);
    QCOMPARE(out.shape(), os);
    out.backward(Tensor::from_vector(gv, os, DType::Float32));

    // The definition, in double, from the float32-rounded inputs.
    const auto xf = values_of(x), wf = values_of(w), bf = values_of(b),
               gf = values_of(Tensor::from_vector(gv, os, DType::Float32));
    std::vector<double> want_out(gf.size()), out_scale(gf.size());
    std::vector<double> want_gx(xf.size(), 0.0), gx_scale(xf.size(), 0.0);
    std::vector<double> want_gw(wf.size(), 0.0), gw_scale(wf.size(), 0.0);
    std::vector<double> want_gb(bf.size(), 0.0), gb_scale(bf.size(), 0.0);
    for (std::int64_t n = 0; n < g.batch; ++n)
        for (std::int64_t co = 0; co < g.cout; ++co)
            for (std::int64_t i = 0; i < oh; ++i)
                for (std::int64_t j = 0; j < ow; ++j) {
                    const auto o = static_cast<std::size_t>(((n * g.cout + co) * oh + i) * ow + j);
                    double sum = bf[static_cast<std::size_t>(co)], mag = std::abs(sum);
                    const double go = gf[o];
                    want_gb[static_cast<std::size_t>(co)] += go;
                    gb_scale[static_cast<std::size_t>(co)] += std::abs(go);
                    for (std::int64_t ci = 0; ci < gin; ++ci)
                        for (std::int64_t a = 0; a < g.kh; ++a)
                            for (std::int64_t c = 0; c < g.kw; ++c) {
                                const std::int64_t ih =
                                    i * g.stride[0] - g.padding[0] + a * g.dilation[0];
                                const std::int64_t iw =
                                    j * g.stride[1] - g.padding[1] + c * g.dilation[1];
                                if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
                                const std::int64_t channel = co / gout * gin + ci;
                                const auto xi = static_cast<std::size_t>(
                                    ((n * g.cin + channel) * g.h + ih) * g.w + iw);
                                const auto wi = static_cast<std::size_t>(
                                    ((co * gin + ci) * g.kh + a) * g.kw + c);
                                sum += xf[xi] * wf[wi];
                                mag += std::abs(xf[xi] * wf[wi]);
                                want_gx[xi] += go * wf[wi];
                                gx_scale[xi] += std::abs(go * wf[wi]);
                                want_gw[wi] += go * xf[xi];
                                gw_scale[wi] += std::abs(go * xf[xi]);
                            }
                    want_out[o] = sum;
                    out_scale[o] = mag;
                }
    compare("out", values_of(out), want_out, out_scale);
    compare("grad x", values_of(x.grad()), want_gx, gx_scale);
    compare("grad weight", values_of(w.grad()), want_gw, gw_scale);
    compare("grad bias", values_of(b.grad()), want_gb, gb_scale);
}

} // namespace

class TestConvKernels : public QObject {
    Q_OBJECT

private slots:
    void conv_matches_definition_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < 9; ++i)
            QTest::newRow(QByteArray::number(i).constData()) << i;
    }
    void conv_matches_definition() {
        QFETCH(int, index);
        const Geometry cases[] = {
            // the benchmark cnn's second layer, 3 items
            {3, 16, 32, 1, 14, 14, 3, 3, {1, 1}, {1, 1}, {1, 1}},
            {2, 3, 5, 1, 7, 6, 3, 2, {1, 1}, {1, 0}, {1, 1}},
            {2, 4, 6, 2, 9, 11, 3, 3, {2, 1}, {1, 2}, {1, 1}},
            {1, 5, 7, 1, 10, 9, 2, 3, {1, 2}, {0, 1}, {2, 1}},
            {2, 6, 9, 3, 8, 8, 3, 3, {1, 1}, {2, 2}, {2, 2}},
            {5, 2, 3, 1, 5, 5, 1, 1, {1, 1}, {0, 0}, {1, 1}},
            {2, 2, 4, 1, 6, 7, 1, 1, {2, 2}, {1, 0}, {1, 1}},
            {1, 1, 37, 1, 13, 5, 3, 3, {1, 1}, {1, 1}, {1, 1}},
            {2, 8, 40, 4, 6, 6, 5, 5, {1, 1}, {2, 2}, {1, 1}},
        };
        check_conv(cases[index]);
    }

    // Float64 finite differences through the transposed weight-gradient path.
    void conv_gradcheck_groups() {
        const Tensor x = test::random_double({2, 4, 5, 6}, 21);
        const Tensor w = test::random_double({6, 2, 3, 2}, 22);
        const Tensor b = test::random_double({6}, 23);
        NNSCOPE_GRADCHECK(
            [](const std::vector<Tensor>& in) {
                return conv2d(in[0], in[1], in[2], {1, 2}, {1, 1}, {1, 1}, 2);
            },
            (std::vector<Tensor>{x, w, b}));
    }

    void max_pool_2x2_backward_data() {
        QTest::addColumn<int>("dtype");
        QTest::newRow("float32") << int(DType::Float32);
        QTest::newRow("float64") << int(DType::Float64);
    }
    void max_pool_2x2_backward() {
        QFETCH(int, dtype);
        for (std::int64_t ow = 1; ow <= 20; ++ow) {
            const std::int64_t oh = 3, planes = 5, h = 2 * oh, w = 2 * ow;
            // Few distinct values (ties) and some NaN.
            std::mt19937 gen(static_cast<unsigned>(ow));
            std::vector<double> xv(static_cast<std::size_t>(planes * h * w));
            for (double& v : xv)
                v = gen() % 23 == 0 ? std::numeric_limits<double>::quiet_NaN()
                                    : static_cast<double>(gen() % 4);
            const auto gv = random_values(static_cast<std::size_t>(planes * oh * ow), 5);
            Tensor x =
                Tensor::from_vector(xv, {1, planes, h, w}, DType(dtype)).requires_grad_(true);
            max_pool2d(x, {2, 2}, {2, 2})
                .backward(Tensor::from_vector(gv, {1, planes, oh, ow}, DType(dtype)));
            std::vector<double> want(xv.size(), 0.0);
            for (std::int64_t p = 0; p < planes; ++p)
                for (std::int64_t i = 0; i < oh; ++i)
                    for (std::int64_t j = 0; j < ow; ++j) {
                        // PyTorch's rule: a later value wins when greater or NaN.
                        std::size_t best = static_cast<std::size_t>((p * h + 2 * i) * w + 2 * j);
                        for (const std::int64_t d : {std::int64_t(1), w, w + 1}) {
                            const std::size_t at =
                                static_cast<std::size_t>((p * h + 2 * i) * w + 2 * j + d);
                            if (xv[at] > xv[best] || std::isnan(xv[at])) best = at;
                        }
                        want[best] = values_of(Tensor::from_vector(
                            {gv[static_cast<std::size_t>((p * oh + i) * ow + j)]}, {1},
                            DType(dtype)))[0];
                    }
            const auto got = values_of(x.grad());
            for (std::size_t i = 0; i < want.size(); ++i)
                if (got[i] != want[i])
                    QFAIL(qPrintable(QString("ow=%1: grad[%2] = %3, want %4")
                                         .arg(ow)
                                         .arg(i)
                                         .arg(got[i])
                                         .arg(want[i])));
        }
    }
};

QTEST_GUILESS_MAIN(TestConvKernels)
#include "tst_conv_kernels.moc"
