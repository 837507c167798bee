#pragma once
// Everything the window shows about one tensor: a header (name, shape, dtype, role), the slice
// picker, the colour scale choice, and tabs for the value histogram, the heatmap of one 2-D slice
// and, for 4-D weights, the kernel grid; each exportable as PNG, PDF and CSV. The view only
// displays what the worker sends: a different slice, bin count or zoomed-in window is a request
// (sliceRequested, binsRequested, valuesRequested), and so is the whole slice a CSV export of a
// sampled heatmap writes. A tensor that cannot be shown says why in place of its plots.

#include "session/slice_job.h"
#include "session/tensor_snapshot.h"
#include "ui/tensor_view/colour_scale.h"

#include <QSize>
#include <QWidget>
#include <cstdint>
#include <optional>
#include <vector>

class QComboBox;
class QScrollArea;
class QTabWidget;
class QToolButton;

namespace nnscope::ui {

class ElidedLabel;
class HeatmapPlot;
class HistogramPlot;
class KernelGridView;
class SlicePicker;
enum class ExportFormat;

class TensorView : public QWidget {
    Q_OBJECT
public:
    enum class Tab { Histogram = 0, Heatmap = 1, Kernels = 2 };
    // A CSV export writes at most this many values (about 300 MB of text); a larger slice is
    // refused with a message saying so.
    static constexpr std::int64_t kMaxCsvElements = 16'000'000;

    explicit TensorView(QWidget* parent = nullptr);

    void setSnapshot(const session::TensorSnapshot& snapshot);
    // The selected tensor cannot be shown (a dtype nnscope cannot read, a load error, a file that
    // changed): every plot is cleared and says why.
    void showUnavailable(const QString& tensor, const QString& reason);
    // Back to "no tensor selected".
    void clear();
    bool hasSnapshot() const { return has_snapshot_; }

    // Answers to valuesRequested: a heatmap window, or the slice an export waits for. Answers
    // about another tensor or an earlier question are ignored.
    void setSlice(const nnscope::session::TensorSlice& slice);
    void sliceFailed(const QString& tensor, const QString& message, quint64 tag);

    void setColourMode(ColourMode mode);
    ColourMode colourMode() const;

    Tab currentTab() const;
    void setCurrentTab(Tab tab);

    // Export the current tab with its title (name, shape) at `size` (the on-screen size when
    // empty); throw std::runtime_error naming the file when writing fails.
    void exportPng(const QString& path, QSize size = {});
    void exportPdf(const QString& path, QSize size = {});
    // Writes the CSV at once, except for a sampled heatmap: then asks the worker for the whole
    // slice (valuesRequested) and writes it when it arrives (exportFinished). Throws when the
    // slice has more than kMaxCsvElements values or the file cannot be written.
    void exportCsv(const QString& path);
    bool exportPending() const { return export_tag_ != 0; }
    // The words an export carries: the tensor's name, shape and dtype, then what the tab shows.
    QString exportTitle() const;
    // The size an image export has when none is asked for.
    QSize onScreenSize() const;

    HistogramPlot* histogram() const { return histogram_; }
    HeatmapPlot* heatmap() const { return heatmap_; }
    KernelGridView* kernelGrid() const { return kernels_; }
    SlicePicker* slicePicker() const { return picker_; }
    QTabWidget* tabs() const { return tabs_; }
    QComboBox* colourModeBox() const { return colour_mode_; }
    ElidedLabel* header() const { return header_; }
    QString headerText() const;

signals:
    void sliceRequested(std::vector<std::int64_t> leading);
    void binsRequested(int bins);
    void valuesRequested(nnscope::session::TensorSliceRequest request);
    // An asynchronous CSV export is done; `error` is empty when the file was written.
    void exportFinished(const QString& path, const QString& error);

private:
    void buildExportMenu();
    void exportWithDialog(ExportFormat format);
    void requestWindow(const session::SliceWindow& window);
    void finishExport(const session::Slice2D* slice, const QString& error);
    QString csvComment() const;

    ElidedLabel* header_;
    SlicePicker* picker_;
    QComboBox* colour_mode_;
    QToolButton* export_button_;
    QTabWidget* tabs_;
    HistogramPlot* histogram_;
    HeatmapPlot* heatmap_;
    KernelGridView* kernels_;
    QScrollArea* kernel_scroll_;
    QString name_;
    std::vector<std::int64_t> shape_;
    std::string dtype_;
    bool has_snapshot_ = false;
    quint64 last_tag_ = 0;
    quint64 window_tag_ = 0; // the heatmap window asked for last
    quint64 export_tag_ = 0; // the slice a CSV export waits for; 0 when none
    QString export_path_;
    bool export_from_dialog_ = false;
    // A window the heatmap wanted while an export waited: asking would cancel the export.
    std::optional<session::SliceWindow> held_window_;
};

} // namespace nnscope::ui
