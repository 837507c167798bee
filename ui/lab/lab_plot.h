#pragma once
// One plot of a lab view: a line saying what it shows, the plot (or the sentence saying why there
// is none), the hover line reading what the mouse points at, and Export as PNG, PDF or CSV in its
// context menu. The views fill the plot; this frame does the rest the same way for each of them.

#include "workflows/loader_analysis.h"

#include <QWidget>
#include <functional>

class QCPAxis;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace nnscope::ui {

class PlaceholderStack;

class LabPlot : public QWidget {
    Q_OBJECT
public:
    // What the hover line says for a mouse position (pixels of plot()); empty for nothing.
    using HoverText = std::function<QString(const QPointF& pos)>;
    // The plot's values as CSV lines, with a header line.
    using CsvText = std::function<QString()>;

    // `name` is the file name an export suggests ("order", "draws").
    explicit LabPlot(const QString& name, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return plot_; }

    void setNote(const QString& text);
    QString note() const;
    void setHover(HoverText hover, const QString& hint);
    void setCsv(CsvText csv) { csv_ = std::move(csv); }
    // Lines above an exported image and as "# " comments of a CSV file.
    void setExportTitle(const QString& title) { title_ = title; }

    // Shows the plot (replotted when it is on screen) or, in its place, why there is none.
    void showPlot();
    void showMessage(const QString& text);
    QString message() const;

    // What the hover line says for `pos` (pixels of plot()); empty outside the data.
    QString hoverTextAt(const QPointF& pos) const;

    // Each throws std::runtime_error naming the file when it cannot be written.
    void exportPng(const QString& path, QSize size = {});
    void exportPdf(const QString& path, QSize size = {});
    void exportCsv(const QString& path);

protected:
    void changeEvent(QEvent* event) override;

private:
    void exportWithDialog(int format);
    void onMouseMove(QMouseEvent* event);

    QString name_;
    QString title_;
    QString hint_;
    QLabel* note_;
    QCustomPlot* plot_;
    PlaceholderStack* stack_;
    QLabel* hover_;
    HoverText hover_text_;
    CsvText csv_;
};

// Colours for classes (and workers): distinct, readable on light and dark windows; they repeat
// after a dozen.
QColor categoryColour(std::size_t i);

// "3 (Dress)" when the class has a name, else "3".
QString classText(std::int64_t label, const std::vector<std::string>& names);
// "index 4, label 4 (Coat)"; the label left out when it is unknown.
QString sampleText(const workflows::LoaderAnalysis& analysis, std::int64_t index);
// Ticks on whole numbers only: a tick at batch 2.5 names no batch.
void integerTicks(QCPAxis& axis);
// The legend in a row of its own above the plot, `per_row` entries a row: inside the axes it
// covers bars at some width or other.
void legendAbove(QCustomPlot& plot, int per_row);

// "1 epoch", "3 epochs": the count with the word that fits it.
QString countOf(std::int64_t n, const QString& one, const QString& many);
// "3, 7, 12, …": the first `most` values.
QString indexList(const std::vector<std::int64_t>& values, std::size_t most);
// The batch holding `position` of an epoch, by its batch sizes; -1 past the end.
std::int64_t batchAt(const std::vector<std::int64_t>& batch_sizes, std::int64_t position);

} // namespace nnscope::ui
