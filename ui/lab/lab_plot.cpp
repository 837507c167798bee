#include "ui/lab/lab_plot.h"

#include "ui/tensor_view/export_size_dialog.h"
#include "ui/tensor_view/placeholder_stack.h"
#include "ui/tensor_view/plot_export.h"
#include "ui/tensor_view/plot_style.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <stdexcept>

namespace nnscope::ui {

QColor categoryColour(std::size_t i) {
    // Tableau 10 and two more: told apart by most readers, on light and dark windows alike.
    static const QColor colours[] = {
        QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0xe1, 0x57, 0x59),
        QColor(0x76, 0xb7, 0xb2), QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48),
        QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7), QColor(0x9c, 0x75, 0x5f),
        QColor(0xba, 0xb0, 0xac), QColor(0x2f, 0x4b, 0x7c), QColor(0x8c, 0xd1, 0x7d),
    };
    return colours[i % std::size(colours)];
}

QString classText(std::int64_t label, const std::vector<std::string>& names) {
    if (label >= 0 && std::size_t(label) < names.size())
        return QStringLiteral("%1 (%2)").arg(label).arg(QString::fromStdString(names[label]));
    return QString::number(label);
}

QString sampleText(const workflows::LoaderAnalysis& analysis, std::int64_t index) {
    QString text = QCoreApplication::translate("LabPlot", "index %1").arg(index);
    if (index < 0 || index >= std::int64_t(analysis.labels.size())) return text;
    const std::int64_t label = analysis.labels[std::size_t(index)];
    if (label < 0) return text;
    return text + QCoreApplication::translate("LabPlot", ", label %1")
                      .arg(classText(label, analysis.class_names));
}

void integerTicks(QCPAxis& axis) {
    auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    axis.setTicker(ticker);
}

void legendAbove(QCustomPlot& plot, int per_row) {
    QCPLegend* legend = plot.legend;
    legend->setVisible(true);
    legend->setBrush(Qt::NoBrush);
    legend->setBorderPen(Qt::NoPen);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(per_row);
    legend->setRowSpacing(0);
    if (QCPLayoutInset* inset = plot.axisRect()->insetLayout();
        inset->elements(false).contains(legend))
        inset->take(legend);
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0, legend);
    plot.plotLayout()->setRowStretchFactor(0, 0.001);
}

QString countOf(std::int64_t n, const QString& one, const QString& many) {
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}

QString indexList(const std::vector<std::int64_t>& values, std::size_t most) {
    QStringList parts;
    for (std::size_t i = 0; i < values.size() && i < most; ++i)
        parts << QString::number(values[i]);
    if (values.size() > most) parts << QStringLiteral("…");
    return parts.join(QStringLiteral(", "));
}

std::int64_t batchAt(const std::vector<std::int64_t>& batch_sizes, std::int64_t position) {
    std::int64_t start = 0;
    for (std::size_t b = 0; b < batch_sizes.size(); ++b) {
        start += batch_sizes[b];
        if (position < start) return std::int64_t(b);
    }
    return -1;
}

LabPlot::LabPlot(const QString& name, QWidget* parent)
    : QWidget(parent)
    , name_(name)
    , note_(new QLabel(this))
    , plot_(new QCustomPlot(this))
    , stack_(new PlaceholderStack(plot_, this))
    , hover_(new QLabel(this)) {
    note_->setWordWrap(true);
    hover_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long texts wrap or are cut; they never make the column wider.
    for (QLabel* label : {note_, hover_})
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // A legend or long tick labels ask QCustomPlot for a wide minimum; two columns share 1,024 px,
    // so the plot may be narrower than that and lets its layout squeeze.
    plot_->setMinimumSize(160, 100);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(note_);
    layout->addWidget(stack_, 1);
    layout->addWidget(hover_);
    connect(plot_, &QCustomPlot::mouseMove, this, &LabPlot::onMouseMove);

    const std::pair<QString, int> formats[] = {
        {tr("Export as &PNG..."), int(ExportFormat::Png)},
        {tr("Export as P&DF..."), int(ExportFormat::Pdf)},
        {tr("Export as &CSV..."), int(ExportFormat::Csv)},
    };
    for (const auto& [text, format] : formats) {
        auto* action = new QAction(text, this);
        connect(action, &QAction::triggered, this, [this, f = format] { exportWithDialog(f); });
        plot_->addAction(action);
    }
    plot_->setContextMenuPolicy(Qt::ActionsContextMenu);
    plot_->setToolTip(QString());
    applyPalette(*plot_, palette());
}

void LabPlot::setNote(const QString& text) {
    note_->setText(text);
    note_->setVisible(!text.isEmpty());
}

QString LabPlot::note() const {
    return note_->text();
}

void LabPlot::setHover(HoverText hover, const QString& hint) {
    hover_text_ = std::move(hover);
    hint_ = hint;
    hover_->setText(hint_);
}

void LabPlot::showPlot() {
    stack_->showContent();
    applyPalette(*plot_, palette());
    replotWhenShown(*plot_);
}

void LabPlot::showMessage(const QString& text) {
    stack_->showMessage(text);
    hover_->setText(hint_);
}

QString LabPlot::message() const {
    return stack_->message();
}

QString LabPlot::hoverTextAt(const QPointF& pos) const {
    if (!hover_text_ || stack_->isMessageShown()) return {};
    return hover_text_(pos);
}

void LabPlot::onMouseMove(QMouseEvent* event) {
    showHover(*hover_, *plot_, hoverTextAt(event->position()), hint_,
              event->globalPosition().toPoint());
}

void LabPlot::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette(*plot_, palette());
        replotWhenShown(*plot_);
    }
}

void LabPlot::exportPng(const QString& path, QSize size) {
    plot_->replot(QCustomPlot::rpImmediateRefresh);
    savePlotPng(*plot_, path, ExportOptions{title_, size});
}

void LabPlot::exportPdf(const QString& path, QSize size) {
    plot_->replot(QCustomPlot::rpImmediateRefresh);
    savePlotPdf(*plot_, path, ExportOptions{title_, size});
}

void LabPlot::exportCsv(const QString& path) {
    if (!csv_ || stack_->isMessageShown())
        throw std::runtime_error(tr("nothing to export: %1").arg(message()).toStdString());
    saveText(csv_(), path, title_);
}

void LabPlot::exportWithDialog(int format) {
    const auto f = ExportFormat(format);
    const QString suffix = f == ExportFormat::Png   ? QStringLiteral("png")
                           : f == ExportFormat::Pdf ? QStringLiteral("pdf")
                                                    : QStringLiteral("csv");
    // The last folder is shared with the tensor view's exports.
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("export/folder")).toString();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), QDir(folder).filePath(name_ + QLatin1Char('.') + suffix),
        suffix.toUpper() + tr(" files (*.") + suffix + QLatin1Char(')'));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    try {
        if (f == ExportFormat::Csv) return exportCsv(path);
        const std::optional<QSize> size = askExportSize(this, plot_->size());
        if (!size) return;
        if (f == ExportFormat::Png)
            exportPng(path, *size);
        else
            exportPdf(path, *size);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
    }
}

} // namespace nnscope::ui
