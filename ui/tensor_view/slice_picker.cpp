#include "ui/tensor_view/slice_picker.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <limits>

namespace nnscope::ui {

SlicePicker::SlicePicker(QWidget* parent)
    : QWidget(parent)
    , layout_(new QHBoxLayout(this)) {
    layout_->setContentsMargins(0, 0, 0, 0);
    debounce_.setSingleShot(true);
    debounce_.setInterval(debounce_ms);
    connect(&debounce_, &QTimer::timeout, this, [this] { emit sliceRequested(leading()); });
    setVisible(false);
}

void SlicePicker::setShape(const std::vector<std::int64_t>& shape,
                           const std::vector<std::int64_t>& leading) {
    const std::size_t n = shape.size() > 2 ? shape.size() - 2 : 0;
    if (shape != shape_) {
        shape_ = shape;
        debounce_.stop();
        while (QLayoutItem* item = layout_->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        boxes_.clear();
        if (n > 0) layout_->addWidget(new QLabel(tr("Slice"), this));
        for (std::size_t d = 0; d < n; ++d) {
            auto* box = new QSpinBox(this);
            // Dimension d is indexed 0 .. size - 1; a zero-sized one has nothing to pick.
            const std::int64_t top =
                std::min<std::int64_t>(shape[d] - 1, std::numeric_limits<int>::max());
            box->setRange(0, int(std::max<std::int64_t>(top, 0)));
            box->setEnabled(shape[d] > 1);
            box->setPrefix(QStringLiteral("dim %1: ").arg(d));
            box->setSuffix(QStringLiteral(" of %1").arg(shape[d]));
            box->setToolTip(tr("Index into dimension %1 (size %2)").arg(d).arg(shape[d]));
            box->setKeyboardTracking(false);
            connect(box, &QSpinBox::valueChanged, this, [this] { debounce_.start(); });
            layout_->addWidget(box);
            boxes_.push_back(box);
        }
        if (n > 0) {
            auto* rest = new QLabel(QStringLiteral(", :, :"), this);
            rest->setToolTip(tr("The last two dimensions are the rows and columns shown"));
            layout_->addWidget(rest);
        }
        layout_->addStretch();
    }
    for (std::size_t d = 0; d < boxes_.size(); ++d) {
        const QSignalBlocker block(boxes_[d]);
        boxes_[d]->setValue(d < leading.size() ? int(leading[d]) : 0);
    }
    setVisible(n > 0);
}

std::vector<std::int64_t> SlicePicker::leading() const {
    std::vector<std::int64_t> out;
    out.reserve(boxes_.size());
    for (const QSpinBox* box : boxes_)
        out.push_back(box->value());
    return out;
}

} // namespace nnscope::ui
