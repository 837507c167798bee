#include "session/model_session.h"

#include "io/open_model.h"

#include <QFileInfo>
#include <QMetaObject>
#include <exception>

namespace nnscope::session {

namespace {

QString message_of(const std::exception& e) {
    return QString::fromStdString(e.what());
}

} // namespace

ModelSession::ModelSession(std::shared_ptr<Mailbox> mailbox, QObject* parent)
    : QObject(parent)
    , mailbox_(std::move(mailbox))
    , stats_throttle_(
          kStatsIntervalMs, [this] { deliverStats(); }, this) {}

ModelSession::~ModelSession() = default;

void ModelSession::takeOpen() {
    Mailbox::Open request;
    {
        std::lock_guard lock(mailbox_->mutex);
        mailbox_->open_posted = false;
        if (!mailbox_->open) return;
        request = *std::exchange(mailbox_->open, std::nullopt);
        mailbox_->cancel_load = false;
    }
    auto cancelled = [this] { return mailbox_->cancel_load.load(); };
    const quint64 id = request.id;
    emit loadStarted(id, request.path);
    emit loadProgress(id, 0, tr("Reading %1").arg(QFileInfo(request.path).fileName()));
    std::shared_ptr<io::ModelDocument> document;
    DocumentSnapshotPtr snapshot;
    try {
        document = std::make_shared<io::ModelDocument>(io::open_model(request.path.toStdString()));
        if (cancelled()) return;
        emit loadProgress(id, 50, tr("Building the module tree"));
        snapshot = std::make_shared<const DocumentSnapshot>(
            make_document_snapshot(*document, request.path.toStdString()));
    } catch (const std::exception& e) {
        if (!cancelled()) emit loadFailed(id, request.path, message_of(e));
        return;
    }
    if (cancelled()) return;
    document_ = std::move(document);
    document_id_ = id;
    emit loadProgress(id, 100, tr("Loaded"));
    emit loaded(id, snapshot);
    // Statistics follow one tensor per event-loop turn, so snapshot requests and a newer open are
    // served in between.
    stats_throttle_.flush();
    pending_stats_ = StatsBatch{};
    pending_stats_.total = static_cast<int>(document_->tensors.size());
    stats_id_ = id;
    stats_known_.clear();
    stats_by_view_.clear();
    QMetaObject::invokeMethod(
        this, [this, id] { computeNextStats(id, 0); }, Qt::QueuedConnection);
}

void ModelSession::computeNextStats(quint64 id, std::size_t next) {
    if (id != document_id_ || id != stats_id_) return; // superseded by a newer document
    if (mailbox_->cancel_load) {
        pending_stats_ = StatsBatch{};
        stats_id_ = 0;
        return;
    }
    if (next >= document_->tensors.size()) {
        stats_throttle_.flush();
        stats_id_ = 0;
        emit statsFinished(id);
        return;
    }
    const io::TensorEntry& entry = document_->tensors[next];
    SnapshotRequest cheap; // the statistics are wanted, not the pictures
    cheap.bins = 1;
    cheap.max_slice_elements = 1;
    cheap.max_kernels = 0;
    try {
        const auto same_view = stats_by_view_.find(io::view_identity(entry));
        if (same_view != stats_by_view_.end()) {
            noteStats(entry, same_view->second);
        } else if (!stats_known_.count(entry.name)) {
            const TensorSnapshot s = make_tensor_snapshot(
                entry, entry.load(), cheap, &mailbox_->cancel_load, &mailbox_->snapshot_waiting);
            noteStats(entry, s.stats);
        }
    } catch (const SnapshotCancelled&) {
        if (mailbox_->cancel_load) return computeNextStats(id, next); // the cancelled branch
        // A snapshot request waits; its invocation is queued before this one, so it runs first.
        QMetaObject::invokeMethod(
            this, [this, id, next] { computeNextStats(id, next); }, Qt::QueuedConnection);
        return;
    } catch (const std::exception&) {
        // A tensor whose data cannot be read keeps empty statistics; asking for its snapshot
        // reports the error.
    }
    pending_stats_.done = static_cast<int>(next + 1);
    stats_throttle_.offer();
    QMetaObject::invokeMethod(
        this, [this, id, next] { computeNextStats(id, next + 1); }, Qt::QueuedConnection);
}

void ModelSession::noteStats(const io::TensorEntry& entry, const TensorStats& stats) {
    pending_stats_.stats[entry.name] = stats;
    if (std::string view = io::view_identity(entry); !view.empty())
        stats_by_view_.emplace(std::move(view), stats);
}

void ModelSession::deliverStats() {
    if (stats_id_ == 0) return;
    auto batch = std::make_shared<StatsBatch>();
    batch->done = pending_stats_.done;
    batch->total = pending_stats_.total;
    batch->stats.swap(pending_stats_.stats);
    emit statsReady(stats_id_, std::move(batch));
}

void ModelSession::takeSnapshot() {
    Mailbox::Snapshot request;
    {
        std::lock_guard lock(mailbox_->mutex);
        mailbox_->snapshot_posted = false;
        if (!mailbox_->snapshot) return;
        request = *std::exchange(mailbox_->snapshot, std::nullopt);
        mailbox_->cancel_snapshot = false;
        mailbox_->snapshot_waiting = false;
    }
    const QString name = QString::fromStdString(request.tensor);
    if (!document_ || request.document != document_id_) return; // asked about another document
    const io::TensorEntry* entry = document_->find(request.tensor);
    if (!entry) {
        emit snapshotFailed(request.id, name, tr("no tensor named %1").arg(name));
        return;
    }
    try {
        TensorSnapshot s = make_tensor_snapshot(*entry, entry->load(), request.request,
                                                &mailbox_->cancel_snapshot);
        emit snapshotReady(request.id, s);
        if (stats_id_ == document_id_ && stats_known_.insert(entry->name).second) {
            // The statistics job need not read this tensor again.
            noteStats(*entry, s.stats);
            stats_throttle_.offer();
        }
    } catch (const SnapshotCancelled&) {
        // A newer request replaced this one; it is on its way.
    } catch (const std::exception& e) {
        emit snapshotFailed(request.id, name, message_of(e));
    }
}

} // namespace nnscope::session
