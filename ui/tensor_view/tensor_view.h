#pragma once
// Everything the window shows about one tensor: a header (name, shape, dtype, role), the slice
// picker, and tabs for the value histogram, the heatmap of one 2-D slice and, for 4-D weights, the
// kernel grid; each exportable as PNG, PDF and CSV. The view only displays snapshots: a different
// slice or bin count is a request for the worker (sliceRequested, binsRequested).

#include "session/tensor_snapshot.h"

#include <QWidget>
#include <cstdint>
#include <vector>

class QLabel;
class QScrollArea;
class QTabWidget;
class QToolButton;

namespace nnscope::ui {

class HeatmapPlot;
class HistogramPlot;
class KernelGridView;
class SlicePicker;
enum class ExportFormat;

class TensorView : public QWidget {
    Q_OBJECT
public:
    enum class Tab { Histogram = 0, Heatmap = 1, Kernels = 2 };

    explicit TensorView(QWidget* parent = nullptr);

    void setSnapshot(const session::TensorSnapshot& snapshot);
    // Back to "no tensor selected".
    void clear();
    bool hasSnapshot() const { return has_snapshot_; }

    Tab currentTab() const;
    void setCurrentTab(Tab tab);

    // Export the current tab; throw std::runtime_error naming the file when writing fails.
    void exportPng(const QString& path);
    void exportPdf(const QString& path);
    void exportCsv(const QString& path);

    HistogramPlot* histogram() const { return histogram_; }
    HeatmapPlot* heatmap() const { return heatmap_; }
    KernelGridView* kernelGrid() const { return kernels_; }
    SlicePicker* slicePicker() const { return picker_; }
    QTabWidget* tabs() const { return tabs_; }
    QString headerText() const;

signals:
    void sliceRequested(std::vector<std::int64_t> leading);
    void binsRequested(int bins);

private:
    void exportWithDialog(ExportFormat format);

    QLabel* header_;
    SlicePicker* picker_;
    QToolButton* export_button_;
    QTabWidget* tabs_;
    HistogramPlot* histogram_;
    HeatmapPlot* heatmap_;
    KernelGridView* kernels_;
    QScrollArea* kernel_scroll_;
    QString name_;
    bool has_snapshot_ = false;
};

} // namespace nnscope::ui
