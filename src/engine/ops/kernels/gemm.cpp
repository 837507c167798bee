#include "engine/ops/kernels/gemm.h"

#include "engine/ops/kernels/gemm_avx2.h"
#include "engine/ops/kernels/gemm_avx512.h"

#include <Eigen/Core>
#include <vector>

namespace nnscope::kernels {

namespace {

template <class T, int Order>
using ConstMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>,
                            Eigen::Unaligned, Eigen::OuterStride<>>;
template <class T>
using OutMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>,
                          Eigen::Unaligned, Eigen::OuterStride<>>;

enum class Layout { RowMajor, ColMajor };

// Maps without copying when one stride is 1 and the other a valid leading dimension (a single
// row or column fits either way); otherwise packs into `scratch` as row-major. Sets the
// leading dimension in the stride the map uses as outer stride.
template <class T> Layout normalise(MatRef<T>& m, std::vector<T>& scratch) {
    if ((m.cols == 1 || m.col_stride == 1) && (m.rows == 1 || m.row_stride >= m.cols)) {
        if (m.rows == 1) m.row_stride = m.cols;
        return Layout::RowMajor;
    }
    if ((m.rows == 1 || m.row_stride == 1) && (m.cols == 1 || m.col_stride >= m.rows)) {
        if (m.cols == 1) m.col_stride = m.rows;
        return Layout::ColMajor;
    }
    scratch.resize(static_cast<std::size_t>(m.rows * m.cols));
    for (std::int64_t i = 0; i < m.rows; ++i)
        for (std::int64_t j = 0; j < m.cols; ++j)
            scratch[static_cast<std::size_t>(i * m.cols + j)] =
                m.data[i * m.row_stride + j * m.col_stride];
    m = {scratch.data(), m.rows, m.cols, m.cols, 1};
    return Layout::RowMajor;
}

template <class T, int Order> ConstMap<T, Order> map(const MatRef<T>& m) {
    return ConstMap<T, Order>(
        m.data, m.rows, m.cols,
        Eigen::OuterStride<>(Order == Eigen::RowMajor ? m.row_stride : m.col_stride));
}

template <class T, class A, class B>
void product(OutMap<T>& c, const A& a, const B& b, T alpha, T beta) {
    if (beta == T(0)) {
        if (alpha == T(1))
            c.noalias() = a * b;
        else
            c.noalias() = alpha * (a * b);
        return;
    }
    if (beta != T(1)) c *= beta;
    if (alpha == T(1))
        c.noalias() += a * b;
    else
        c.noalias() += alpha * (a * b);
}

} // namespace

template <class T>
void gemm(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    const std::int64_t m = a.rows, n = b.cols, k = a.cols;
    if (m == 0 || n == 0) return;
    if (k == 0) {
        // An empty sum: only the beta term remains.
        OutMap<T> out(c, m, n, Eigen::OuterStride<>(ldc));
        if (beta == T(0))
            out.setZero();
        else if (beta != T(1))
            out *= beta;
        return;
    }
    if (gemm_avx512(a, b, c, ldc, alpha, beta)) return;
    if (gemm_avx2(a, b, c, ldc, alpha, beta)) return;
    gemm_eigen(a, b, c, ldc, alpha, beta);
}

const char* gemm_path() {
    if (avx512_available()) return "avx512";
    if (avx2_available()) return "avx2";
    return "eigen";
}

bool fast_gemm_available() {
    return avx512_available() || avx2_available();
}

template <class T>
void gemm_eigen(const MatRef<T>& a_in, const MatRef<T>& b_in, T* c, std::int64_t ldc, T alpha,
                T beta) {
    const std::int64_t m = a_in.rows, n = b_in.cols, k = a_in.cols;
    if (m == 0 || n == 0) return;
    OutMap<T> out(c, m, n, Eigen::OuterStride<>(ldc));
    if (k == 0) {
        if (beta == T(0))
            out.setZero();
        else if (beta != T(1))
            out *= beta;
        return;
    }
    MatRef<T> a = a_in, b = b_in;
    std::vector<T> scratch_a, scratch_b;
    const Layout la = normalise(a, scratch_a);
    const Layout lb = normalise(b, scratch_b);
    if (la == Layout::RowMajor && lb == Layout::RowMajor)
        product(out, map<T, Eigen::RowMajor>(a), map<T, Eigen::RowMajor>(b), alpha, beta);
    else if (la == Layout::RowMajor)
        product(out, map<T, Eigen::RowMajor>(a), map<T, Eigen::ColMajor>(b), alpha, beta);
    else if (lb == Layout::RowMajor)
        product(out, map<T, Eigen::ColMajor>(a), map<T, Eigen::RowMajor>(b), alpha, beta);
    else
        product(out, map<T, Eigen::ColMajor>(a), map<T, Eigen::ColMajor>(b), alpha, beta);
}

template <class T>
void column_sums(const T* m, std::int64_t rows, std::int64_t cols, std::int64_t ld, T* out,
                 bool accumulate) {
    if (!accumulate)
        for (std::int64_t j = 0; j < cols; ++j)
            out[j] = T(0);
    // Row by row keeps the inner loop contiguous and vectorised.
    for (std::int64_t i = 0; i < rows; ++i) {
        const T* row = m + i * ld;
        for (std::int64_t j = 0; j < cols; ++j)
            out[j] += row[j];
    }
}

template void gemm<float>(const MatRef<float>&, const MatRef<float>&, float*, std::int64_t, float,
                          float);
template void gemm<double>(const MatRef<double>&, const MatRef<double>&, double*, std::int64_t,
                           double, double);
template void gemm_eigen<float>(const MatRef<float>&, const MatRef<float>&, float*, std::int64_t,
                                float, float);
template void gemm_eigen<double>(const MatRef<double>&, const MatRef<double>&, double*,
                                 std::int64_t, double, double);
template void column_sums<float>(const float*, std::int64_t, std::int64_t, std::int64_t, float*,
                                 bool);
template void column_sums<double>(const double*, std::int64_t, std::int64_t, std::int64_t, double*,
                                  bool);

} // namespace nnscope::kernels
