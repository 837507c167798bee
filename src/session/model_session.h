#pragma once
// The worker that owns an opened model: it lives on its own QThread (see SessionController), reads
// files, keeps the io::ModelDocument and computes what the window asks for. Requests arrive as
// queued invocations and are taken from a Mailbox that keeps only the newest request of each kind;
// results leave as queued signals carrying read-only snapshots tagged with the request's id.

#include "io/model_document.h"
#include "session/document_snapshot.h"
#include "session/tensor_snapshot.h"
#include "session/throttle.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace nnscope::session {

// Statistics of some tensors of the current document, streamed after a load. Every batch also says
// how far the whole job is, so it doubles as the progress of the statistics phase.
struct StatsBatch {
    std::map<std::string, TensorStats> stats; // by tensor name
    int done = 0;                             // tensors finished so far, all batches included
    int total = 0;
};
using StatsBatchPtr = std::shared_ptr<const StatsBatch>;

// The only state the two threads share: the newest request of each kind (at most one pending, a
// newer one replaces it) and the cancel flags the worker checks between steps.
struct Mailbox {
    struct Open {
        quint64 id = 0;
        QString path;
    };
    struct Snapshot {
        quint64 id = 0;
        quint64 document = 0; // the load id of the document the tensor belongs to
        std::string tensor;
        SnapshotRequest request;
    };
    std::mutex mutex;
    std::optional<Open> open;
    std::optional<Snapshot> snapshot;
    bool open_posted = false;     // an invocation to take `open` is on its way
    bool snapshot_posted = false; // same for `snapshot`
    std::atomic<bool> cancel_load{false};
    std::atomic<bool> cancel_snapshot{false};
    // A snapshot request waits: the statistics job stops its tensor (and takes it up again after
    // the snapshot), so the histogram the user asked for does not queue behind a 1 GB tensor.
    std::atomic<bool> snapshot_waiting{false};
};

class ModelSession : public QObject {
    Q_OBJECT
public:
    // Statistics batches leave at most this often (a window redraws at about 60 Hz; 25 is plenty).
    static constexpr int kStatsIntervalMs = 40;

    explicit ModelSession(std::shared_ptr<Mailbox> mailbox, QObject* parent = nullptr);
    ~ModelSession() override;

public slots:
    // Take the newest request of their kind from the mailbox (there may be none left: a later
    // request or a cancel consumed it).
    void takeOpen();
    void takeSnapshot();

signals:
    void loadStarted(quint64 id, const QString& file);
    void loadProgress(quint64 id, int percent, const QString& step);
    void loaded(quint64 id, nnscope::session::DocumentSnapshotPtr document);
    void loadFailed(quint64 id, const QString& file, const QString& message);
    void statsReady(quint64 id, nnscope::session::StatsBatchPtr batch);
    void statsFinished(quint64 id);
    void snapshotReady(quint64 id, const nnscope::session::TensorSnapshot& snapshot);
    void snapshotFailed(quint64 id, const QString& tensor, const QString& message);

private:
    void computeNextStats(quint64 id, std::size_t next);
    void deliverStats();

    std::shared_ptr<Mailbox> mailbox_;
    quint64 document_id_ = 0;
    std::shared_ptr<io::ModelDocument> document_;
    Throttle stats_throttle_;
    StatsBatch pending_stats_;
    quint64 stats_id_ = 0;
    std::set<std::string> stats_known_; // tensors whose statistics a snapshot already gave
    // Statistics by io::view_identity: a tied tensor's second name is not read again.
    std::map<std::string, TensorStats> stats_by_view_;
    void noteStats(const io::TensorEntry& entry, const TensorStats& stats);
};

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::StatsBatchPtr)
