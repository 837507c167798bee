#include "ui/pages/compare_page.h"

#include "ui/app_paths.h"
#include "ui/models/diff_series_model.h"
#include "ui/models/diff_table_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/compare_series_plot.h"
#include "ui/tensor_view/histogram_plot.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr int kSortRole = DiffTableModel::SortRole;
static_assert(int(DiffSeriesModel::SortRole) == kSortRole);
static_assert(int(DiffSeriesModel::TensorNameRole) == int(DiffTableModel::TensorNameRole));

QString fileName(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName();
}

QString describe(const workflows::CheckpointDiff& d) {
    using workflows::PairStatus;
    QString text = ComparePage::tr("%1 matched · %2 with another shape · %3 only in A · %4 only "
                                   "in B")
                       .arg(d.count(PairStatus::Matched))
                       .arg(d.count(PairStatus::ShapeMismatch))
                       .arg(d.count(PairStatus::OnlyInA))
                       .arg(d.count(PairStatus::OnlyInB));
    if (const auto n = d.count(PairStatus::Unreadable))
        text += ComparePage::tr(" · %1 unreadable").arg(n);
    QStringList stripped;
    if (d.stripped_a) stripped << QStringLiteral("A");
    if (d.stripped_b) stripped << QStringLiteral("B");
    if (!stripped.isEmpty())
        text += ComparePage::tr(" · \"module.\" stripped from every name of %1")
                    .arg(stripped.join(QStringLiteral(" and ")));
    return text;
}

// The differences of a pair as a snapshot the histogram shows: b − a's statistics and bins.
session::TensorSnapshot differenceSnapshot(const workflows::TensorComparison& t) {
    session::TensorSnapshot s;
    s.name = t.name;
    s.shape = t.shape_a;
    s.dtype = "float64";
    s.stats = t.diff->difference;
    s.histogram = t.diff->histogram;
    return s;
}

// Columns as wide as their contents, the name column at most 2/5 of the view (and never less
// than about 28 characters): the numbers stay visible at 1,024 px and long names elide.
void fitColumns(QTableView* table) {
    table->resizeColumnsToContents();
    const int floor = table->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 28;
    const int cap = std::max(table->viewport()->width() * 2 / 5, floor);
    if (table->columnWidth(0) > cap) table->setColumnWidth(0, cap);
}

} // namespace

ComparePage::ComparePage(QWidget* parent)
    : Workspace(parent)
    , jobs_(QStringLiteral("nnscope compare")) {
    setObjectName(QStringLiteral("comparePage"));
    diff_model_ = new DiffTableModel(this);
    series_model_ = new DiffSeriesModel(this);
    jobs_.add<session::DiffJob>();
    jobs_.start();
    buildLayout();
    connectJobs();
}

ComparePage::~ComparePage() {
    jobs_.stop(); // before the models it reports to go away
}

QTableView* ComparePage::makeTable(QAbstractItemModel* source, int sortColumn) {
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(source);
    proxy->setSortRole(kSortRole);
    auto* table = new QTableView(this);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(sortColumn, Qt::DescendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideMiddle);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView* header = table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setMinimumSectionSize(fontMetrics().horizontalAdvance(QStringLiteral("0000")));
    return table;
}

void ComparePage::buildLayout() {
    field_a_ = new QLineEdit(this);
    field_a_->setObjectName(QStringLiteral("compareFileA"));
    field_a_->setPlaceholderText(tr("checkpoint A (before)"));
    field_b_ = new QLineEdit(this);
    field_b_->setObjectName(QStringLiteral("compareFileB"));
    field_b_->setPlaceholderText(tr("checkpoint B (after); empty when A is a folder"));
    auto* browse_a = new QPushButton(tr("Browse…"), this);
    auto* browse_b = new QPushButton(tr("Browse…"), this);
    auto* folder = new QPushButton(tr("Folder…"), this);
    folder->setToolTip(tr("Compare every checkpoint in a folder as a sequence"));
    auto* run = new QPushButton(tr("Compare"), this);
    run->setDefault(true);
    connect(browse_a, &QPushButton::clicked, this, [this] { browse(field_a_); });
    connect(browse_b, &QPushButton::clicked, this, [this] { browse(field_b_); });
    connect(folder, &QPushButton::clicked, this, &ComparePage::browseFolder);
    connect(run, &QPushButton::clicked, this, &ComparePage::compareFields);
    connect(field_a_, &QLineEdit::returnPressed, this, &ComparePage::compareFields);
    connect(field_b_, &QLineEdit::returnPressed, this, &ComparePage::compareFields);

    auto* fields = new QGridLayout;
    fields->addWidget(new QLabel(tr("A"), this), 0, 0);
    fields->addWidget(field_a_, 0, 1);
    fields->addWidget(browse_a, 0, 2);
    fields->addWidget(folder, 0, 3);
    fields->addWidget(new QLabel(tr("B"), this), 1, 0);
    fields->addWidget(field_b_, 1, 1);
    fields->addWidget(browse_b, 1, 2);
    fields->addWidget(run, 1, 3);
    fields->setColumnStretch(1, 1);

    summary_ = new QLabel(tr("Choose two checkpoints (or a folder of them) and Compare."), this);
    summary_->setObjectName(QStringLiteral("compareSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    pair_table_ = makeTable(diff_model_, DiffTableModel::Change);
    pair_table_->setObjectName(QStringLiteral("comparePairTable"));
    series_table_ = makeTable(series_model_, DiffSeriesModel::LargestChange);
    series_table_->setObjectName(QStringLiteral("compareSeriesTable"));
    tables_ = new QStackedWidget(this);
    tables_->addWidget(pair_table_);
    tables_->addWidget(series_table_);
    connect(pair_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showPair(current); });
    connect(series_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showSeries(current); });

    histogram_ = new HistogramPlot(this);
    histogram_->setObjectName(QStringLiteral("compareHistogram"));
    histogram_->plot()->xAxis->setLabel(tr("b − a"));
    histogram_->showMessage(tr("Select a pair to see the histogram of its differences."));
    connect(histogram_, &HistogramPlot::binsRequested, this, [this](int bins) {
        if (last_.b.empty() || last_.a.empty()) return;
        session::DiffRequest again = last_;
        again.bins = bins;
        request(again); // the worker bins; the table and selection come back as they were
    });
    series_plot_ = new CompareSeriesPlot(this);
    series_plot_->setObjectName(QStringLiteral("compareSeriesPlot"));
    plots_ = new QStackedWidget(this);
    plots_->addWidget(histogram_);
    plots_->addWidget(series_plot_);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->addWidget(tables_);
    splitter_->addWidget(plots_);
    splitter_->setStretchFactor(0, 3);
    splitter_->setStretchFactor(1, 2);
    splitter_->setChildrenCollapsible(false);
    splitter_->setSizes({3000, 2000}); // 3:2 at any width, until the user drags it

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(fields);
    layout->addWidget(summary_);
    layout->addWidget(splitter_, 1);
}

void ComparePage::connectJobs() {
    using session::DiffJob;
    jobs_.on<DiffJob, session::DiffProgress>(this, [this](const session::DiffProgress& p) {
        setProgress(static_cast<int>(p.fraction * 100.0));
    });
    jobs_.on<DiffJob, session::DiffResultPtr>(this, [this](const session::DiffResultPtr& diff) {
        waiting_ = false;
        const QModelIndex current = pair_table_->currentIndex();
        const QString selected = current.data(DiffTableModel::TensorNameRole).toString();
        diff_model_->setDiff(diff);
        series_model_->setSeries(nullptr);
        tables_->setCurrentWidget(pair_table_);
        plots_->setCurrentWidget(histogram_);
        summary_->setText(describe(*diff));
        fitColumns(pair_table_);
        selectFirstRow(pair_table_, selected);
        setBusy(false,
                tr("Compared %1 with %2").arg(fileName(diff->file_a), fileName(diff->file_b)));
        emit comparisonFinished();
    });
    jobs_.on<DiffJob, session::SeriesResultPtr>(
        this, [this](const session::SeriesResultPtr& series) {
            waiting_ = false;
            const QString selected =
                series_table_->currentIndex().data(DiffSeriesModel::TensorNameRole).toString();
            series_model_->setSeries(series);
            diff_model_->setDiff(nullptr);
            tables_->setCurrentWidget(series_table_);
            plots_->setCurrentWidget(series_plot_);
            summary_->setText(tr("%1 checkpoints · %2 tensors%3")
                                  .arg(series->files.size())
                                  .arg(series->tensors.size())
                                  .arg(series->skipped.empty()
                                           ? QString()
                                           : tr(" · %1 skipped").arg(series->skipped.size())));
            summary_->setToolTip(QString::fromStdString([&] {
                std::string text;
                for (const std::string& s : series->skipped)
                    text += (text.empty() ? "" : "\n") + s;
                return text;
            }()));
            fitColumns(series_table_);
            selectFirstRow(series_table_, selected);
            setBusy(false, tr("Read %1 checkpoints").arg(series->files.size()));
            emit comparisonFinished();
        });
    jobs_.on<DiffJob, session::DiffFailed>(this, [this](const session::DiffFailed& failed) {
        waiting_ = false;
        const QString message = QString::fromStdString(failed.message);
        summary_->setText(tr("Cannot compare: %1").arg(message));
        setBusy(false, tr("Cannot compare: %1").arg(message));
        emit comparisonFailed(message);
    });
}

void ComparePage::compare(const QString& a, const QString& b) {
    field_a_->setText(a);
    field_b_->setText(b);
    request({a.toStdString(), b.toStdString(), histogram_->bins()});
}

void ComparePage::compareFolder(const QString& dir) {
    field_a_->setText(dir);
    field_b_->clear();
    request({dir.toStdString(), {}, histogram_->bins()});
}

void ComparePage::compareFields() {
    const QString a = field_a_->text().trimmed(), b = field_b_->text().trimmed();
    if (a.isEmpty()) {
        summary_->setText(tr("Choose checkpoint A (or a folder) first."));
        return;
    }
    if (b.isEmpty() && !QFileInfo(a).isDir()) {
        summary_->setText(tr("Choose checkpoint B, or a folder as A."));
        return;
    }
    request({a.toStdString(), b.toStdString(), histogram_->bins()});
}

void ComparePage::request(session::DiffRequest request) {
    last_ = request;
    waiting_ = true;
    const QString what =
        request.b.empty()
            ? tr("Reading the checkpoints in %1…").arg(fileName(request.a))
            : tr("Comparing %1 with %2…").arg(fileName(request.a), fileName(request.b));
    summary_->setText(what);
    setBusy(true, what);
    jobs_.request<session::DiffJob>(std::move(request));
}

void ComparePage::cancel() {
    if (!waiting_) return;
    jobs_.cancel<session::DiffJob>();
    waiting_ = false;
    summary_->setText(tr("Comparison cancelled."));
    setBusy(false, tr("Comparison cancelled"));
}

void ComparePage::shutdown() {
    jobs_.stop();
    waiting_ = false;
}

QString ComparePage::summaryText() const {
    return summary_->text();
}

QString ComparePage::fileA() const {
    return field_a_->text();
}

QString ComparePage::fileB() const {
    return field_b_->text();
}

void ComparePage::showEvent(QShowEvent* event) {
    Workspace::showEvent(event);
    if (!field_a_->text().isEmpty()) return;
    const auto* browser = window()->findChild<BrowserPage*>();
    const QString shown = browser ? browser->currentFile() : QString();
    if (!shown.isEmpty() && shown != defaultModelPath()) {
        field_a_->setText(shown);
        field_b_->setFocus();
    }
}

void ComparePage::browse(QLineEdit* field) {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a checkpoint"), QFileInfo(field->text()).absolutePath(),
        tr("Model files (*.pt *.pth *.bin *.ckpt *.safetensors *.onnx *.nnscope);;All files (*)"));
    if (!path.isEmpty()) field->setText(path);
}

void ComparePage::browseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Choose a folder of checkpoints"), field_a_->text());
    if (!dir.isEmpty()) compareFolder(dir);
}

void ComparePage::selectFirstRow(QTableView* table, const QString& name) {
    QAbstractItemModel* model = table->model();
    int row = 0;
    if (!name.isEmpty())
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->index(r, 0).data(DiffTableModel::TensorNameRole).toString() == name) {
                row = r;
                break;
            }
    if (model->rowCount() == 0) {
        histogram_->showMessage(tr("Nothing to compare."));
        series_plot_->showMessage(tr("No tensor in these checkpoints."));
        return;
    }
    table->setCurrentIndex(model->index(row, 0));
    table->scrollTo(model->index(row, 0));
}

void ComparePage::showPair(const QModelIndex& index) {
    const auto* proxy = static_cast<const QSortFilterProxyModel*>(pair_table_->model());
    const workflows::TensorComparison* t = diff_model_->comparison(proxy->mapToSource(index).row());
    if (!t) {
        histogram_->showMessage(tr("Select a pair to see the histogram of its differences."));
        return;
    }
    if (!t->diff) {
        const QString why =
            t->status == workflows::PairStatus::Unreadable
                ? tr("%1 could not be read: %2")
                      .arg(QString::fromStdString(t->name), QString::fromStdString(t->error))
                : tr("%1: %2, no values to compare.")
                      .arg(QString::fromStdString(t->name),
                           QString::fromUtf8(workflows::to_string(t->status)));
        histogram_->showMessage(why);
        return;
    }
    histogram_->setSnapshot(differenceSnapshot(*t));
}

void ComparePage::showSeries(const QModelIndex& index) {
    const auto* proxy = static_cast<const QSortFilterProxyModel*>(series_table_->model());
    const workflows::TensorSeries* t = series_model_->tensor(proxy->mapToSource(index).row());
    if (!t || !series_model_->series()) {
        series_plot_->showMessage(tr("Select a tensor to see it across the checkpoints."));
        return;
    }
    series_plot_->setSeries(*t, series_model_->series()->files);
}

void ComparePage::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("compare/splitter"), splitter_->saveState());
}

void ComparePage::restoreState(QSettings& settings) {
    splitter_->restoreState(settings.value(QStringLiteral("compare/splitter")).toByteArray());
}

} // namespace nnscope::ui
