#include "ui/tensor_view/plot_export.h"

#include "io/atomic_file.h"

#include <QPainter>
#include <QPdfWriter>
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

// Every export goes through io::AtomicFile, so a failed or killed save leaves the old file.
// `write` writes the file whose name it is given (Qt's writers take a name) and says whether it
// could; its failure is reported under the real name.
template <typename Write> void atomically(const char* what, const QString& path, Write write) {
    if (!io::write_through_path(path.toStdString(), [&](const std::filesystem::path& temporary) {
            return write(QString::fromStdString(temporary.string()));
        }))
        fail(what, path);
}

template <typename T> QString shortest(T value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, static_cast<int>(result.ptr - buffer));
}

QSize sizeOr(const ExportOptions& options, QSize on_screen) {
    return options.size.isValid() && !options.size.isEmpty() ? options.size : on_screen;
}

// The title as a row above the plot while it is written, gone again afterwards.
class TitleRow {
public:
    TitleRow(QCustomPlot& plot, const QString& title)
        : plot_(plot) {
        if (title.isEmpty()) return;
        plot_.plotLayout()->insertRow(0);
        QFont font = plot_.font();
        font.setBold(true);
        element_ = new QCPTextElement(&plot_, title, font);
        element_->setTextColor(plot_.xAxis->labelColor());
        plot_.plotLayout()->addElement(0, 0, element_);
    }
    ~TitleRow() {
        if (!element_) return;
        plot_.plotLayout()->remove(element_);
        plot_.plotLayout()->simplify();
        plot_.replot(QCustomPlot::rpQueuedReplot);
    }
    TitleRow(const TitleRow&) = delete;
    TitleRow& operator=(const TitleRow&) = delete;

private:
    QCustomPlot& plot_;
    QCPTextElement* element_ = nullptr;
};

// The widget as painted, scaled to `size` below the title lines.
void paintWidget(QPainter& painter, QWidget& widget, const QString& title, QSize size) {
    painter.fillRect(QRect(QPoint(0, 0), size), widget.palette().color(QPalette::Window));
    int top = 0;
    if (!title.isEmpty()) {
        QFont font = widget.font();
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(widget.palette().color(QPalette::WindowText));
        const QRect bounds =
            painter.fontMetrics().boundingRect(QRect(0, 0, size.width() - 16, size.height()),
                                               Qt::AlignHCenter | Qt::TextWordWrap, title);
        painter.drawText(QRect(8, 6, size.width() - 16, bounds.height()),
                         Qt::AlignHCenter | Qt::TextWordWrap, title);
        top = bounds.height() + 12;
    }
    const QPixmap picture = widget.grab();
    const QSize room(size.width(), std::max(1, size.height() - top));
    const QPixmap fitted = picture.scaled(room, Qt::KeepAspectRatio, Qt::FastTransformation);
    painter.drawPixmap((size.width() - fitted.width()) / 2, top, fitted);
}

QString commentLines(const QString& comment) {
    if (comment.isEmpty()) return {};
    QString text;
    for (const QString& line : comment.split(QLatin1Char('\n')))
        text += QStringLiteral("# ") + line + QLatin1Char('\n');
    return text;
}

} // namespace

QString csvNumber(float value) {
    return shortest(value);
}
QString csvNumber(double value) {
    return shortest(value);
}

void savePlotPng(QCustomPlot& plot, const QString& path, const ExportOptions& options) {
    const QSize size = sizeOr(options, plot.size());
    const TitleRow title(plot, options.title);
    // Scale 1: the file has exactly the size asked for, in device-independent pixels.
    atomically("PNG", path, [&](const QString& temporary) {
        return plot.savePng(temporary, size.width(), size.height(), 1.0);
    });
}

void savePlotPdf(QCustomPlot& plot, const QString& path, const ExportOptions& options) {
    const QSize size = sizeOr(options, plot.size());
    const TitleRow title(plot, options.title);
    atomically("PDF", path, [&](const QString& temporary) {
        return plot.savePdf(temporary, size.width(), size.height());
    });
}

void saveWidgetPng(QWidget& widget, const QString& path, const ExportOptions& options) {
    const QSize size = sizeOr(options, widget.size());
    QImage image(size, QImage::Format_RGB32);
    {
        QPainter painter(&image);
        paintWidget(painter, widget, options.title, size);
    }
    atomically("PNG", path, [&](const QString& temporary) { return image.save(temporary, "PNG"); });
}

void saveWidgetPdf(QWidget& widget, const QString& path, const ExportOptions& options) {
    const QSize size = sizeOr(options, widget.size());
    atomically("PDF", path, [&](const QString& temporary) {
        QPdfWriter writer(temporary);
        writer.setResolution(96);
        writer.setPageSize(QPageSize(QSizeF(size.width(), size.height()), QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter(&writer);
        if (!painter.isActive()) return false;
        // Fit the picture onto the page whatever the writer's resolution turns points into.
        const QRect page = painter.viewport();
        const double scale = std::min(double(page.width()) / std::max(1, size.width()),
                                      double(page.height()) / std::max(1, size.height()));
        painter.scale(scale, scale);
        paintWidget(painter, widget, options.title, size);
        return painter.end(); // the file is complete once the painter ends
    });
}

void saveText(const QString& text, const QString& path, const QString& comment) {
    io::write_file_atomically(path.toStdString(), (commentLines(comment) + text).toStdString());
}

void saveSliceCsv(const session::Slice2D& slice, bool as_float, const QString& comment,
                  const QString& path) {
    io::AtomicFile file(path.toStdString());
    QString line = commentLines(comment) + QStringLiteral("row/col");
    for (std::int64_t c = 0; c < slice.cols; ++c)
        line += QLatin1Char(',') + QString::number(slice.col0 + c * slice.col_step);
    file.write((line + QLatin1Char('\n')).toStdString());
    for (std::int64_t r = 0; r < slice.rows; ++r) {
        line = QString::number(slice.row0 + r * slice.row_step);
        const double* values = slice.values.data() + r * slice.cols;
        for (std::int64_t c = 0; c < slice.cols; ++c)
            line +=
                QLatin1Char(',') + (as_float ? csvNumber(float(values[c])) : csvNumber(values[c]));
        file.write((line + QLatin1Char('\n')).toStdString());
    }
    file.commit();
}

} // namespace nnscope::ui
