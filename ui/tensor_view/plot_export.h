#pragma once
// Writing a plot to disk: PNG, PDF and CSV, each throwing std::runtime_error naming the file when
// the write fails, so the window can show the reason and tests can call the same code.

#include <QString>

class QCustomPlot;
class QWidget;

namespace nnscope::ui {

enum class ExportFormat { Png, Pdf, Csv };

void savePlotPng(QCustomPlot& plot, const QString& path);
void savePlotPdf(QCustomPlot& plot, const QString& path);
// For plain widgets (the kernel grid): the whole widget as it is painted.
void saveWidgetPng(QWidget& widget, const QString& path);
void saveWidgetPdf(QWidget& widget, const QString& path);
void saveText(const QString& text, const QString& path);

// Shortest text that reads back to the same float / double ("nan", "inf", "-inf" for the rest).
QString csvNumber(float value);
QString csvNumber(double value);

} // namespace nnscope::ui
