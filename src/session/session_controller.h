#pragma once
// The GUI thread's handle on a ModelSession: owns the worker thread, posts requests (the newest
// of each kind wins, at most one invocation pending per kind) and re-emits the worker's results
// in the GUI thread after dropping those of superseded or cancelled requests. Destroying it stops
// the worker and waits for its thread.

#include "session/model_session.h"

#include <QObject>
#include <QThread>

namespace nnscope::session {

class SessionController : public QObject {
    Q_OBJECT
public:
    explicit SessionController(QObject* parent = nullptr);
    ~SessionController() override;

    // Starts loading a file; a load already running is cancelled and will never deliver.
    quint64 open(const QString& path);
    // Cancels the running load (or the statistics that follow it); the current document stays.
    void cancelLoad();
    // Asks for a snapshot of a tensor of the current document; an earlier request still pending
    // or running is dropped. Returns 0 when no document is loaded.
    quint64 requestSnapshot(const std::string& tensor, const SnapshotRequest& request = {});
    // Stops the worker and waits for its thread (the destructor calls it).
    void stop();

    bool loading() const { return load_id_ != 0; }
    quint64 documentId() const { return document_id_; }
    QThread* workerThread() { return &thread_; }

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

private:
    std::shared_ptr<Mailbox> mailbox_ = std::make_shared<Mailbox>();
    QThread thread_;
    ModelSession* worker_ = nullptr; // lives in thread_, deleted there when it finishes
    quint64 next_id_ = 1;
    quint64 load_id_ = 0;     // the load whose results are wanted; 0 when none runs
    quint64 document_id_ = 0; // the load that produced the shown document
    quint64 stats_id_ = 0;    // the document whose statistics are still streaming
    quint64 snapshot_id_ = 0; // the newest snapshot request
};

} // namespace nnscope::session
