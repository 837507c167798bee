#include "ui/lab/workers_view.h"

#include "ui/lab/index_map.h"
#include "ui/lab/lab_plot.h"
#include "ui/models/lab_worker_model.h"
#include "ui/tensor_view/colour_scale.h"
#include "ui/tensor_view/plot_export.h"

#include <QHeaderView>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr std::int64_t kMaxCells = 300;
constexpr int kMaxLabelledRows = 16;

// A stream's k-th draw; NaN (a blank cell) when the analysis holds fewer draws than samples.
double drawAt(const std::vector<double>& draws, std::int64_t k) {
    return std::size_t(k) < draws.size() ? draws[std::size_t(k)]
                                         : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

WorkersView::WorkersView(QWidget* parent)
    : LabView(parent)
    , plot_(new LabPlot(QStringLiteral("workers"), this))
    , model_(new LabWorkerModel(this))
    , table_(new QTableView(this)) {
    QCustomPlot& p = *plot_->plot();
    p.plotLayout()->clear();
    left_ = new QCPAxisRect(&p);
    right_ = new QCPAxisRect(&p);
    p.plotLayout()->addElement(0, 0, left_);
    p.plotLayout()->addElement(0, 1, right_);
    auto* scale = new QCPColorScale(&p);
    p.plotLayout()->addElement(0, 2, scale);
    scale->setType(QCPAxis::atRight);
    scale->axis()->setLabel(tr("draw"));
    auto* margins = new QCPMarginGroup(&p);
    ColourScale colours = chooseColourScale(0, 1, palette());
    colours.gradient.setNanHandling(QCPColorGradient::nhTransparent);
    for (QCPAxisRect* rect : {left_, right_}) {
        rect->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
        auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        map->setColorScale(scale);
        map->setInterpolate(false);
        map->setTightBoundary(false);
        map->setGradient(colours.gradient);
        map->setDataRange(QCPRange(0, 1));
        (rect == left_ ? unseeded_ : seeded_) = map;
        rect->axis(QCPAxis::atLeft)->setRangeReversed(true);
        rect->axis(QCPAxis::atLeft)->grid()->setVisible(false);
        rect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
        rect->axis(QCPAxis::atBottom)->setLabel(tr("sample the worker loads"));
        integerTicks(*rect->axis(QCPAxis::atBottom));
    }
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    left_->axis(QCPAxis::atTop)->setVisible(true);
    left_->axis(QCPAxis::atTop)->setTicks(false);
    left_->axis(QCPAxis::atTop)->setLabel(tr("numpy unseeded"));
    right_->axis(QCPAxis::atTop)->setVisible(true);
    right_->axis(QCPAxis::atTop)->setTicks(false);
    right_->axis(QCPAxis::atTop)->setLabel(tr("numpy seeded per worker"));

    table_->setModel(model_);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(plot_);
    split->addWidget(table_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    plot_->setHover([this](const QPointF& pos) { return hoverAt(pos); },
                    tr("Point at a cell to read the worker, its seed and the draw."));
    plot_->setCsv([this] { return csvText(); });
    plot_->showMessage(tr("No analysis yet."));
}

void WorkersView::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    model_->setAnalysis(analysis_);
    const auto& a = *analysis_;
    table_->setVisible(!a.workers.empty());
    if (a.config.num_workers == 0) {
        plot_->setNote({});
        plot_->showMessage(
            tr("num_workers = 0: the main process loads every batch with one random state, so "
               "nothing repeats across workers. Set num_workers > 0 to see each worker's torch "
               "seed (base_seed + worker) and what an unseeded library like numpy draws in it."));
        return;
    }
    if (a.workers.empty()) {
        plot_->setNote({});
        plot_->showMessage(tr("The analysis holds no worker draws."));
        return;
    }
    std::vector<std::int64_t> lengths;
    for (const auto& w : a.workers)
        lengths.push_back(std::int64_t(w.indices.size()));
    const auto& streams = a.workers;
    fillCells(
        *unseeded_->data(), lengths,
        [&](std::size_t r, std::int64_t p) { return drawAt(streams[r].unseeded, p); }, kMaxCells);
    const std::int64_t per_cell = fillCells(
        *seeded_->data(), lengths,
        [&](std::size_t r, std::int64_t p) { return drawAt(streams[r].seeded, p); }, kMaxCells);
    const std::int64_t length = *std::max_element(lengths.begin(), lengths.end());
    const int n = int(streams.size());
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    if (n <= kMaxLabelledRows)
        for (int r = 0; r < n; ++r)
            ticker->addTick(r, tr("e%1 w%2")
                                   .arg(streams[std::size_t(r)].epoch)
                                   .arg(streams[std::size_t(r)].worker));
    for (QCPAxisRect* rect : {left_, right_}) {
        rect->axis(QCPAxis::atLeft)->setTicker(ticker);
        rect->axis(QCPAxis::atLeft)->setRange(-0.5, n - 0.5);
        rect->axis(QCPAxis::atBottom)
            ->setRange(-0.5, double(std::max<std::int64_t>(length, 1)) - 0.5);
    }
    right_->axis(QCPAxis::atLeft)->setTickLabels(false);
    // Which of the two streams this configuration's workers get: a numpy RandomState the dataset
    // made in the parent is never reseeded unless worker_init_fn does it.
    const bool reseeds = a.config.worker_init_fn == data::WorkerInitChoice::SeedNumpy;
    left_->axis(QCPAxis::atTop)
        ->setLabel(reseeds ? tr("numpy made in the parent, not reseeded")
                           : tr("numpy made in the parent, not reseeded (this configuration)"));
    right_->axis(QCPAxis::atTop)
        ->setLabel(reseeds ? tr("reseeded by worker_init_fn (this configuration)")
                           : tr("reseeded by worker_init_fn seed-numpy"));

    const auto unseeded = repeatedStreams(streams, false);
    const auto seeded = repeatedStreams(streams, true);
    const auto repeats = [](const std::vector<int>& r) {
        return std::count_if(r.begin(), r.end(), [](int j) { return j >= 0; });
    };
    QString note = tr("%1 workers over %2; worker w's torch seed is base_seed + w. ")
                       .arg(a.config.num_workers)
                       .arg(countOf(std::int64_t(a.epochs.size()), tr("epoch"), tr("epochs")));
    note += tr("Unseeded, %1 of %2 rows repeat an earlier row's draws; seeded per worker, %3.")
                .arg(repeats(unseeded))
                .arg(n)
                .arg(repeats(seeded));
    note += reseeds ? tr(" This configuration reseeds numpy in each worker (worker_init_fn "
                         "seed-numpy): the right map.")
                    : tr(" This configuration has no worker_init_fn: a numpy generator the data "
                         "set made in the parent repeats as in the left map (PyTorch 1.13 reseeds "
                         "only numpy's global state itself).");
    if (per_cell > 1) note += tr(" One cell = the mean of %1 draws.").arg(per_cell);
    plot_->setNote(note);
    plot_->setExportTitle(tr("Worker random streams of %1, %2 workers")
                              .arg(QString::fromStdString(a.dataset))
                              .arg(a.config.num_workers));
    plot_->showPlot();
}

QString WorkersView::hoverAt(const QPointF& pos) const {
    if (!analysis_ || analysis_->workers.empty()) return {};
    for (QCPAxisRect* rect : {left_, right_}) {
        if (!rect->rect().contains(pos.toPoint())) continue;
        const auto r =
            std::int64_t(std::floor(rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y()) + 0.5));
        const auto k =
            std::int64_t(std::floor(rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x()) + 0.5));
        const auto& streams = analysis_->workers;
        if (r < 0 || r >= std::int64_t(streams.size())) return {};
        const auto& w = streams[std::size_t(r)];
        if (k < 0 || k >= std::int64_t(w.indices.size())) return {};
        const bool seeded = rect == right_;
        return tr("epoch %1, worker %2 (torch seed %3), sample %4: ")
                   .arg(w.epoch)
                   .arg(w.worker)
                   .arg(w.torch_seed)
                   .arg(k) +
               sampleText(*analysis_, w.indices[std::size_t(k)]) +
               tr(", %1 draw %2")
                   .arg(seeded ? tr("seeded") : tr("unseeded"))
                   .arg(drawAt(seeded ? w.seeded : w.unseeded, k), 0, 'f', 6);
    }
    return {};
}

QString WorkersView::csvText() const {
    if (!analysis_) return {};
    QString text = QStringLiteral("epoch,worker,torch_seed,sample,index,unseeded,seeded\n");
    for (const auto& w : analysis_->workers)
        for (std::size_t k = 0; k < w.indices.size(); ++k)
            text += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                        .arg(w.epoch)
                        .arg(w.worker)
                        .arg(w.torch_seed)
                        .arg(k)
                        .arg(w.indices[k])
                        .arg(csvNumber(drawAt(w.unseeded, std::int64_t(k))),
                             csvNumber(drawAt(w.seeded, std::int64_t(k))));
    return text;
}

} // namespace nnscope::ui
