#include "ui/train/tensor_inspector.h"

#include "ui/models/hook_timeline_model.h"
#include "ui/tensor_view/slice_picker.h"
#include "ui/tensor_view/tensor_view.h"
#include "ui/train/feature_maps.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace nnscope::ui {

using workflows::HookEvent;
using workflows::HookKind;

QStringList tensorLabels(const HookEvent& event, bool inputs, std::size_t count) {
    const bool backward = workflows::is_backward(event.kind);
    QString name;
    if (workflows::is_tensor_hook(event.kind))
        name = inputs ? QStringLiteral("input") : QStringLiteral("grad");
    else if (backward)
        name = inputs ? QStringLiteral("grad_input") : QStringLiteral("grad_output");
    else
        name = inputs ? QStringLiteral("input") : QStringLiteral("output");
    const auto& shapes = inputs ? event.input_shapes : event.output_shapes;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < shapes.size(); ++i)
        if (count >= shapes.size() || !(backward && shapes[i].empty())) index.push_back(i);
    for (std::size_t i = index.size(); i < count; ++i)
        index.push_back(i); // more came than the shapes name: number them on
    QStringList labels;
    // A single output (forward) or gradient (grad) is not numbered, as PyTorch's hooks pass it.
    const bool single =
        !inputs && count == 1 && (!backward || workflows::is_tensor_hook(event.kind));
    for (std::size_t k = 0; k < count; ++k)
        labels << (single ? name : QStringLiteral("%1[%2]").arg(name).arg(index[k]));
    return labels;
}

bool hasFeatureMaps(const HookEvent& event) {
    return event.kind == HookKind::Forward && event.output_shapes.size() == 1 &&
           event.output_shapes[0].size() == 4;
}

TensorInspector::TensorInspector(QWidget* parent)
    : QWidget(parent)
    , place_(new QLabel(this))
    , line_(new QLabel(this))
    , chooser_(new QComboBox(this))
    , status_(new QLabel(this))
    , view_(new TensorView)
    , maps_(new FeatureMaps) {
    QFont bold = place_->font();
    bold.setBold(true);
    place_->setFont(bold);
    line_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    line_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    line_->setToolTip(tr("The PyTorch line that registers this hook"));
    chooser_->setToolTip(tr("Which tensor of the hook to show"));
    chooser_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    status_->setWordWrap(true);
    // The worker sends each tensor's first 2-D slice and 64 bins; other slices are not asked for.
    view_->slicePicker()->setEnabled(false);
    view_->slicePicker()->setToolTip(
        tr("The first slice; the feature maps show every channel of a chosen sample"));

    auto* top = new QHBoxLayout;
    top->addWidget(place_);
    top->addWidget(chooser_);
    top->addWidget(status_, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(view_);
    split->addWidget(maps_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(line_);
    layout->addWidget(split, 1);

    connect(chooser_, &QComboBox::activated, this, [this] {
        wanted_ = chooser_->currentText();
        showChosen();
    });
    connect(maps_, &FeatureMaps::sampleChanged, this, &TensorInspector::sampleChanged);
    showMessage(tr("Select a hook event to see its tensors."));
}

void TensorInspector::setEvent(const HookEvent& event) {
    event_ = event;
    tensors_.reset();
    place_->setText(QString::fromStdString(workflows::describe_place(event)));
    line_->setText(registrationLine(event));
    chooser_->clear();
    chooser_->setEnabled(false);
    status_->setText(tr("Fetching the tensors..."));
    maps_->setVisible(hasFeatureMaps(event));
    if (hasFeatureMaps(event)) {
        maps_->setSamples(event.output_shapes[0][0]);
        maps_->showFetching();
    }
}

void TensorInspector::setTensors(const session::TrainTensorsPtr& tensors) {
    if (!tensors || !event_ || tensors->event.step != event_->step ||
        tensors->event.seq != event_->seq)
        return;
    tensors_ = tensors;
    const QString place = place_->text();
    if (!tensors->error.empty()) {
        const QString error = QString::fromStdString(tensors->error);
        chooser_->clear();
        chooser_->setEnabled(false);
        status_->setText(error);
        view_->showUnavailable(place, error);
        maps_->showMessage(error);
        return;
    }
    // The worker names each snapshot as PyTorch's hook calls it; unnamed ones get our guess.
    QStringList labels = ui::tensorLabels(*event_, true, tensors->inputs.size());
    labels += ui::tensorLabels(*event_, false, tensors->outputs.size());
    for (int i = 0; i < labels.size(); ++i)
        if (const session::TensorSnapshot* s = snapshot(i); s && !s->name.empty())
            labels[i] = QString::fromStdString(s->name);
    chooser_->clear();
    chooser_->addItems(labels);
    chooser_->setEnabled(!labels.isEmpty());
    status_->setText(labels.isEmpty() ? tr("This hook has no tensors.") : QString());
    // Keep the user's choice; else the output (or grad_output, grad), which is what hooks inspect.
    int pick = labels.indexOf(wanted_);
    if (pick < 0) pick = tensors->outputs.empty() ? 0 : int(tensors->inputs.size());
    chooser_->setCurrentIndex(labels.isEmpty() ? -1 : pick);
    showChosen();
    if (hasFeatureMaps(*event_))
        maps_->setMaps(tensors->feature_maps ? &*tensors->feature_maps : nullptr);
}

const session::TensorSnapshot* TensorInspector::chosen() const {
    return snapshot(chooser_->currentIndex());
}

const session::TensorSnapshot* TensorInspector::snapshot(int i) const {
    if (!tensors_ || i < 0) return nullptr;
    const auto n_in = static_cast<int>(tensors_->inputs.size());
    if (i < n_in) return &tensors_->inputs[std::size_t(i)];
    if (i - n_in < static_cast<int>(tensors_->outputs.size()))
        return &tensors_->outputs[std::size_t(i - n_in)];
    return nullptr;
}

void TensorInspector::showChosen() {
    const session::TensorSnapshot* s = chosen();
    if (!s) {
        view_->showUnavailable(place_->text(), tr("no tensor was sent for this hook"));
        return;
    }
    view_->setSnapshot(*s);
    // Kernels are a convolution weight's (its gradient, in a parameter's hook); an activation
    // [N, C, H, W] is shown by the feature maps instead.
    if (event_ && event_->kind != HookKind::ParamGrad) {
        if (view_->currentTab() == TensorView::Tab::Kernels)
            view_->setCurrentTab(TensorView::Tab::Histogram);
        view_->tabs()->setTabEnabled(int(TensorView::Tab::Kernels), false);
    }
}

void TensorInspector::showMessage(const QString& text) {
    event_.reset();
    tensors_.reset();
    place_->clear();
    line_->clear();
    chooser_->clear();
    chooser_->setEnabled(false);
    status_->setText(text);
    view_->clear();
    maps_->hide();
}

QStringList TensorInspector::tensorLabels() const {
    QStringList labels;
    for (int i = 0; i < chooser_->count(); ++i)
        labels << chooser_->itemText(i);
    return labels;
}

QString TensorInspector::chosenLabel() const {
    return chooser_->currentText();
}

void TensorInspector::choose(const QString& label) {
    const int i = chooser_->findText(label);
    if (i < 0) return;
    wanted_ = label;
    chooser_->setCurrentIndex(i);
    showChosen();
}

QString TensorInspector::registrationText() const {
    return line_->text();
}

QString TensorInspector::statusText() const {
    return status_->text();
}

} // namespace nnscope::ui
