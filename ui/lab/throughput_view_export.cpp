// The Speed tab's exports: the throughput plot as PNG or PDF with a title naming the
// configuration and the machine, and the measured points as CSV.

#include "ui/lab/throughput_plots.h"
#include "ui/lab/throughput_view.h"
#include "ui/tensor_view/plot_export.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QToolButton>
#include <qcustomplot.h>
#include <stdexcept>

namespace nnscope::ui {

void ThroughputView::buildExportMenu() {
    auto* menu = new QMenu(this);
    const std::pair<QString, QString> formats[] = {
        {tr("Export plot as &PNG..."), QStringLiteral("png")},
        {tr("Export plot as P&DF..."), QStringLiteral("pdf")},
        {tr("Export points as &CSV..."), QStringLiteral("csv")},
    };
    for (const auto& [text, suffix] : formats) {
        auto* action = new QAction(text, this);
        connect(action, &QAction::triggered, this, [this, s = suffix] { exportWithDialog(s); });
        menu->addAction(action);
    }
    export_button_->setText(tr("Export"));
    export_button_->setMenu(menu);
    export_button_->setPopupMode(QToolButton::InstantPopup);
    export_button_->setToolTip(tr("Save the throughput plot as PNG or PDF, or the points as CSV"));
}

QString ThroughputView::exportTitle() const {
    const data::DataLoaderConfig c = measured_ ? *measured_ : data::DataLoaderConfig{};
    QString title = tr("Loading speed of %1, batch_size %2")
                        .arg(QString::fromStdString(c.dataset),
                             c.batch_size ? QString::number(*c.batch_size) : tr("None"));
    if (!c.transform.empty()) title += QStringLiteral(", ") + QString::fromStdString(c.transform);
    return title + QLatin1Char('\n') + machineText();
}

void ThroughputView::exportPlot(const QString& path) {
    if (points_.empty()) throw std::runtime_error("nothing measured to export yet");
    // A plot never shown has no size of its own yet.
    QCustomPlot& plot = *plots_->ratePlot();
    const QSize size = plot.isVisible() ? plot.size() : QSize(800, 500);
    const ExportOptions options{exportTitle(), size};
    if (QFileInfo(path).suffix().compare(QStringLiteral("pdf"), Qt::CaseInsensitive) == 0)
        savePlotPdf(plot, path, options);
    else
        savePlotPng(plot, path, options);
}

void ThroughputView::exportCsv(const QString& path) {
    if (points_.empty()) throw std::runtime_error("nothing measured to export yet");
    saveText(QString::fromStdString(workflows::throughput_csv(points_)), path, exportTitle());
}

void ThroughputView::exportWithDialog(const QString& suffix) {
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("export/folder")).toString();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), QDir(folder).filePath(QStringLiteral("loading_speed.") + suffix),
        suffix.toUpper() + tr(" files (*.") + suffix + QLatin1Char(')'));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    try {
        if (suffix == QLatin1String("csv"))
            exportCsv(path);
        else
            exportPlot(path);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
    }
}

} // namespace nnscope::ui
