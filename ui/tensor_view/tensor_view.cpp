#include "ui/tensor_view/tensor_view.h"

#include "ui/tensor_view/elided_label.h"
#include "ui/tensor_view/heatmap_plot.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/slice_picker.h"
#include "ui/tensor_view/tensor_text.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace nnscope::ui {

namespace {

// The signals carry the index vector and the slice request across threads (queued to the
// worker): their names as moc spells them in the signatures must be registered.
const int leading_metatype =
    qRegisterMetaType<std::vector<std::int64_t>>("std::vector<std::int64_t>");
const int request_metatype = qRegisterMetaType<nnscope::session::TensorSliceRequest>();
const int slice_metatype = qRegisterMetaType<nnscope::session::TensorSlice>();

} // namespace

TensorView::TensorView(QWidget* parent)
    : QWidget(parent)
    , header_(new ElidedLabel(this))
    , picker_(new SlicePicker(this))
    , colour_mode_(new QComboBox(this))
    , export_button_(new QToolButton(this))
    , tabs_(new QTabWidget(this))
    , histogram_(new HistogramPlot(this))
    , heatmap_(new HeatmapPlot(this))
    , kernels_(new KernelGridView(this))
    , kernel_scroll_(new QScrollArea(this)) {
    (void)leading_metatype;
    (void)request_metatype;
    (void)slice_metatype;
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = header_->font();
    bold.setBold(true);
    header_->setFont(bold);

    kernel_scroll_->setWidget(kernels_);
    kernel_scroll_->setWidgetResizable(true);
    kernel_scroll_->setFrameShape(QFrame::NoFrame);
    tabs_->addTab(histogram_, tr("&Histogram"));
    tabs_->addTab(heatmap_, tr("Heat&map"));
    tabs_->addTab(kernel_scroll_, tr("&Kernels"));
    tabs_->setTabToolTip(int(Tab::Kernels), tr("Convolution kernels of a 4-D weight"));

    colour_mode_->addItem(tr("Colour per slice"), int(ColourMode::PerSlice));
    colour_mode_->addItem(tr("Colour per tensor"), int(ColourMode::PerTensor));
    colour_mode_->setToolTip(
        tr("Where the heatmap's and the kernel grid's colour scale ends: the smallest and largest "
           "value of the slice (or kernels) shown, or of the whole tensor so that slices "
           "compare. Signed data gets a scale symmetric around 0 either way."));
    connect(colour_mode_, &QComboBox::activated, this,
            [this] { setColourMode(ColourMode(colour_mode_->currentData().toInt())); });

    buildExportMenu();
    connect(picker_, &SlicePicker::sliceRequested, this, &TensorView::sliceRequested);
    connect(histogram_, &HistogramPlot::binsRequested, this, &TensorView::binsRequested);
    connect(heatmap_, &HeatmapPlot::windowWanted, this, &TensorView::requestWindow);

    auto* top = new QHBoxLayout;
    top->addWidget(header_, 1);
    top->addWidget(colour_mode_);
    top->addWidget(export_button_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(picker_);
    layout->addWidget(tabs_, 1);
    clear();
}

void TensorView::setSnapshot(const session::TensorSnapshot& snapshot) {
    const QString name = QString::fromStdString(snapshot.name);
    if (export_tag_ != 0 && name != name_) finishExport(nullptr, tr("another tensor was selected"));
    has_snapshot_ = true;
    name_ = name;
    shape_ = snapshot.shape;
    dtype_ = snapshot.dtype;
    QString role = QString::fromStdString(io::describe_role(snapshot.role, snapshot.module));
    if (snapshot.role_inferred) role += tr(" (inferred)");
    header_->setFullText(
        QStringLiteral("%1   %2   %3   %4")
            .arg(name_, shapeText(snapshot.shape), QString::fromStdString(snapshot.dtype), role));
    picker_->setShape(snapshot.shape, snapshot.slice.leading);
    histogram_->setSnapshot(snapshot);
    heatmap_->setSnapshot(snapshot);
    kernels_->setTensorRange(snapshot.stats.min, snapshot.stats.max);
    if (snapshot.kernels)
        kernels_->setKernels(*snapshot.kernels);
    else
        kernels_->showMessage(tr("No convolution kernels: this view is for 4-D weights."));
    tabs_->setTabEnabled(int(Tab::Kernels), snapshot.kernels.has_value());
    export_button_->setEnabled(true);
}

void TensorView::showUnavailable(const QString& tensor, const QString& reason) {
    clear();
    name_ = tensor;
    header_->setFullText(tr("%1   cannot be shown").arg(tensor));
    const QString text =
        tr("%1 cannot be plotted:\n%2").arg(elideMiddle(tensor), elideMiddle(reason, 400));
    histogram_->showMessage(text);
    heatmap_->showMessage(text);
    kernels_->showMessage(text);
}

void TensorView::clear() {
    has_snapshot_ = false;
    name_.clear();
    shape_.clear();
    dtype_.clear();
    window_tag_ = 0;
    held_window_.reset();
    if (export_tag_ != 0) finishExport(nullptr, tr("the tensor is no longer shown"));
    header_->setFullText(tr("No tensor selected"));
    picker_->setShape({}, {});
    histogram_->showMessage(tr("Select a parameter or buffer to see its values."));
    heatmap_->showMessage(tr("Select a parameter or buffer to see its values."));
    kernels_->showMessage(tr("No convolution kernels: this view is for 4-D weights."));
    tabs_->setTabEnabled(int(Tab::Kernels), false);
    export_button_->setEnabled(false);
}

void TensorView::requestWindow(const session::SliceWindow& window) {
    if (!has_snapshot_) return;
    if (export_tag_ != 0) { // asking now would cancel the export's request
        held_window_ = window;
        return;
    }
    window_tag_ = ++last_tag_;
    emit valuesRequested(session::TensorSliceRequest{
        0, name_.toStdString(),
        session::SliceRequest{heatmap_->slice().leading, window, HeatmapPlot::kWindowElements},
        window_tag_});
}

void TensorView::setSlice(const session::TensorSlice& slice) {
    if (!has_snapshot_ || QString::fromStdString(slice.tensor) != name_) return;
    if (slice.tag != 0 && slice.tag == export_tag_)
        finishExport(&slice.slice, {});
    else if (slice.tag != 0 && slice.tag == window_tag_)
        heatmap_->setWindow(slice.slice);
}

void TensorView::sliceFailed(const QString& tensor, const QString& message, quint64 tag) {
    if (tensor != name_) return;
    if (tag != 0 && tag == export_tag_) finishExport(nullptr, message);
    // A window that cannot be read leaves the overview, which is still right.
}

void TensorView::setColourMode(ColourMode mode) {
    colour_mode_->setCurrentIndex(colour_mode_->findData(int(mode)));
    heatmap_->setColourMode(mode);
    kernels_->setColourMode(mode);
}

ColourMode TensorView::colourMode() const {
    return heatmap_->colourMode();
}

TensorView::Tab TensorView::currentTab() const {
    return Tab(tabs_->currentIndex());
}

void TensorView::setCurrentTab(Tab tab) {
    tabs_->setCurrentIndex(int(tab));
}

QString TensorView::headerText() const {
    return header_->fullText();
}

} // namespace nnscope::ui
