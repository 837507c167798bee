#include "ui/lab/draws_view.h"

#include "ui/lab/lab_plot.h"

#include <QVBoxLayout>
#include <cmath>
#include <numeric>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

const QColor kNever(0xd6, 0x27, 0x28);
const QColor kRepeated(0xf2, 0x8e, 0x2b);

QCPBars* bars(QCustomPlot& plot, const QString& name, const QColor& colour) {
    auto* b = new QCPBars(plot.xAxis, plot.yAxis);
    b->setName(name);
    b->setPen(Qt::NoPen);
    b->setBrush(colour);
    b->setWidth(0.8);
    return b;
}

} // namespace

DrawStats drawStats(const workflows::LoaderAnalysis& analysis) {
    DrawStats s;
    s.counts = analysis.draw_counts;
    const auto n = std::size_t(analysis.dataset_size);
    s.counts.resize(n, 0);
    s.repeated.assign(n, 0);
    std::vector<std::int64_t> in_epoch(n, 0);
    for (const auto& e : analysis.epochs) {
        std::fill(in_epoch.begin(), in_epoch.end(), 0);
        for (auto i : e.order)
            if (i >= 0 && std::size_t(i) < n && ++in_epoch[std::size_t(i)] == 2)
                s.repeated[std::size_t(i)] = 1;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (s.counts[i] == 0) s.never.push_back(std::int64_t(i));
        s.repeated_samples += s.repeated[i];
    }
    return s;
}

DrawsView::DrawsView(QWidget* parent)
    : LabView(parent)
    , draws_(new LabPlot(QStringLiteral("draws"), this))
    , classes_(new LabPlot(QStringLiteral("classes"), this)) {
    QCustomPlot& p = *draws_->plot();
    drawn_ = bars(p, tr("drawn"), categoryColour(0));
    repeated_ = bars(p, tr("twice or more in an epoch"), kRepeated);
    never_ = bars(p, tr("never drawn"), kNever);
    never_marks_ = p.addGraph();
    never_marks_->setName(tr("never drawn"));
    never_marks_->setLineStyle(QCPGraph::lsNone);
    never_marks_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(kNever, 1.5), kNever, 7));
    p.yAxis->setLabel(tr("times drawn"));
    p.xAxis->grid()->setVisible(false);

    QCustomPlot& c = *classes_->plot();
    class_drawn_ = bars(c, tr("drawn"), categoryColour(0));
    class_expected_ = bars(c, tr("expected from the data set"), categoryColour(9));
    class_drawn_->setWidth(0.4);
    class_expected_->setWidth(0.4);
    auto* group = new QCPBarsGroup(&c);
    class_drawn_->setBarsGroup(group);
    class_expected_->setBarsGroup(group);
    c.yAxis->setLabel(tr("samples drawn"));
    c.xAxis->setLabel(tr("class"));
    c.xAxis->grid()->setVisible(false);
    legendAbove(p, 2);
    legendAbove(c, 2);
    integerTicks(*p.xAxis);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(draws_, 1);
    layout->addWidget(classes_, 1);
    draws_->setHover([this](const QPointF& pos) { return drawsHover(pos); },
                     tr("Point at a bar to read its count."));
    classes_->setHover([this](const QPointF& pos) { return classesHover(pos); },
                       tr("Point at a class to read drawn against expected."));
    draws_->setCsv([this] { return drawsCsv(); });
    classes_->setCsv([this] { return classesCsv(); });
    draws_->showMessage(tr("No analysis yet."));
    classes_->showMessage(tr("No analysis yet."));
}

void DrawsView::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    stats_ = drawStats(*analysis_);
    showDraws();
    showClasses();
}

void DrawsView::showDraws() {
    const auto& a = *analysis_;
    QCustomPlot& p = *draws_->plot();
    if (a.dataset_size == 0) {
        draws_->setNote({});
        draws_->showMessage(tr("The data set is empty."));
        return;
    }
    by_index_ = a.dataset_size <= kMaxIndexBars;
    const QString epochs_text = countOf(std::int64_t(a.epochs.size()), tr("epoch"), tr("epochs"));
    QVector<double> keys, once, repeated, never_keys, never;
    histogram_.clear();
    std::int64_t most = 0;
    if (by_index_) {
        for (std::size_t i = 0; i < stats_.counts.size(); ++i) {
            const double count = double(stats_.counts[i]);
            most = std::max(most, stats_.counts[i]);
            (stats_.repeated[i] ? repeated : once) << count;
            (stats_.repeated[i] ? once : repeated) << 0.0;
            keys << double(i);
            if (stats_.counts[i] == 0) never_keys << double(i);
        }
        never = QVector<double>(never_keys.size(), 0.0);
        p.xAxis->setLabel(tr("dataset index"));
        p.yAxis->setLabel(tr("times drawn"));
        drawn_->setName(tr("at most once an epoch"));
    } else {
        for (auto c : stats_.counts) {
            if (std::size_t(c) >= histogram_.size()) histogram_.resize(std::size_t(c) + 1, 0);
            ++histogram_[std::size_t(c)];
        }
        // A sample drawn more often than there are epochs was drawn twice in one of them.
        const auto epochs = std::int64_t(a.epochs.size());
        for (std::size_t k = 0; k < histogram_.size(); ++k) {
            const double n = double(histogram_[k]);
            most = std::max(most, histogram_[k]);
            keys << double(k);
            once << (k > 0 && std::int64_t(k) <= epochs ? n : 0.0);
            repeated << (std::int64_t(k) > epochs ? n : 0.0);
            never << (k == 0 ? n : 0.0);
        }
        p.xAxis->setLabel(tr("times drawn over %1").arg(epochs_text));
        p.yAxis->setLabel(tr("samples"));
        drawn_->setName(tr("drawn"));
    }
    drawn_->setData(keys, once, true);
    repeated_->setData(keys, repeated, true);
    if (by_index_) {
        never_->data()->clear();
        never_marks_->setData(never_keys, never, true);
    } else {
        never_->setData(keys, never, true);
        never_marks_->data()->clear();
    }
    never_->setVisible(!by_index_);
    never_marks_->setVisible(by_index_);
    p.legend->clearItems();
    drawn_->addToLegend();
    if (stats_.repeated_samples > 0) repeated_->addToLegend();
    if (!stats_.never.empty())
        (by_index_ ? static_cast<QCPAbstractPlottable*>(never_marks_)
                   : static_cast<QCPAbstractPlottable*>(never_))
            ->addToLegend();
    p.xAxis->setRange(-0.7, double(keys.size()) - 0.3);
    p.yAxis->setRange(0, double(std::max<std::int64_t>(most, 1)) * 1.15);

    QString note =
        tr("%1 samples, %2 draws over %3: ")
            .arg(a.dataset_size)
            .arg(std::accumulate(stats_.counts.begin(), stats_.counts.end(), std::int64_t(0)))
            .arg(epochs_text);
    note += tr("%1 never drawn, %2 drawn twice or more in one epoch (%3 repeated draws).")
                .arg(stats_.never.size())
                .arg(stats_.repeated_samples)
                .arg(a.duplicates);
    if (!stats_.never.empty() && stats_.never.size() <= 20)
        note += tr(" Never drawn: %1.").arg(indexList(stats_.never, 20));
    draws_->setNote(note);
    draws_->setExportTitle(tr("Draws of %1 (%2 samples), %3")
                               .arg(QString::fromStdString(a.dataset))
                               .arg(a.dataset_size)
                               .arg(epochs_text));
    draws_->showPlot();
}

double DrawsView::expected(std::size_t c) const {
    const auto& a = *analysis_;
    const double total =
        double(std::accumulate(a.class_counts.begin(), a.class_counts.end(), std::int64_t(0)));
    const double drawn = double(
        std::accumulate(a.drawn_per_class.begin(), a.drawn_per_class.end(), std::int64_t(0)));
    return total > 0 ? double(a.class_counts[c]) / total * drawn : 0.0;
}

void DrawsView::showClasses() {
    const auto& a = *analysis_;
    if (a.class_counts.empty()) {
        classes_->setNote({});
        classes_->showMessage(
            tr("No class plot: the labels are unknown, or there are more than %1 classes "
               "(range:N labels each sample with its own index).")
                .arg(workflows::LoaderAnalysis::kMaxClasses));
        return;
    }
    QVector<double> keys, drawn, expect;
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    const std::size_t n = a.class_counts.size();
    double most = 1;
    for (std::size_t c = 0; c < n; ++c) {
        keys << double(c);
        drawn << (c < a.drawn_per_class.size() ? double(a.drawn_per_class[c]) : 0.0);
        expect << expected(c);
        most = std::max({most, drawn.back(), expect.back()});
        // Names when they fit: a label every class up to 12, every few classes beyond.
        const std::size_t every = n <= 12 ? 1 : (n + 11) / 12;
        if (c % every == 0)
            ticker->addTick(double(c), n <= 12 && !a.class_names.empty()
                                           ? QString::fromStdString(a.class_names[c])
                                           : QString::number(c));
    }
    QCustomPlot& p = *classes_->plot();
    p.xAxis->setTicker(ticker);
    p.xAxis->setTickLabelRotation(n > 5 && !a.class_names.empty() ? 35 : 0);
    class_drawn_->setData(keys, drawn, true);
    class_expected_->setData(keys, expect, true);
    p.xAxis->setRange(-0.6, double(n) - 0.4);
    p.yAxis->setRange(0, most * 1.2);
    classes_->setNote(tr("Samples drawn by class against the data set's own distribution "
                         "(expected = the class's share x %1 samples drawn).")
                          .arg(std::accumulate(a.drawn_per_class.begin(), a.drawn_per_class.end(),
                                               std::int64_t(0))));
    classes_->setExportTitle(tr("Classes drawn from %1").arg(QString::fromStdString(a.dataset)));
    classes_->showPlot();
}

QString DrawsView::drawsHover(const QPointF& pos) const {
    if (!analysis_) return {};
    const QCustomPlot& p = *draws_->plot();
    const auto k = std::int64_t(std::floor(p.xAxis->pixelToCoord(pos.x()) + 0.5));
    if (by_index_) {
        if (k < 0 || k >= std::int64_t(stats_.counts.size())) return {};
        QString text =
            sampleText(*analysis_, k) +
            tr(": drawn %1").arg(countOf(stats_.counts[std::size_t(k)], tr("time"), tr("times")));
        if (stats_.repeated[std::size_t(k)]) text += tr(", twice or more in one epoch");
        return text;
    }
    if (k < 0 || k >= std::int64_t(histogram_.size())) return {};
    return tr("%1 drawn %2")
        .arg(countOf(histogram_[std::size_t(k)], tr("sample"), tr("samples")),
             countOf(k, tr("time"), tr("times")));
}

QString DrawsView::classesHover(const QPointF& pos) const {
    if (!analysis_ || analysis_->class_counts.empty()) return {};
    const auto c = std::int64_t(std::floor(classes_->plot()->xAxis->pixelToCoord(pos.x()) + 0.5));
    if (c < 0 || c >= std::int64_t(analysis_->class_counts.size())) return {};
    const auto drawn = analysis_->drawn_per_class[std::size_t(c)];
    const double want = expected(std::size_t(c));
    QString text = tr("class %1: drawn %2, expected %3 (%4 in the data set)")
                       .arg(classText(c, analysis_->class_names))
                       .arg(drawn)
                       .arg(want, 0, 'f', 1)
                       .arg(analysis_->class_counts[std::size_t(c)]);
    if (want > 0) text += tr(", %1%").arg((double(drawn) / want - 1) * 100, 0, 'f', 1);
    return text;
}

QString DrawsView::drawsCsv() const {
    QString text;
    if (by_index_) {
        text = QStringLiteral("index,draws,repeated_in_an_epoch\n");
        for (std::size_t i = 0; i < stats_.counts.size(); ++i)
            text +=
                QStringLiteral("%1,%2,%3\n").arg(i).arg(stats_.counts[i]).arg(stats_.repeated[i]);
        return text;
    }
    text = QStringLiteral("draws,samples\n");
    for (std::size_t k = 0; k < histogram_.size(); ++k)
        text += QStringLiteral("%1,%2\n").arg(k).arg(histogram_[k]);
    return text;
}

QString DrawsView::classesCsv() const {
    if (!analysis_) return {};
    const auto& a = *analysis_;
    QString text = QStringLiteral("class,name,in_dataset,drawn,expected\n");
    for (std::size_t c = 0; c < a.class_counts.size(); ++c)
        text += QStringLiteral("%1,%2,%3,%4,%5\n")
                    .arg(c)
                    .arg(c < a.class_names.size() ? QString::fromStdString(a.class_names[c])
                                                  : QString())
                    .arg(a.class_counts[c])
                    .arg(a.drawn_per_class[c])
                    .arg(expected(c), 0, 'g', 10);
    return text;
}

} // namespace nnscope::ui
