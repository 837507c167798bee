#include "session/session_controller.h"

#include "session/run_model_job.h"
#include "session/run_snapshot_job.h"

namespace nnscope::session {

SessionController::SessionController(QObject* parent)
    : QObject(parent)
    , jobs_(QStringLiteral("nnscope model session")) {
    qRegisterMetaType<DocumentSnapshotPtr>();
    qRegisterMetaType<StatsBatchPtr>();
    qRegisterMetaType<TensorSnapshot>();
    qRegisterMetaType<TensorSlice>();
    qRegisterMetaType<TensorSliceRequest>();
    auto context = std::make_shared<ModelContext>();
    jobs_.add<OpenModelJob>(context);
    jobs_.add<StatisticsJob>(context);
    jobs_.add<SnapshotJob>(context);
    jobs_.add<SliceJob>(context);
    // The Run panel's kinds: a forward (and backward) of the opened file, and the snapshots of
    // what it recorded.
    jobs_.add<RunModelJob>();
    jobs_.add<RunSnapshotJob>();
    jobs_.add<RunSliceJob>();
    subscribe();
    jobs_.start();
}

SessionController::~SessionController() {
    stop();
}

void SessionController::subscribe() {
    jobs_.on<OpenModelJob, LoadStarted>(this,
                                        [this](const LoadStarted& r) { emit loadStarted(r.file); });
    jobs_.on<OpenModelJob, LoadProgress>(
        this, [this](const LoadProgress& r) { emit loadProgress(r.percent, r.step); });
    jobs_.on<OpenModelJob, Loaded>(this, [this](const Loaded& r) {
        document_id_ = jobs_.current<OpenModelJob>();
        file_ = QString::fromStdString(r.document->file);
        watch_.watch(file_, r.identity);
        jobs_.cancel<OpenModelJob>(); // done: loading() turns false
        jobs_.cancel<SnapshotJob>();  // a request about the previous document is void
        jobs_.cancel<SliceJob>();
        jobs_.request<StatisticsJob>(StatisticsRequest{document_id_});
        emit loaded(r.document);
    });
    jobs_.on<OpenModelJob, LoadFailed>(this, [this](const LoadFailed& r) {
        jobs_.cancel<OpenModelJob>();
        if (r.file == file_) watch_.reportAgain(); // the shown document is still the old one
        emit loadFailed(r.file, r.message);
    });
    jobs_.on<StatisticsJob, StatsBatchPtr>(
        this, [this](const StatsBatchPtr& batch) { emit statsReady(batch); });
    jobs_.on<StatisticsJob, StatsFinished>(this, [this](const StatsFinished&) {
        jobs_.cancel<StatisticsJob>(); // done
        emit statsFinished();
    });
    jobs_.on<StatisticsJob, FileChanged>(this, [this](const FileChanged& r) {
        jobs_.cancel<StatisticsJob>(); // stopped: the rest would not be the opened file's
        emit fileChanged(r.message);
        emit statsFinished();
    });
    jobs_.on<SnapshotJob, TensorSnapshot>(
        this, [this](const TensorSnapshot& snapshot) { emit snapshotReady(snapshot); });
    jobs_.on<SnapshotJob, SnapshotFailed>(this, [this](const SnapshotFailed& r) {
        if (r.file_changed) emit fileChanged(r.message);
        emit snapshotFailed(r.tensor, r.message);
    });
    connect(&watch_, &FileWatch::changed, this, &SessionController::fileChanged);
    connect(&watch_, &FileWatch::settled, this, &SessionController::reload);
    jobs_.on<SliceJob, TensorSlice>(this,
                                    [this](const TensorSlice& slice) { emit sliceReady(slice); });
    jobs_.on<SliceJob, SliceFailed>(
        this, [this](const SliceFailed& r) { emit sliceFailed(r.tensor, r.message, r.tag); });
}

quint64 SessionController::open(const QString& path) {
    jobs_.cancel<StatisticsJob>(); // the shown document's statistics are superseded too
    return jobs_.request<OpenModelJob>(OpenRequest{path});
}

quint64 SessionController::reload() {
    if (file_.isEmpty()) return 0;
    emit aboutToReload();
    return open(file_);
}

void SessionController::cancelLoad() {
    const bool was_running =
        jobs_.current<OpenModelJob>() != 0 || jobs_.current<StatisticsJob>() != 0;
    jobs_.cancel<OpenModelJob>();
    jobs_.cancel<StatisticsJob>();
    if (was_running) emit loadCancelled();
}

quint64 SessionController::requestSnapshot(const std::string& tensor,
                                           const SnapshotRequest& request) {
    if (document_id_ == 0 || !jobs_.workerThread()->isRunning()) return 0;
    return jobs_.request<SnapshotJob>(TensorSnapshotRequest{document_id_, tensor, request});
}

quint64 SessionController::requestSlice(TensorSliceRequest request) {
    if (document_id_ == 0 || !jobs_.workerThread()->isRunning()) return 0;
    request.document = document_id_;
    return jobs_.request<SliceJob>(std::move(request));
}

void SessionController::stop() {
    watch_.stop();
    jobs_.stop();
}

} // namespace nnscope::session
