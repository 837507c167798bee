#include "ui/train/overhead_meter.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <cmath>

namespace nnscope::ui {

namespace {
double seconds(double s) {
    return std::isfinite(s) && s > 0 ? s : 0;
}
} // namespace

double overheadShare(double train_seconds, double observe_seconds) {
    const double train = seconds(train_seconds), observe = seconds(observe_seconds);
    return train + observe > 0 ? observe / (train + observe) : 0;
}

OverheadMeter::OverheadMeter(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    bar_ = new QProgressBar(this);
    bar_->setObjectName(QStringLiteral("overheadBar"));
    bar_->setRange(0, 1000);
    bar_->setFormat(QStringLiteral("hooks %p%"));
    bar_->setMaximumWidth(110);
    bar_->setMaximumHeight(18);
    rate_ = new QLabel(this);
    rate_->setObjectName(QStringLiteral("stepsPerSecond"));
    layout->addWidget(bar_);
    layout->addWidget(rate_);
    clear();
}

void OverheadMeter::setSeconds(double train_seconds, double observe_seconds,
                               double steps_per_second) {
    share_ = overheadShare(train_seconds, observe_seconds);
    bar_->setValue(static_cast<int>(std::lround(share_ * 1000)));
    rate_->setText(std::isfinite(steps_per_second) && steps_per_second > 0
                       ? tr("%1 steps/s").arg(steps_per_second, 0, 'f', 1)
                       : QString());
    const QString tip =
        tr("Time in hooks and statistics: %1 s; training (forward, backward, optimizer): %2 s")
            .arg(seconds(observe_seconds), 0, 'f', 2)
            .arg(seconds(train_seconds), 0, 'f', 2);
    bar_->setToolTip(tip);
    setToolTip(tip);
}

void OverheadMeter::clear() {
    share_ = 0;
    bar_->setValue(0);
    rate_->clear();
    setToolTip(tr("The share of time spent in hooks and statistics against training"));
}

QString OverheadMeter::text() const {
    return tr("hooks and statistics %1%").arg(share_ * 100, 0, 'f', 1);
}

} // namespace nnscope::ui
