// The tensor view's exports: the Export menu, the file and size dialogs, images with their title
// and CSV files with their comment, and the CSV of a sampled heatmap, written when the worker has
// sent the whole slice.

#include "ui/tensor_view/export_size_dialog.h"
#include "ui/tensor_view/heatmap_plot.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/plot_export.h"
#include "ui/tensor_view/tensor_text.h"
#include "ui/tensor_view/tensor_view.h"

#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QToolButton>
#include <qcustomplot.h>
#include <stdexcept>

namespace nnscope::ui {

void TensorView::buildExportMenu() {
    // The same three actions in the Export button's menu and in each page's context menu.
    auto* menu = new QMenu(this);
    const std::pair<QString, ExportFormat> formats[] = {
        {tr("Export as &PNG..."), ExportFormat::Png},
        {tr("Export as P&DF..."), ExportFormat::Pdf},
        {tr("Export as &CSV..."), ExportFormat::Csv},
    };
    for (const auto& [text, format] : formats) {
        auto* action = new QAction(text, this);
        connect(action, &QAction::triggered, this, [this, f = format] { exportWithDialog(f); });
        menu->addAction(action);
        for (QWidget* page : {static_cast<QWidget*>(histogram_), static_cast<QWidget*>(heatmap_),
                              static_cast<QWidget*>(kernels_)}) {
            page->addAction(action);
            page->setContextMenuPolicy(Qt::ActionsContextMenu);
        }
    }
    export_button_->setText(tr("Export"));
    export_button_->setMenu(menu);
    export_button_->setPopupMode(QToolButton::InstantPopup);
    export_button_->setToolTip(
        tr("Save the current plot as PNG or PDF (at a size you choose) or its values as CSV"));
}

QString TensorView::exportTitle() const {
    const QString tensor =
        QStringLiteral("%1  %2  %3").arg(name_, shapeText(shape_), QString::fromStdString(dtype_));
    switch (currentTab()) {
    case Tab::Histogram:
        return tensor + QLatin1Char('\n') +
               tr("histogram of all values, %1 bins").arg(histogram_->shownBins());
    case Tab::Heatmap:
        return tensor + QLatin1Char('\n') + heatmap_->legendText();
    case Tab::Kernels:
        return tensor + QLatin1Char('\n') + kernels_->legendText();
    }
    return tensor;
}

QSize TensorView::onScreenSize() const {
    switch (currentTab()) {
    case Tab::Histogram:
        return histogram_->plot()->size();
    case Tab::Heatmap:
        return heatmap_->plot()->size();
    case Tab::Kernels:
        return kernels_->size();
    }
    return size();
}

void TensorView::exportPng(const QString& path, QSize size) {
    // A name of hundreds of characters would make the title wider than any image.
    const ExportOptions options{elideMiddle(exportTitle(), 160), size};
    switch (currentTab()) {
    case Tab::Histogram:
        return savePlotPng(*histogram_->plot(), path, options);
    case Tab::Heatmap:
        return savePlotPng(*heatmap_->plot(), path, options);
    case Tab::Kernels:
        return saveWidgetPng(*kernels_, path, options);
    }
}

void TensorView::exportPdf(const QString& path, QSize size) {
    const ExportOptions options{elideMiddle(exportTitle(), 160), size};
    switch (currentTab()) {
    case Tab::Histogram:
        return savePlotPdf(*histogram_->plot(), path, options);
    case Tab::Heatmap:
        return savePlotPdf(*heatmap_->plot(), path, options);
    case Tab::Kernels:
        return saveWidgetPdf(*kernels_, path, options);
    }
}

QString TensorView::csvComment() const {
    QString comment =
        tr("nnscope: %1 %2 %3").arg(name_, shapeText(shape_), QString::fromStdString(dtype_));
    switch (currentTab()) {
    case Tab::Histogram:
        return comment + QLatin1Char('\n') + tr("histogram: %1 bins").arg(histogram_->shownBins());
    case Tab::Heatmap: {
        const session::Slice2D& s = heatmap_->slice();
        QStringList index;
        for (std::int64_t i : s.leading)
            index << QString::number(i);
        if (shape_.size() >= 2) index << QStringLiteral(":");
        if (!shape_.empty()) index << QStringLiteral(":");
        return comment + QLatin1Char('\n') +
               tr("slice [%1]: all %2 x %3 values")
                   .arg(index.join(QStringLiteral(", ")))
                   .arg(s.full_rows)
                   .arg(s.full_cols);
    }
    case Tab::Kernels:
        return comment + QLatin1Char('\n') +
               tr("kernels: %1 output x %2 input channels")
                   .arg(kernels_->outChannels())
                   .arg(kernels_->inChannels());
    }
    return comment;
}

void TensorView::exportCsv(const QString& path) {
    switch (currentTab()) {
    case Tab::Histogram:
        return saveText(histogram_->csvText(), path, csvComment());
    case Tab::Kernels:
        return saveText(kernels_->csvText(), path, csvComment());
    case Tab::Heatmap:
        break;
    }
    const session::Slice2D& slice = heatmap_->slice();
    const bool as_float = dtype_ == "float32" || dtype_ == "float16" || dtype_ == "bfloat16";
    if (!slice.sampled()) return saveSliceCsv(slice, as_float, csvComment(), path);
    if (slice.full_elements() > kMaxCsvElements)
        throw std::runtime_error(
            tr("The slice has %1 values; a CSV export writes at most %2. Choose a smaller slice "
               "or export the image.")
                .arg(countText(slice.full_elements()), countText(kMaxCsvElements))
                .toStdString());
    // The overview is sampled: the file gets every value, read by the worker.
    export_path_ = path;
    export_tag_ = ++last_tag_;
    emit valuesRequested(session::TensorSliceRequest{
        0, name_.toStdString(), session::SliceRequest{slice.leading, {}, slice.full_elements()},
        export_tag_});
}

void TensorView::finishExport(const session::Slice2D* slice, const QString& error) {
    const QString path = export_path_;
    export_tag_ = 0;
    export_path_.clear();
    QString problem = error;
    if (slice && problem.isEmpty()) {
        try {
            const bool as_float =
                dtype_ == "float32" || dtype_ == "float16" || dtype_ == "bfloat16";
            saveSliceCsv(*slice, as_float, csvComment(), path);
        } catch (const std::exception& e) {
            problem = QString::fromStdString(e.what());
        }
    }
    if (!problem.isEmpty() && export_from_dialog_) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Export failed"),
                                    tr("Could not write %1").arg(path), QMessageBox::Ok, this);
        box->setInformativeText(problem);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    export_from_dialog_ = false;
    emit exportFinished(path, problem);
    if (held_window_) {
        const session::SliceWindow window = *held_window_;
        held_window_.reset();
        requestWindow(window);
    }
}

void TensorView::exportWithDialog(ExportFormat format) {
    static const char* const tab_names[] = {"histogram", "heatmap", "kernels"};
    const QString suffix = format == ExportFormat::Png   ? QStringLiteral("png")
                           : format == ExportFormat::Pdf ? QStringLiteral("pdf")
                                                         : QStringLiteral("csv");
    QString base = name_.isEmpty() ? QStringLiteral("tensor") : name_.left(120);
    base += QLatin1Char('_') + QLatin1String(tab_names[int(currentTab())]);
    // The last folder is remembered with the rest of the window's settings.
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("export/folder")).toString();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), QDir(folder).filePath(base + QLatin1Char('.') + suffix),
        suffix.toUpper() + tr(" files (*.") + suffix + QLatin1Char(')'));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    try {
        if (format == ExportFormat::Csv) {
            export_from_dialog_ = true;
            exportCsv(path);
            if (!exportPending()) export_from_dialog_ = false;
            return;
        }
        const std::optional<QSize> size = askExportSize(this, onScreenSize());
        if (!size) return;
        if (format == ExportFormat::Png)
            exportPng(path, *size);
        else
            exportPdf(path, *size);
    } catch (const std::exception& e) {
        export_from_dialog_ = false;
        QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
    }
}

} // namespace nnscope::ui
