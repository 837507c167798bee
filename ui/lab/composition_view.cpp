#include "ui/lab/composition_view.h"

#include "ui/lab/lab_plot.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr std::size_t kMaxLegendClasses = 12;

} // namespace

CompositionView::CompositionView(QWidget* parent)
    : LabView(parent)
    , epoch_(new QSpinBox(this))
    , plot_(new LabPlot(QStringLiteral("batches"), this)) {
    epoch_->setRange(0, 0);
    epoch_->setToolTip(tr("The epoch whose batches are shown"));
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Epoch"), this));
    row->addWidget(epoch_);
    row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(plot_, 1);
    connect(epoch_, &QSpinBox::valueChanged, this, [this] {
        if (analysis_) showEpoch();
    });
    QCustomPlot& p = *plot_->plot();
    p.xAxis->setLabel(tr("batch"));
    p.yAxis->setLabel(tr("samples"));
    p.xAxis->grid()->setVisible(false);
    legendAbove(p, 4);
    integerTicks(*p.xAxis);
    plot_->setHover([this](const QPointF& pos) { return hoverAt(pos); },
                    tr("Point at a batch to read its classes."));
    plot_->setCsv([this] { return csvText(); });
    plot_->showMessage(tr("No analysis yet."));
}

void CompositionView::setEpoch(int epoch) {
    epoch_->setValue(epoch);
}

int CompositionView::epoch() const {
    return epoch_->value();
}

void CompositionView::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    const QSignalBlocker block(epoch_);
    epoch_->setRange(0, std::max(0, int(analysis_->epochs.size()) - 1));
    showEpoch();
}

void CompositionView::showEpoch() {
    const auto& a = *analysis_;
    const auto e = std::size_t(epoch());
    if (e >= a.epochs.size() || a.epochs[e].batch_sizes.empty()) {
        counts_.clear();
        plot_->setNote({});
        plot_->showMessage(tr("The loader draws no batch in this epoch."));
        return;
    }
    const auto& epoch = a.epochs[e];
    const bool classes = !a.class_counts.empty();
    counts_ = classes ? workflows::batch_class_counts(a, e)
                      : std::vector<std::vector<std::int64_t>>(epoch.batch_sizes.size());
    if (!classes)
        for (std::size_t b = 0; b < counts_.size(); ++b)
            counts_[b] = {epoch.batch_sizes[b]};
    const std::size_t layers = classes ? a.class_counts.size() : 1;

    QCustomPlot& p = *plot_->plot();
    if (stacks_.size() != layers) {
        for (QCPBars* b : stacks_)
            p.removePlottable(b);
        stacks_.clear();
        for (std::size_t c = 0; c < layers; ++c) {
            auto* b = new QCPBars(p.xAxis, p.yAxis);
            b->setName(classes ? classText(std::int64_t(c), a.class_names) : tr("samples"));
            b->setPen(Qt::NoPen);
            b->setBrush(categoryColour(c));
            b->setWidth(0.85);
            if (!stacks_.empty()) b->moveAbove(stacks_.back());
            stacks_.push_back(b);
        }
        if (!dropped_) {
            dropped_ = new QCPBars(p.xAxis, p.yAxis);
            dropped_->setName(tr("dropped (drop_last)"));
            dropped_->setWidth(0.85);
        }
    }
    for (std::size_t c = 0; c < layers; ++c)
        stacks_[c]->setName(classes ? classText(std::int64_t(c), a.class_names) : tr("samples"));
    dropped_->setPen(QPen(palette().color(QPalette::WindowText), 1));
    dropped_->setBrush(QBrush(palette().color(QPalette::WindowText), Qt::BDiagPattern));

    const auto batches = std::int64_t(counts_.size());
    per_bar_ = std::max<std::int64_t>(1, (batches + kMaxBars - 1) / kMaxBars);
    const std::int64_t bars = (batches + per_bar_ - 1) / per_bar_;
    double most = 1;
    std::vector<double> totals(std::size_t(bars), 0.0);
    for (std::size_t c = 0; c < layers; ++c) {
        QVector<double> keys, values;
        for (std::int64_t g = 0; g < bars; ++g) {
            const std::int64_t lo = g * per_bar_, hi = std::min(batches, lo + per_bar_);
            double sum = 0;
            for (std::int64_t b = lo; b < hi; ++b)
                sum += double(counts_[std::size_t(b)][c]);
            keys << double(g);
            values << sum / double(hi - lo);
            totals[std::size_t(g)] += values.back();
        }
        stacks_[c]->setData(keys, values, true);
    }
    for (double t : totals)
        most = std::max(most, t);
    const auto dropped = std::int64_t(epoch.dropped.size());
    dropped_->setData(QVector<double>{double(bars)}, QVector<double>{double(dropped)}, true);
    dropped_->setVisible(dropped > 0);
    most = std::max(most, double(dropped));

    p.legend->clearItems();
    if (classes && layers <= kMaxLegendClasses)
        for (QCPBars* b : stacks_)
            b->addToLegend();
    if (dropped > 0) dropped_->addToLegend();
    p.legend->setVisible(p.legend->itemCount() > 0);
    p.xAxis->setLabel(
        per_bar_ > 1 ? tr("batch group (%1 batches each; bars show the mean batch)").arg(per_bar_)
                     : tr("batch"));
    p.xAxis->setRange(-0.7, double(bars) + (dropped > 0 ? 1.0 : 0.0) - 0.3);
    p.yAxis->setRange(0, most * 1.05);

    QString note =
        tr("Epoch %1: %2").arg(epoch.epoch).arg(countOf(batches, tr("batch"), tr("batches")));
    note += tr(" of %1 samples, the last of %2.")
                .arg(epoch.batch_sizes.front())
                .arg(epoch.batch_sizes.back());
    if (dropped > 0)
        note +=
            tr(" drop_last dropped %1 (hatched): %2.")
                .arg(countOf(dropped, tr("sample"), tr("samples")), indexList(epoch.dropped, 12));
    else
        note += tr(" Nothing dropped.");
    if (classes && layers > kMaxLegendClasses)
        note +=
            tr(" %1 classes: colours repeat every 12; point at a bar to read them.").arg(layers);
    plot_->setNote(note);
    plot_->setExportTitle(
        tr("Batches of %1, epoch %2").arg(QString::fromStdString(a.dataset)).arg(epoch.epoch));
    plot_->showPlot();
}

QString CompositionView::hoverAt(const QPointF& pos) const {
    if (!analysis_ || counts_.empty()) return {};
    const auto g = std::int64_t(std::floor(plot_->plot()->xAxis->pixelToCoord(pos.x()) + 0.5));
    const auto& epoch = analysis_->epochs[std::size_t(this->epoch())];
    const auto batches = std::int64_t(counts_.size());
    const std::int64_t bars = (batches + per_bar_ - 1) / per_bar_;
    if (g == bars && !epoch.dropped.empty())
        return tr("dropped by drop_last: %1").arg(indexList(epoch.dropped, 32));
    if (g < 0 || g >= bars) return {};
    const std::int64_t lo = g * per_bar_, hi = std::min(batches, lo + per_bar_);
    std::vector<std::int64_t> sum(counts_.front().size(), 0);
    std::int64_t size = 0;
    for (std::int64_t b = lo; b < hi; ++b) {
        for (std::size_t c = 0; c < sum.size(); ++c)
            sum[c] += counts_[std::size_t(b)][c];
        size += epoch.batch_sizes[std::size_t(b)];
    }
    QString text = hi - lo == 1 ? tr("batch %1: %2 samples").arg(lo).arg(size)
                                : tr("batches %1-%2: %3 samples").arg(lo).arg(hi - 1).arg(size);
    if (analysis_->class_counts.empty()) return text;
    QStringList parts;
    for (std::size_t c = 0; c < sum.size(); ++c)
        if (sum[c] > 0)
            parts << tr("%1 x %2").arg(sum[c]).arg(
                classText(std::int64_t(c), analysis_->class_names));
    return text + QStringLiteral(": ") + parts.join(QStringLiteral(", "));
}

QString CompositionView::csvText() const {
    if (!analysis_ || counts_.empty()) return {};
    const auto& epoch = analysis_->epochs[std::size_t(this->epoch())];
    const bool classes = !analysis_->class_counts.empty();
    QString text = QStringLiteral("epoch,batch,size");
    if (classes)
        for (std::size_t c = 0; c < analysis_->class_counts.size(); ++c)
            text += QStringLiteral(",class_%1").arg(c);
    text += QLatin1Char('\n');
    for (std::size_t b = 0; b < counts_.size(); ++b) {
        text += QStringLiteral("%1,%2,%3").arg(epoch.epoch).arg(b).arg(epoch.batch_sizes[b]);
        if (classes)
            for (auto n : counts_[b])
                text += QLatin1Char(',') + QString::number(n);
        text += QLatin1Char('\n');
    }
    if (!epoch.dropped.empty())
        text += QStringLiteral("%1,dropped,%2\n").arg(epoch.epoch).arg(epoch.dropped.size());
    return text;
}

} // namespace nnscope::ui
