#include "ui/tensor_view/tensor_view.h"

#include "ui/tensor_view/heatmap_plot.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/plot_export.h"
#include "ui/tensor_view/slice_picker.h"
#include "ui/tensor_view/tensor_text.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <stdexcept>

namespace nnscope::ui {

namespace {

// The signals carry the index vector across threads (queued to the worker): its name as moc
// spells it in the signature must be registered.
const int leading_metatype =
    qRegisterMetaType<std::vector<std::int64_t>>("std::vector<std::int64_t>");

} // namespace

TensorView::TensorView(QWidget* parent)
    : QWidget(parent)
    , header_(new QLabel(this))
    , picker_(new SlicePicker(this))
    , export_button_(new QToolButton(this))
    , tabs_(new QTabWidget(this))
    , histogram_(new HistogramPlot(this))
    , heatmap_(new HeatmapPlot(this))
    , kernels_(new KernelGridView(this))
    , kernel_scroll_(new QScrollArea(this)) {
    (void)leading_metatype;
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header_->setWordWrap(true);

    kernel_scroll_->setWidget(kernels_);
    kernel_scroll_->setWidgetResizable(true);
    kernel_scroll_->setFrameShape(QFrame::NoFrame);
    tabs_->addTab(histogram_, tr("&Histogram"));
    tabs_->addTab(heatmap_, tr("Heat&map"));
    tabs_->addTab(kernel_scroll_, tr("&Kernels"));
    tabs_->setTabToolTip(int(Tab::Kernels), tr("Convolution kernels of a 4-D weight"));

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
    export_button_->setToolTip(tr("Save the current plot as PNG, PDF or CSV"));

    connect(picker_, &SlicePicker::sliceRequested, this, &TensorView::sliceRequested);
    connect(histogram_, &HistogramPlot::binsRequested, this, &TensorView::binsRequested);

    auto* top = new QHBoxLayout;
    top->addWidget(header_, 1);
    top->addWidget(export_button_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(picker_);
    layout->addWidget(tabs_, 1);
    clear();
}

void TensorView::setSnapshot(const session::TensorSnapshot& snapshot) {
    has_snapshot_ = true;
    name_ = QString::fromStdString(snapshot.name);
    QString role = QString::fromUtf8(io::to_string(snapshot.role));
    if (snapshot.role_inferred) role += tr(" (inferred)");
    header_->setText(QStringLiteral("<b>%1</b>   %2   %3   %4")
                         .arg(name_.toHtmlEscaped(), shapeText(snapshot.shape),
                              QString::fromStdString(snapshot.dtype).toHtmlEscaped(),
                              role.toHtmlEscaped()));
    picker_->setShape(snapshot.shape, snapshot.slice.leading);
    histogram_->setSnapshot(snapshot);
    heatmap_->setSnapshot(snapshot);
    if (snapshot.kernels)
        kernels_->setKernels(*snapshot.kernels);
    else
        kernels_->showMessage(tr("No convolution kernels: this view is for 4-D weights."));
    tabs_->setTabEnabled(int(Tab::Kernels), snapshot.kernels.has_value());
    export_button_->setEnabled(true);
}

void TensorView::clear() {
    has_snapshot_ = false;
    name_.clear();
    header_->setText(tr("No tensor selected"));
    picker_->setShape({}, {});
    histogram_->showMessage(tr("Select a parameter or buffer to see its values."));
    heatmap_->showMessage(tr("Select a parameter or buffer to see its values."));
    kernels_->showMessage(tr("No convolution kernels: this view is for 4-D weights."));
    tabs_->setTabEnabled(int(Tab::Kernels), false);
    export_button_->setEnabled(false);
}

TensorView::Tab TensorView::currentTab() const {
    return Tab(tabs_->currentIndex());
}

void TensorView::setCurrentTab(Tab tab) {
    tabs_->setCurrentIndex(int(tab));
}

QString TensorView::headerText() const {
    return header_->text();
}

void TensorView::exportPng(const QString& path) {
    switch (currentTab()) {
    case Tab::Histogram:
        return histogram_->exportPng(path);
    case Tab::Heatmap:
        return heatmap_->exportPng(path);
    case Tab::Kernels:
        return kernels_->exportPng(path);
    }
}

void TensorView::exportPdf(const QString& path) {
    switch (currentTab()) {
    case Tab::Histogram:
        return histogram_->exportPdf(path);
    case Tab::Heatmap:
        return heatmap_->exportPdf(path);
    case Tab::Kernels:
        return kernels_->exportPdf(path);
    }
}

void TensorView::exportCsv(const QString& path) {
    switch (currentTab()) {
    case Tab::Histogram:
        return histogram_->exportCsv(path);
    case Tab::Heatmap:
        return heatmap_->exportCsv(path);
    case Tab::Kernels:
        return kernels_->exportCsv(path);
    }
}

void TensorView::exportWithDialog(ExportFormat format) {
    static const char* const tab_names[] = {"histogram", "heatmap", "kernels"};
    const QString suffix = format == ExportFormat::Png   ? QStringLiteral("png")
                           : format == ExportFormat::Pdf ? QStringLiteral("pdf")
                                                         : QStringLiteral("csv");
    QString base = name_.isEmpty() ? QStringLiteral("tensor") : name_;
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
        switch (format) {
        case ExportFormat::Png:
            exportPng(path);
            break;
        case ExportFormat::Pdf:
            exportPdf(path);
            break;
        case ExportFormat::Csv:
            exportCsv(path);
            break;
        }
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
    }
}

} // namespace nnscope::ui
