// kernels::gemm on raw buffers, in particular its AVX-512 kernels (gemm_avx512.h) and their
// AVX2 + FMA counterparts (gemm_avx2.h): every layout they take (row-major b with any a;
// column-major b with row-major a), odd sizes around the tile edges (8x32, 4x24, 6x16, 12x8,
// 4x4 and 4x3 tiles; 16-, 8- and 4-lane vectors), leading dimensions larger than the width,
// alpha and beta, float and double, against a plain triple loop in double and against Eigen.
// Every path gives the same bytes at 1 to 4 threads. Float64 finite differences of linear, mm
// and conv2d shapes that route to these kernels (through the AVX2 kernels when ctest runs this
// file again as tst_gemm_avx2, with NNSCOPE_NO_AVX512=1).

#include "engine/ops/conv.h"
#include "engine/ops/kernels/gemm.h"
#include "engine/ops/kernels/gemm_avx2.h"
#include "engine/ops/kernels/gemm_avx512.h"
#include "engine/ops/kernels/gemm_split.h"
#include "engine/ops/linalg.h"
#include "engine/parallel.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace nnscope;
using kernels::MatRef;

namespace {

// A matrix stored row- or column-major with `pad` spare elements per line, filled with
// values in [-1, 1).
template <class T> struct Stored {
    std::vector<T> data;
    MatRef<T> ref;
    Stored(std::int64_t rows, std::int64_t cols, bool col_major, std::int64_t pad, unsigned seed) {
        const std::int64_t lines = col_major ? cols : rows, width = col_major ? rows : cols;
        const std::int64_t ld = width + pad;
        data.resize(static_cast<std::size_t>(std::max<std::int64_t>(lines * ld, 1)));
        std::mt19937 gen(seed);
        std::uniform_real_distribution<double> dist(-1.0, 1.0);
        for (T& x : data)
            x = static_cast<T>(dist(gen));
        ref = col_major ? MatRef<T>{data.data(), rows, cols, 1, ld}
                        : MatRef<T>{data.data(), rows, cols, ld, 1};
    }
    T at(std::int64_t i, std::int64_t j) const {
        return ref.data[i * ref.row_stride + j * ref.col_stride];
    }
};

// Runs c = beta·c + alpha·a·b with `product` and checks every entry against a double triple
// loop, within a bound scaled by the magnitudes summed, and that c's padding is untouched.
template <class T, class Product>
void check_product(std::int64_t m, std::int64_t n, std::int64_t k, bool a_col, bool b_col,
                   double alpha, double beta, Product product) {
    const Stored<T> a(m, k, a_col, 3, 1), b(k, n, b_col, 5, 2);
    const std::int64_t ldc = n + 2;
    std::vector<T> c(static_cast<std::size_t>(m * ldc));
    std::mt19937 gen(3);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (T& x : c)
        x = static_cast<T>(dist(gen));
    if (beta == 0.0)
        for (std::int64_t i = 0; i < m; ++i)
            for (std::int64_t j = 0; j < n; ++j)
                c[static_cast<std::size_t>(i * ldc + j)] = std::numeric_limits<T>::quiet_NaN();
    const std::vector<T> before = c;
    product(a.ref, b.ref, c.data(), ldc, static_cast<T>(alpha), static_cast<T>(beta));
    const double unit = std::is_same_v<T, float> ? 1e-6 : 1e-14;
    for (std::int64_t i = 0; i < m; ++i) {
        for (std::int64_t j = 0; j < ldc; ++j) {
            const auto idx = static_cast<std::size_t>(i * ldc + j);
            if (j >= n) {
                QCOMPARE(c[idx], before[idx]);
                continue;
            }
            double sum = 0, magnitude = 0;
            for (std::int64_t p = 0; p < k; ++p) {
                sum += double(a.at(i, p)) * double(b.at(p, j));
                magnitude += std::abs(double(a.at(i, p)) * double(b.at(p, j)));
            }
            const double old = beta == 0.0 ? 0.0 : double(before[idx]);
            const double want = beta * old + alpha * sum;
            const double bound =
                unit * (8 + 4 * std::abs(alpha) * magnitude + 4 * std::abs(beta * old));
            if (!(std::abs(double(c[idx]) - want) <= bound))
                QFAIL(qPrintable(QString("m=%1 n=%2 k=%3 a_col=%4 b_col=%5 alpha=%6 beta=%7: "
                                         "c(%8, %9) = %10, want %11")
                                     .arg(m)
                                     .arg(n)
                                     .arg(k)
                                     .arg(a_col)
                                     .arg(b_col)
                                     .arg(alpha)
                                     .arg(beta)
                                     .arg(i)
                                     .arg(j)
                                     .arg(double(c[idx]), 0, 'g', 17)
                                     .arg(want, 0, 'g', 17)));
        }
    }
}

const std::int64_t sizes[] = {1, 3, 4, 5, 8, 9, 16, 17, 32, 33, 65};

template <class T, class Product> void sweep(Product product) {
    for (const bool a_col : {false, true})
        for (const bool b_col : {false, true})
            for (const std::int64_t m : sizes)
                for (const std::int64_t n : {1, 4, 15, 16, 17, 31, 32, 33, 48, 70})
                    for (const std::int64_t k : {1, 7, 16, 17, 40}) {
                        check_product<T>(m, n, k, a_col, b_col, 1.0, 0.0, product);
                        if (m % 4 == 1) {
                            check_product<T>(m, n, k, a_col, b_col, 1.0, 1.0, product);
                            check_product<T>(m, n, k, a_col, b_col, -0.5, 2.0, product);
                        }
                    }
}

template <class T>
void gemm_fn(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    kernels::gemm(a, b, c, ldc, alpha, beta);
}

template <class T>
void eigen_fn(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    kernels::gemm_eigen(a, b, c, ldc, alpha, beta);
}

template <class T>
void avx512_fn(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    if (!kernels::gemm_avx512(a, b, c, ldc, alpha, beta))
        kernels::gemm_eigen(a, b, c, ldc, alpha, beta);
}

template <class T>
void avx2_fn(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    if (!kernels::gemm_avx2(a, b, c, ldc, alpha, beta))
        kernels::gemm_eigen(a, b, c, ldc, alpha, beta);
}

// The three paths, each with the reason it may be missing (nullptr: it runs here).
template <class T> struct Path {
    const char* name;
    void (*product)(const MatRef<T>&, const MatRef<T>&, T*, std::int64_t, T, T);
    const char* missing;
};

template <class T> std::vector<Path<T>> paths() {
    return {{"eigen", eigen_fn<T>, nullptr},
            {"avx2", avx2_fn<T>,
             kernels::avx2_available() ? nullptr : "no AVX2 + FMA (or NNSCOPE_NO_AVX2 is set)"},
            {"avx512", avx512_fn<T>,
             kernels::avx512_available() ? nullptr : "no AVX-512F (or NNSCOPE_NO_AVX512 is set)"}};
}

// Restores the engine's thread setting when a test ends, passed or not.
struct ThreadSetting {
    int saved = parallel::configured_threads();
    ~ThreadSetting() { parallel::set_num_threads(saved); }
};

// c = beta·c + alpha·a·b computed by `product` at 1, 2, 3 and 4 threads: the bytes must not
// change. Sizes above split_gemm's threshold, odd, spanning many tiles.
template <class T, class Product>
void check_thread_invariance(const char* path, std::int64_t m, std::int64_t n, std::int64_t k,
                             bool a_col, bool b_col, Product product) {
    const Stored<T> a(m, k, a_col, 3, 11), b(k, n, b_col, 1, 12);
    QVERIFY(m * n * k >= kernels::gemm_parallel_min_macs);
    const std::int64_t ldc = n + 1;
    const Stored<T> start(m, n, false, 1, 13);
    std::vector<T> first[2]; // per beta, at 1 thread
    for (const int threads : {1, 2, 3, 4}) {
        parallel::set_num_threads(threads);
        for (const int which : {0, 1}) {
            std::vector<T> c = start.data;
            product(a.ref, b.ref, c.data(), ldc, T(1.5), which == 0 ? T(0) : T(0.5));
            if (threads == 1) {
                first[which] = c;
                continue;
            }
            if (std::memcmp(c.data(), first[which].data(), sizeof(T) * c.size()) != 0)
                QFAIL(qPrintable(QString("%1 %2x%3x%4 a_col=%5 b_col=%6 beta=%7: %8 threads "
                                         "differ from 1")
                                     .arg(path)
                                     .arg(m)
                                     .arg(n)
                                     .arg(k)
                                     .arg(a_col)
                                     .arg(b_col)
                                     .arg(which == 0 ? 0.0 : 0.5)
                                     .arg(threads)));
        }
    }
}

// The matrices the sweep covers, as bytes: a's and b's layouts and sizes.
template <class T, class Product> void compare_bytes(Product first, Product second) {
    for (const bool a_col : {false, true})
        for (const std::int64_t m : {1, 5, 13, 31})
            for (const std::int64_t n : {1, 7, 24, 33, 70})
                for (const std::int64_t k : {1, 9, 40})
                    for (const double beta : {0.0, 1.0, -0.75}) {
                        const Stored<T> a(m, k, a_col, 2, 21), b(k, n, false, 3, 22);
                        const Stored<T> start(m, n, false, 2, 23);
                        std::vector<T> c1 = start.data, c2 = start.data;
                        first(a.ref, b.ref, c1.data(), n + 2, T(0.5), T(beta));
                        second(a.ref, b.ref, c2.data(), n + 2, T(0.5), T(beta));
                        QVERIFY2(std::memcmp(c1.data(), c2.data(), sizeof(T) * c1.size()) == 0,
                                 qPrintable(QString("m=%1 n=%2 k=%3 a_col=%4 beta=%5")
                                                .arg(m)
                                                .arg(n)
                                                .arg(k)
                                                .arg(a_col)
                                                .arg(beta)));
                    }
}

bool env_set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value && *value != '0';
}

} // namespace

class TestGemm : public QObject {
    Q_OBJECT

private slots:
    void gemm_matches_triple_loop() {
        sweep<float>(gemm_fn<float>);
        sweep<double>(gemm_fn<double>);
    }

    void eigen_matches_triple_loop() {
        sweep<float>(eigen_fn<float>);
        sweep<double>(eigen_fn<double>);
    }

    // The layouts the AVX-512 kernels claim, and the one they leave to Eigen.
    void avx512_layouts() {
        if (!kernels::avx512_available())
            QSKIP("this CPU has no AVX-512F (or NNSCOPE_NO_AVX512 / _NO_AVX2 is set)");
        const Stored<float> row(6, 6, false, 0, 1), col(6, 6, true, 0, 2);
        std::vector<float> c(36);
        QVERIFY(kernels::gemm_avx512(row.ref, row.ref, c.data(), 6, 1.0f, 0.0f));
        QVERIFY(kernels::gemm_avx512(col.ref, row.ref, c.data(), 6, 1.0f, 0.0f));
        QVERIFY(kernels::gemm_avx512(row.ref, col.ref, c.data(), 6, 1.0f, 0.0f));
        QVERIFY(!kernels::gemm_avx512(col.ref, col.ref, c.data(), 6, 1.0f, 0.0f));
        const MatRef<float> strided{row.data.data(), 3, 3, 12, 2};
        QVERIFY(!kernels::gemm_avx512(row.ref, strided, c.data(), 6, 1.0f, 0.0f));
        sweep<float>(avx512_fn<float>);
        sweep<double>(avx512_fn<double>);
    }

    // The layouts the AVX2 kernels claim (the same as AVX-512's), and the ones they leave.
    void avx2_layouts() {
        if (!kernels::avx2_available()) QSKIP("this CPU has no AVX2 + FMA (or NNSCOPE_NO_AVX2)");
        const Stored<float> row(6, 6, false, 0, 1), col(6, 6, true, 0, 2);
        std::vector<float> c(36);
        QVERIFY(kernels::gemm_avx2(row.ref, row.ref, c.data(), 6, 1.0f, 0.0f));
        QVERIFY(kernels::gemm_avx2(col.ref, row.ref, c.data(), 6, 1.0f, 0.0f));
        QVERIFY(kernels::gemm_avx2(row.ref, col.ref, c.data(), 6, 1.0f, 0.0f));
        QVERIFY(!kernels::gemm_avx2(col.ref, col.ref, c.data(), 6, 1.0f, 0.0f));
        const MatRef<float> strided{row.data.data(), 3, 3, 12, 2};
        QVERIFY(!kernels::gemm_avx2(row.ref, strided, c.data(), 6, 1.0f, 0.0f));
        sweep<float>(avx2_fn<float>);
        sweep<double>(avx2_fn<double>);
    }

    // Strips of every width the AVX2 broadcast kernel cuts (3, 2 and 1 vectors, full and
    // masked) over row counts around its 4-, 6- and 12-row tiles, with a strided a.
    void avx2_tile_edges() {
        if (!kernels::avx2_available()) QSKIP("this CPU has no AVX2 + FMA (or NNSCOPE_NO_AVX2)");
        for (const std::int64_t m : {2, 4, 6, 7, 11, 12, 13, 25})
            for (const std::int64_t n : {3, 8, 12, 13, 20, 23, 24, 25, 41, 47, 48, 49}) {
                check_product<float>(m, n, 5, false, false, 1.0, 0.0, avx2_fn<float>);
                check_product<float>(m, n, 6, true, false, 2.0, -1.0, avx2_fn<float>);
                check_product<double>(m, n, 5, true, false, 1.0, 0.0, avx2_fn<double>);
                check_product<double>(m, n, 3, false, false, -1.0, 0.5, avx2_fn<double>);
            }
        // The dot kernel's 4x3 tiles, k around its 8- and 4-lane vectors.
        for (const std::int64_t m : {1, 3, 4, 5, 9})
            for (const std::int64_t n : {1, 2, 3, 4, 7, 13})
                for (const std::int64_t k : {3, 4, 8, 9, 15, 24}) {
                    check_product<float>(m, n, k, false, true, 1.0, 0.0, avx2_fn<float>);
                    check_product<double>(m, n, k, false, true, -2.0, 1.0, avx2_fn<double>);
                }
    }

    // A row-major b gives the same bytes through the AVX2 and the AVX-512 kernels: each
    // element is one chain of FMAs over k in order, whatever the vector width.
    void broadcast_kernels_agree_across_widths() {
        if (!kernels::avx512_available()) QSKIP("this CPU has no AVX-512F (or it is turned off)");
        if (!kernels::avx2_available()) QSKIP("this CPU has no AVX2 + FMA (or NNSCOPE_NO_AVX2)");
        compare_bytes<float>(avx2_fn<float>, avx512_fn<float>);
        compare_bytes<double>(avx2_fn<double>, avx512_fn<double>);
    }

    // Every path gives the same bytes at 1, 2, 3 and 4 threads, over cuts along columns (wide
    // c) and along rows (tall c), for each kernel family and Eigen.
    void paths_thread_invariant() {
        const ThreadSetting restore;
        int ran = 0;
        for (const auto& path : paths<float>()) {
            if (path.missing) {
                qInfo("skipped %s: %s", path.name, path.missing);
                continue;
            }
            ++ran;
            for (const bool a_col : {false, true}) {
                check_thread_invariance<float>(path.name, 100, 203, 37, a_col, false, path.product);
                check_thread_invariance<float>(path.name, 301, 40, 50, a_col, false, path.product);
            }
            check_thread_invariance<float>(path.name, 67, 131, 71, false, true, path.product);
            check_thread_invariance<float>(path.name, 400, 13, 61, false, true, path.product);
        }
        for (const auto& path : paths<double>()) {
            if (path.missing) continue;
            check_thread_invariance<double>(path.name, 97, 101, 33, true, false, path.product);
            check_thread_invariance<double>(path.name, 53, 77, 83, false, true, path.product);
        }
        QVERIFY(ran >= 1);
    }

    // The path gemm() takes follows the CPU and the environment (kernels/gemm.h).
    void dispatch_follows_environment() {
        const QString path = kernels::gemm_path();
        qInfo("gemm path: %s", kernels::gemm_path());
        __builtin_cpu_init();
        const bool cpu_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        const bool cpu_avx512 = __builtin_cpu_supports("avx512f");
        const bool no_avx2 = env_set("NNSCOPE_NO_AVX2"), no_avx512 = env_set("NNSCOPE_NO_AVX512");
        QCOMPARE(kernels::avx2_available(), cpu_avx2 && !no_avx2);
        QCOMPARE(kernels::avx512_available(), cpu_avx512 && !no_avx2 && !no_avx512);
        const char* want = kernels::avx512_available() ? "avx512"
                           : kernels::avx2_available() ? "avx2"
                                                       : "eigen";
        QCOMPARE(path, QString(want));
        QCOMPARE(kernels::fast_gemm_available(), path != "eigen");
    }

    // The mlp's and cnn's own shapes, a little larger than the sweep's, on every path.
    void model_shapes() {
        for (const auto& path : paths<float>()) {
            if (path.missing) continue;
            const auto product = path.product;
            check_product<float>(64, 512, 784, false, true, 1.0, 1.0, product);
            check_product<float>(512, 784, 64, true, false, 1.0, 1.0, product);
            check_product<float>(64, 784, 512, false, false, 1.0, 0.0, product);
            check_product<float>(32, 196, 144, false, false, 1.0, 1.0, product);
            check_product<float>(32, 144, 196, false, true, 1.0, 1.0, product);
            check_product<float>(144, 196, 32, true, false, 1.0, 0.0, product);
            check_product<float>(144, 32, 196, false, false, 1.0, 1.0, product);
            check_product<float>(64, 10, 1568, false, true, 1.0, 0.0, product);
        }
    }

    // NaN and infinity in an operand reach exactly the entries that use them, on every path.
    void non_finite_operands() {
        for (const auto& path : paths<float>())
            for (const bool b_col : {false, true}) {
                if (path.missing) continue;
                Stored<float> a(9, 20, false, 0, 1), b(20, 35, b_col, 0, 2);
                a.data[static_cast<std::size_t>(4 * 20 + 7)] =
                    std::numeric_limits<float>::quiet_NaN();
                b.data[static_cast<std::size_t>(b_col ? 33 * 20 + 2 : 2 * 35 + 33)] =
                    std::numeric_limits<float>::infinity();
                std::vector<float> c(9 * 35, 0.0f);
                path.product(a.ref, b.ref, c.data(), 35, 1.0f, 0.0f);
                for (int i = 0; i < 9; ++i)
                    for (int j = 0; j < 35; ++j) {
                        const float x = c[static_cast<std::size_t>(i * 35 + j)];
                        if (i == 4)
                            QVERIFY(std::isnan(x));
                        else if (j == 33)
                            QVERIFY(std::isinf(x));
                        else
                            QVERIFY(std::isfinite(x));
                    }
            }
    }

    // Float64 finite differences through shapes that take each kernel: linear's forward (x·Wᵀ,
    // the dot kernel) and backward (row-major and transposed operands), mm, and a conv2d whose
    // im2col GEMMs have odd sizes.
    void gradcheck_linear_odd() {
        const Tensor x = test::random_double({5, 37}, 1);
        const Tensor w = test::random_double({19, 37}, 2);
        const Tensor bias = test::random_double({19}, 3);
        NNSCOPE_GRADCHECK([](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); },
                          (std::vector<Tensor>{x, w, bias}));
    }

    void gradcheck_mm_odd() {
        const Tensor a = test::random_double({9, 17}, 4);
        const Tensor b = test::random_double({17, 33}, 5);
        NNSCOPE_GRADCHECK([](const std::vector<Tensor>& in) { return mm(in[0], in[1]); },
                          (std::vector<Tensor>{a, b}));
        NNSCOPE_GRADCHECK(
            [](const std::vector<Tensor>& in) { return mm(in[0].transpose(0, 1), in[1]); },
            (std::vector<Tensor>{test::random_double({17, 9}, 6), b}));
    }

    void gradcheck_conv_odd() {
        const Tensor x = test::random_double({2, 3, 7, 6}, 7);
        const Tensor w = test::random_double({5, 3, 3, 2}, 8);
        const Tensor bias = test::random_double({5}, 9);
        NNSCOPE_GRADCHECK(
            [](const std::vector<Tensor>& in) {
                return conv2d(in[0], in[1], in[2], {1, 1}, {1, 0}, {1, 1}, 1);
            },
            (std::vector<Tensor>{x, w, bias}));
        NNSCOPE_GRADCHECK(
            [](const std::vector<Tensor>& in) {
                return conv2d(in[0], in[1], Tensor(), {2, 1}, {1, 2}, {1, 2}, 1);
            },
            (std::vector<Tensor>{x, w}));
    }
};

QTEST_GUILESS_MAIN(TestGemm)
#include "tst_gemm.moc"
