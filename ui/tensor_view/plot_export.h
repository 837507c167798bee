#pragma once
// Writing a plot to disk: PNG, PDF and CSV, each throwing std::runtime_error naming the file when
// the write fails, so the window can show the reason and tests can call the same code. Images
// carry a title (the tensor's name and shape) above the plot and can be written at any size;
// CSV files start with the same words as "# " comment lines.

#include "session/tensor_snapshot.h"

#include <QSize>
#include <QString>

class QCustomPlot;
class QWidget;

namespace nnscope::ui {

enum class ExportFormat { Png, Pdf, Csv };

struct ExportOptions {
    QString title; // lines above the plot; none when empty
    QSize size;    // of the whole image (PDF: in points); the plot's on-screen size when empty
};

void savePlotPng(QCustomPlot& plot, const QString& path, const ExportOptions& options = {});
void savePlotPdf(QCustomPlot& plot, const QString& path, const ExportOptions& options = {});
// For plain widgets (the kernel grid): the whole widget as it is painted, scaled to fit the size
// asked for (without smoothing, so small kernels stay crisp squares).
void saveWidgetPng(QWidget& widget, const QString& path, const ExportOptions& options = {});
void saveWidgetPdf(QWidget& widget, const QString& path, const ExportOptions& options = {});
// `text` as it is, after `comment` as "# " lines.
void saveText(const QString& text, const QString& path, const QString& comment = {});

// A matrix with its real indices after the comment lines: a header "row/col,<column indices>",
// then one line per row starting with its row index. Values of float32 and narrower dtypes
// (`as_float`) as the shortest text that reads back to the same float, the others as doubles.
// Written row by row: a 16 M element slice never exists as one string.
void saveSliceCsv(const session::Slice2D& slice, bool as_float, const QString& comment,
                  const QString& path);

// Shortest text that reads back to the same float / double ("nan", "inf", "-inf" for the rest).
QString csvNumber(float value);
QString csvNumber(double value);

} // namespace nnscope::ui
