#pragma once
// The model browser's handle on its worker thread: a JobController with the three model job kinds
// (model_session.h) and the browser's rules between them. Opening a file cancels the statistics of
// the previous one; a loaded document starts its statistics stream and voids snapshot requests
// about the previous document; a cancel stops the load and the statistics, the shown document
// stays. Results arrive as the signals below, in the GUI thread, never for a superseded request.
// The shown document's file is watched (FileWatch): a change by another process is reported
// (fileChanged) and jobs refuse its data; reload() opens it again, and with watching on that
// happens by itself once the writer is done. Destroying it stops the worker and waits for its
// thread.

#include "session/file_watch.h"
#include "session/job_controller.h"
#include "session/model_session.h"

#include <QObject>
#include <QThread>

namespace nnscope::session {

class SessionController : public QObject {
    Q_OBJECT
public:
    // Statistics batches leave at most this often.
    static constexpr int kStatsIntervalMs = StatisticsJob::kIntervalMs;

    explicit SessionController(QObject* parent = nullptr);
    ~SessionController() override;

    // Starts loading a file; a load already running is cancelled and will never deliver.
    quint64 open(const QString& path);
    // Cancels the running load (or the statistics that follow it); the current document stays.
    void cancelLoad();
    // Asks for a snapshot of a tensor of the current document; an earlier request still pending
    // or running is dropped. Returns 0 when no document is loaded.
    quint64 requestSnapshot(const std::string& tensor, const SnapshotRequest& request = {});
    // Asks for values of a tensor of the current document (a heatmap's window, an export's
    // slice); an earlier slice request still pending or running is dropped. Returns 0 when no
    // document is loaded.
    quint64 requestSlice(nnscope::session::TensorSliceRequest request);
    // Opens the shown document's file again (aboutToReload first); 0 when none is shown.
    quint64 reload();
    // Reload by itself once the file changed and the writer is done (off by default).
    void setWatching(bool on) { watch_.setAutoReload(on); }
    bool watching() const { return watch_.autoReload(); }
    // Looks at the file now (the window calls it when it gets the focus); true when it changed.
    bool checkFile() { return watch_.check().has_value(); }
    FileWatch& fileWatch() { return watch_; }
    // The shown document's file ("" before the first load).
    QString file() const { return file_; }
    // Stops the worker and waits for its thread (the destructor calls it).
    void stop();

    // The browser's job controller: a kind that works on the opened model (a forward pass) is
    // registered in the constructor beside the three model kinds, sharing their ModelContext.
    JobController& jobs() { return jobs_; }
    bool loading() const { return jobs_.current<OpenModelJob>() != 0; }
    quint64 documentId() const { return document_id_; }
    QThread* workerThread() { return jobs_.workerThread(); }

signals:
    void loadStarted(const QString& file);
    void loadProgress(int percent, const QString& step);
    void loaded(nnscope::session::DocumentSnapshotPtr document);
    void loadFailed(const QString& file, const QString& message);
    void loadCancelled();
    void statsReady(nnscope::session::StatsBatchPtr batch);
    void statsFinished();
    void snapshotReady(const nnscope::session::TensorSnapshot& snapshot);
    void snapshotFailed(const QString& tensor, const QString& message);
    void sliceReady(const nnscope::session::TensorSlice& slice);
    void sliceFailed(const QString& tensor, const QString& message, quint64 tag);
    // The shown document's file changed on disk since it was read: its data is no longer shown.
    void fileChanged(const QString& message);
    void aboutToReload();

private:
    void subscribe();

    JobController jobs_;
    FileWatch watch_;
    quint64 document_id_ = 0; // the load that produced the shown document
    QString file_;
};

} // namespace nnscope::session
