#include "session/file_watch.h"

#include <QFileInfo>
#include <algorithm>

namespace nnscope::session {

FileWatch::FileWatch(QObject* parent)
    : QObject(parent) {
    poll_.setInterval(kPollMs);
    quiet_.setSingleShot(true);
    connect(&poll_, &QTimer::timeout, this, [this] { check(); });
    connect(&quiet_, &QTimer::timeout, this, &FileWatch::quietEnded);
    connect(&watcher_, &QFileSystemWatcher::fileChanged, this, [this] { check(); });
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, [this] { check(); });
}

void FileWatch::watch(const QString& path, const io::FileIdentity& opened) {
    stop();
    path_ = path;
    opened_ = opened;
    rearm();
    poll_.start();
}

void FileWatch::stop() {
    poll_.stop();
    quiet_.stop();
    if (!watcher_.files().isEmpty()) watcher_.removePaths(watcher_.files());
    if (!watcher_.directories().isEmpty()) watcher_.removePaths(watcher_.directories());
    path_.clear();
    reported_ = false;
    last_seen_.reset();
    attempted_.reset();
}

void FileWatch::setAutoReload(bool on) {
    auto_reload_ = on;
    if (!on) quiet_.stop();
    check();
}

// A file replaced by rename or deleted drops out of the watcher: watch the new one.
void FileWatch::rearm() {
    if (path_.isEmpty()) return;
    if (!watcher_.files().contains(path_) && QFileInfo::exists(path_)) watcher_.addPath(path_);
    const QString folder = QFileInfo(path_).absolutePath();
    if (!watcher_.directories().contains(folder)) watcher_.addPath(folder);
}

std::optional<QString> FileWatch::check() {
    if (path_.isEmpty()) return std::nullopt;
    rearm();
    const auto now = io::FileIdentity::of(path_.toStdString());
    if (now && *now == opened_) return std::nullopt; // written back as it was, or untouched
    const QString message =
        QString::fromStdString(io::describe_file_change(path_.toStdString(), opened_, now));
    if (!reported_) {
        reported_ = true;
        emit changed(message);
    }
    if (auto_reload_) {
        // A file replaced by rename was complete before it took the name: a short wait makes sure
        // nothing still writes to it. Written in place: wait until the writes stop.
        const bool replaced = now && (now->device != opened_.device || now->inode != opened_.inode);
        const int wait = replaced ? std::min(kRenameSettleMs, quiet_ms_) : quiet_ms_;
        if (now != last_seen_) {
            last_seen_ = now;
            quiet_.start(wait);
        } else if (!quiet_.isActive() && now != attempted_) {
            quiet_.start(wait);
        }
    }
    return message;
}

void FileWatch::quietEnded() {
    const auto now = io::FileIdentity::of(path_.toStdString());
    if (now != last_seen_) { // changed during the wait
        last_seen_ = now;
        quiet_.start(quiet_ms_);
        return;
    }
    if (!auto_reload_ || !now || now == attempted_) return; // gone, or tried as it is
    attempted_ = now;
    emit settled();
}

} // namespace nnscope::session
