#pragma once
// Tensor snapshots written by hand from first principles (not by the worker) for the tensor view
// tests, and small readers of what the view exports.

#include "session/slice_job.h"
#include "session/tensor_snapshot.h"
#include "ui/tensor_view/heatmap_plot.h"

#include <QFile>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <cmath>
#include <cstdint>
#include <limits>
#include <qcustomplot.h>
#include <vector>

namespace nnscope::test {

using session::TensorSnapshot;

inline constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
inline constexpr float inf_f = std::numeric_limits<float>::infinity();

// A [3, 4] float32 parameter holding 0 .. 11 row-major: min 0, max 11, mean 5.5, unbiased std
// sqrt(143 / 11) = sqrt(13); histogram of 4 bins over [0, 11] counts 3, 3, 2, 4 is not needed, the
// view takes whatever counts it is given.
inline TensorSnapshot matrix3x4() {
    TensorSnapshot s;
    s.name = "fc.weight";
    s.shape = {3, 4};
    s.dtype = "float32";
    s.role = nnscope::io::TensorRole::Parameter;
    s.stats = {12, 12, 0, 0, 0, 0.0, 11.0, 5.5, std::sqrt(13.0)};
    s.histogram = {0.0, 4.0, {1, 2, 3, 4}};
    s.slice.rows = 3;
    s.slice.cols = 4;
    for (int i = 0; i < 12; ++i)
        s.slice.values.push_back(float(i));
    return s;
}

inline TensorSnapshot conv(std::int64_t out, std::int64_t in, std::int64_t k) {
    TensorSnapshot s;
    s.name = "conv1.weight";
    s.shape = {out, in, k, k};
    s.dtype = "float32";
    s.role = nnscope::io::TensorRole::Parameter;
    const std::int64_t n = out * in * k * k;
    s.stats = {n, n, 0, 0, 0, -1.0, 1.0, 0.0, 0.5};
    s.histogram = {-1.0, 1.0, {1, 1}};
    s.slice.leading = {0, 0};
    s.slice.rows = k;
    s.slice.cols = k;
    s.slice.values.assign(std::size_t(k * k), 0.5f);
    nnscope::session::KernelGrid grid{out, in, k, k, {}};
    for (std::int64_t i = 0; i < n; ++i)
        grid.values.push_back(float(i % 5) / 2.0f - 1.0f);
    s.kernels = grid;
    return s;
}

inline QString readAll(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
}

// The CSV without its "# " comment lines (what it says about the tensor is tested on its own).
inline QString readValues(const QString& path) {
    QStringList lines = readAll(path).split(QLatin1Char('\n'));
    lines.removeIf([](const QString& line) { return line.startsWith(QStringLiteral("# ")); });
    return lines.join(QLatin1Char('\n'));
}

// The pixel of plot() where the heatmap draws real tensor index (row, col).
inline QPointF pixelOf(const nnscope::ui::HeatmapPlot& h, double row, double col) {
    return {h.plot()->xAxis->coordToPixel(col), h.plot()->yAxis->coordToPixel(row)};
}

// fc.weight [1000, 512] holding its flat index (row * 512 + col), as the browser's overview sends
// it: every 4th row and 2nd column, 250 x 256 values.
inline TensorSnapshot fcOverview() {
    TensorSnapshot s;
    s.name = "fc.weight";
    s.shape = {1000, 512};
    s.dtype = "float32";
    s.role = nnscope::io::TensorRole::Parameter;
    s.stats = {512000, 512000, 0, 0, 1, 0.0, 511999.0, 255999.5, 147801.0};
    s.histogram = {0.0, 511999.0, {256000, 256000}};
    s.slice.full_rows = 1000;
    s.slice.full_cols = 512;
    s.slice.rows = 250;
    s.slice.cols = 256;
    s.slice.row_step = 4;
    s.slice.col_step = 2;
    s.slice.finite_min = 0;
    s.slice.finite_max = 511999;
    for (int r = 0; r < 1000; r += 4)
        for (int c = 0; c < 512; c += 2)
            s.slice.values.push_back(r * 512 + c);
    return s;
}

// The full-resolution answer for rows [row0, row0 + rows) x cols [col0, col0 + cols) of it.
inline nnscope::session::TensorSlice fcWindow(std::int64_t row0, std::int64_t col0,
                                              std::int64_t rows, std::int64_t cols, quint64 tag) {
    nnscope::session::TensorSlice answer{"fc.weight", {}, tag};
    auto& w = answer.slice;
    w.full_rows = 1000;
    w.full_cols = 512;
    w.row0 = row0;
    w.col0 = col0;
    w.rows = rows;
    w.cols = cols;
    for (std::int64_t r = row0; r < row0 + rows; ++r)
        for (std::int64_t c = col0; c < col0 + cols; ++c)
            w.values.push_back(double(r * 512 + c));
    return answer;
}

} // namespace nnscope::test
