#include "session/session_controller.h"

#include <QMetaObject>

namespace nnscope::session {

SessionController::SessionController(QObject* parent)
    : QObject(parent) {
    qRegisterMetaType<DocumentSnapshotPtr>();
    qRegisterMetaType<StatsBatchPtr>();
    qRegisterMetaType<TensorSnapshot>();
    thread_.setObjectName(QStringLiteral("nnscope model session"));
    worker_ = new ModelSession(mailbox_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

    // Queued (the worker lives in another thread); each result is dropped unless it answers the
    // newest request of its kind.
    connect(worker_, &ModelSession::loadStarted, this, [this](quint64 id, const QString& file) {
        if (id == load_id_) emit loadStarted(file);
    });
    connect(worker_, &ModelSession::loadProgress, this,
            [this](quint64 id, int percent, const QString& step) {
                if (id == load_id_) emit loadProgress(percent, step);
            });
    connect(worker_, &ModelSession::loaded, this, [this](quint64 id, DocumentSnapshotPtr doc) {
        if (id != load_id_) return;
        load_id_ = 0;
        document_id_ = stats_id_ = id;
        snapshot_id_ = 0; // a request about the previous document is void
        emit loaded(std::move(doc));
    });
    connect(worker_, &ModelSession::loadFailed, this,
            [this](quint64 id, const QString& file, const QString& message) {
                if (id != load_id_) return;
                load_id_ = 0;
                emit loadFailed(file, message);
            });
    connect(worker_, &ModelSession::statsReady, this, [this](quint64 id, StatsBatchPtr batch) {
        if (id == stats_id_) emit statsReady(std::move(batch));
    });
    connect(worker_, &ModelSession::statsFinished, this, [this](quint64 id) {
        if (id != stats_id_) return;
        stats_id_ = 0;
        emit statsFinished();
    });
    connect(worker_, &ModelSession::snapshotReady, this,
            [this](quint64 id, const TensorSnapshot& snapshot) {
                if (id == snapshot_id_) emit snapshotReady(snapshot);
            });
    connect(worker_, &ModelSession::snapshotFailed, this,
            [this](quint64 id, const QString& tensor, const QString& message) {
                if (id == snapshot_id_) emit snapshotFailed(tensor, message);
            });
    thread_.start();
}

SessionController::~SessionController() {
    stop();
}

quint64 SessionController::open(const QString& path) {
    const quint64 id = next_id_++;
    load_id_ = id;
    stats_id_ = 0;
    bool post = false;
    {
        std::lock_guard lock(mailbox_->mutex);
        mailbox_->open = Mailbox::Open{id, path};
        mailbox_->cancel_load = true; // whatever load or statistics run now are superseded
        post = !std::exchange(mailbox_->open_posted, true);
    }
    if (post && worker_)
        QMetaObject::invokeMethod(worker_, &ModelSession::takeOpen, Qt::QueuedConnection);
    return id;
}

void SessionController::cancelLoad() {
    const bool was_running = load_id_ != 0 || stats_id_ != 0;
    {
        std::lock_guard lock(mailbox_->mutex);
        mailbox_->open.reset();
        mailbox_->cancel_load = true;
    }
    load_id_ = 0;
    stats_id_ = 0;
    if (was_running) emit loadCancelled();
}

quint64 SessionController::requestSnapshot(const std::string& tensor,
                                           const SnapshotRequest& request) {
    if (document_id_ == 0 || !worker_) return 0;
    const quint64 id = next_id_++;
    snapshot_id_ = id;
    bool post = false;
    {
        std::lock_guard lock(mailbox_->mutex);
        mailbox_->snapshot = Mailbox::Snapshot{id, document_id_, tensor, request};
        mailbox_->cancel_snapshot = true;
        mailbox_->snapshot_waiting = true;
        post = !std::exchange(mailbox_->snapshot_posted, true);
    }
    if (post) QMetaObject::invokeMethod(worker_, &ModelSession::takeSnapshot, Qt::QueuedConnection);
    return id;
}

void SessionController::stop() {
    if (!worker_) return;
    {
        std::lock_guard lock(mailbox_->mutex);
        mailbox_->open.reset();
        mailbox_->snapshot.reset();
        mailbox_->cancel_load = true;
        mailbox_->cancel_snapshot = true;
    }
    load_id_ = stats_id_ = snapshot_id_ = 0;
    worker_ = nullptr; // deleted in its own thread as the thread finishes
    thread_.quit();
    thread_.wait();
}

} // namespace nnscope::session
