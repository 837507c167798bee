#include "ui/tensor_view/plot_export.h"

#include <QFile>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <charconv>
#include <cmath>
#include <qcustomplot.h>
#include <stdexcept>

namespace nnscope::ui {

namespace {

[[noreturn]] void fail(const char* what, const QString& path, const QString& why = {}) {
    std::string message =
        std::string("cannot write ") + what + " file '" + path.toStdString() + "'";
    if (!why.isEmpty()) message += ": " + why.toStdString();
    throw std::runtime_error(message);
}

template <typename T> QString shortest(T value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, static_cast<int>(result.ptr - buffer));
}

} // namespace

QString csvNumber(float value) {
    return shortest(value);
}
QString csvNumber(double value) {
    return shortest(value);
}

void savePlotPng(QCustomPlot& plot, const QString& path) {
    // Scale 1: the file has the widget's size in device-independent pixels.
    if (!plot.savePng(path, 0, 0, 1.0)) fail("PNG", path);
}

void savePlotPdf(QCustomPlot& plot, const QString& path) {
    if (!plot.savePdf(path)) fail("PDF", path);
}

void saveWidgetPng(QWidget& widget, const QString& path) {
    const QPixmap pixmap = widget.grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) fail("PNG", path);
}

void saveWidgetPdf(QWidget& widget, const QString& path) {
    {
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly)) fail("PDF", path, probe.errorString());
    }
    QPdfWriter writer(path);
    writer.setResolution(96);
    writer.setPageSize(QPageSize(QSizeF(widget.width(), widget.height()), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter(&writer);
    if (!painter.isActive()) fail("PDF", path);
    // Fit the widget onto the page whatever the writer's resolution turns points into.
    const QRect page = painter.viewport();
    const double scale = std::min(double(page.width()) / std::max(1, widget.width()),
                                  double(page.height()) / std::max(1, widget.height()));
    painter.scale(scale, scale);
    widget.render(&painter);
}

void saveText(const QString& text, const QString& path) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) fail("CSV", path, file.errorString());
    file.write(text.toUtf8());
    if (!file.commit()) fail("CSV", path, file.errorString());
}

} // namespace nnscope::ui
