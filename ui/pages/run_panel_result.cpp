// The Run panel's answers: the top-k list, the saliency blended over the input image, the
// message line.

#include "ui/lab/tensor_image.h"
#include "ui/pages/run_panel.h"

#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QTreeWidget>
#include <cmath>

namespace nnscope::ui {

namespace {

// The saliency (float32 [H, W], any scale) over `base` (the input image, same H x W): hot colours
// whose opacity follows the saliency, so the image shows through where the model did not look.
QImage blend_saliency(QImage base, const Tensor& saliency) {
    const Tensor s = saliency.contiguous();
    const std::int64_t h = s.size(0), w = s.size(1);
    if (base.isNull() || base.width() != w || base.height() != h) {
        base = QImage(static_cast<int>(w), static_cast<int>(h), QImage::Format_RGB32);
        base.fill(Qt::black);
    }
    base = base.convertToFormat(QImage::Format_RGB32);
    const float* v = s.data_ptr<float>();
    float top = 0;
    for (std::int64_t i = 0; i < h * w; ++i)
        if (std::isfinite(v[i])) top = std::max(top, v[i]);
    if (top <= 0) return base;
    for (std::int64_t y = 0; y < h; ++y) {
        auto* row = reinterpret_cast<QRgb*>(base.scanLine(static_cast<int>(y)));
        for (std::int64_t x = 0; x < w; ++x) {
            const float a = std::isfinite(v[y * w + x]) ? v[y * w + x] / top : 0.0f;
            const float alpha = std::min(1.0f, std::sqrt(a)) * 0.75f; // faint maps still show
            const float hr = 255.0f, hg = 255.0f * std::min(1.0f, a * 1.5f), hb = 0.0f;
            const QRgb p = row[x];
            row[x] = qRgb(static_cast<int>(qRed(p) * (1 - alpha) + hr * alpha),
                          static_cast<int>(qGreen(p) * (1 - alpha) + hg * alpha),
                          static_cast<int>(qBlue(p) * (1 - alpha) + hb * alpha));
        }
    }
    return base;
}

// How the list names a class: "281 tabby, tabby cat", "7 - seven" (MNIST's names start with
// their class: not twice), "3" without a name.
QString prediction_name(const workflows::Prediction& p) {
    const QString index = QString::number(p.index), name = QString::fromStdString(p.name);
    if (name.isEmpty()) return index;
    if (name.startsWith(index) && (name.size() == index.size() || !name.at(index.size()).isDigit()))
        return name;
    return QStringLiteral("%1 %2").arg(index, name);
}

} // namespace

void RunPanel::showResult(const session::RunModelResultPtr& result) {
    running_ = false;
    result_ = result;
    predictions_->clear();
    for (std::size_t i = 0; i < result->predictions.size(); ++i) {
        const auto& p = result->predictions[i];
        const QString name = prediction_name(p);
        auto* item = new QTreeWidgetItem(
            predictions_, {QString::number(i + 1), name,
                           QLocale().toString(100 * p.probability, 'f', 1) + QLatin1Char('%'),
                           QLocale().toString(p.score, 'g', 4)});
        item->setToolTip(1, name);
        item->setData(0, Qt::UserRole, static_cast<qlonglong>(p.index));
        for (int c : {0, 2, 3})
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }
    showSaliency();
    std::size_t recorded = 0;
    for (const auto& m : result->run.modules)
        recorded += m.output.defined() ? 1 : 0;
    QString input = QString::fromStdString(result->input.description);
    if (const auto& label = result->input.label) {
        const auto& names = result->input.class_names;
        input += tr(", label %1").arg(*label);
        if (*label >= 0 && *label < static_cast<std::int64_t>(names.size()))
            input += QStringLiteral(" (%1)").arg(
                QString::fromStdString(names[static_cast<std::size_t>(*label)]));
    }
    QString text = tr("%1 on %2: %3 modules recorded in %4 ms")
                       .arg(QString::fromStdString(result->model_kind), input)
                       .arg(recorded)
                       .arg(QLocale().toString(result->milliseconds, 'f', 0));
    if (result->run.objective && result->target)
        text += (result->backward == workflows::BackwardFrom::Loss ? tr("; loss vs label %1: %2")
                                                                   : tr("; score of class %1: %2"))
                    .arg(*result->target)
                    .arg(*result->run.objective, 0, 'g', 5);
    if (!result->load_report.empty())
        text += tr("; load_state_dict: %1").arg(QString::fromStdString(result->load_report));
    showMessage(text, false);
    updateEnabled();
    emit resultChanged(result_);
}

void RunPanel::showFailure(const QString& message) {
    running_ = false;
    clearResult();
    QString text = tr("The run failed: %1").arg(message);
    // The engine's refusal names the CLI's flag; here the pairing is the Architecture box.
    if (message.contains(QLatin1String("pair it with an architecture")))
        text += tr(" Here: choose one in the Architecture box above.");
    showMessage(text, true);
    updateEnabled();
}

void RunPanel::clearResult() {
    const bool had = result_ != nullptr;
    result_.reset();
    overlay_ = QImage();
    predictions_->clear();
    saliency_->clear();
    if (had) emit resultChanged(result_);
}

void RunPanel::showMessage(const QString& text, bool error) {
    message_is_error_ = error;
    message_->setText(text);
    message_->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

QString RunPanel::message() const {
    return message_->text();
}

void RunPanel::showSaliency() {
    overlay_ = QImage();
    if (!result_) return;
    const Tensor& image = result_->input.image;
    QImage base;
    if (image.defined())
        base = tensor_image(image);
    else if (result_->input.input.dim() == 4)
        base = tensor_image(result_->input.input.select(0, 0));
    if (result_->saliency.defined())
        overlay_ = blend_saliency(base, result_->saliency);
    else
        overlay_ = base;
    saliency_->setToolTip(result_->saliency.defined()
                              ? tr("Saliency (max |input gradient| over channels) over the input")
                              : tr("The input (run with a backward for its saliency)"));
    resizeEvent(nullptr);
}

void RunPanel::resizeEvent(QResizeEvent* event) {
    if (event) QWidget::resizeEvent(event);
    if (overlay_.isNull()) {
        saliency_->clear();
        return;
    }
    const QSize room = saliency_->size().boundedTo(overlay_.size() * 8);
    saliency_->setPixmap(QPixmap::fromImage(overlay_.scaled(
        room, Qt::KeepAspectRatio,
        overlay_.width() < room.width() ? Qt::FastTransformation : Qt::SmoothTransformation)));
}

} // namespace nnscope::ui
