#pragma once
// Watches the opened model file for changes by other processes, in the GUI thread (a stat() per
// look: cheap). It looks when the file or its folder changes (QFileSystemWatcher on both, since a
// rename replaces the inode the file watch was on), every poll interval, and when asked (window
// focus). A change from the identity the document was read with is reported once (changed()).
// With auto-reload on, it then waits until the file has stayed the same for the quiet period (the
// writer is done: an atomic rename settles at once, in-place writes once they stop) and asks for a
// reload (settled()); a reload that fails is asked for again only after the file changes again and
// settles, so a half-written file is never reloaded twice and the last good model stays meanwhile.

#include "io/file_identity.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <optional>

namespace nnscope::session {

class FileWatch : public QObject {
    Q_OBJECT
public:
    static constexpr int kQuietMs = 1000;
    static constexpr int kRenameSettleMs = 150;
    static constexpr int kPollMs = 2000;

    explicit FileWatch(QObject* parent = nullptr);

    // Starts watching `path`, whose document was read when the file had `opened`; forgets any
    // earlier file and change.
    void watch(const QString& path, const io::FileIdentity& opened);
    void stop();
    void setAutoReload(bool on);
    bool autoReload() const { return auto_reload_; }
    // For tests and slow writers: how long the file must stay the same, how often to look.
    void setQuietPeriodMs(int ms) { quiet_ms_ = ms; }
    void setPollIntervalMs(int ms) { poll_.setInterval(ms); }
    // Looks now. Returns the change message when the file differs from the opened one.
    std::optional<QString> check();
    // A change still there is reported again at the next look (a reload of it failed).
    void reportAgain() { reported_ = false; }

signals:
    void changed(const QString& message);
    void settled();

private:
    void rearm();
    void quietEnded();

    QFileSystemWatcher watcher_;
    QTimer poll_;
    QTimer quiet_;
    QString path_;
    io::FileIdentity opened_;
    bool reported_ = false;
    bool auto_reload_ = false;
    int quiet_ms_ = kQuietMs;
    std::optional<io::FileIdentity> last_seen_; // when the quiet period started
    std::optional<io::FileIdentity> attempted_; // the file as it was when a reload was asked
};

} // namespace nnscope::session
