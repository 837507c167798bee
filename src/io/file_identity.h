#pragma once
// Which file a path names and in what state: device, inode, size and modification time. Two equal
// identities mean the bytes read under the first are still the file's (to the file system's mtime
// resolution); a different one means another process truncated, rewrote or replaced the file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace nnscope::io {

struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0; // modification time, nanoseconds since the epoch

    // The identity of what `path` names now; nullopt when nothing readable is there.
    static std::optional<FileIdentity> of(const std::filesystem::path& path);
    // The identity of an open descriptor's file (follows the inode, not the name).
    static std::optional<FileIdentity> of_descriptor(int fd);

    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// "model.pt changed on disk after it was opened (size 4.1 MB -> 0 B); reload it", or
// "... (replaced by another file)", "... (deleted)", "... (rewritten)".
std::string describe_file_change(const std::filesystem::path& path, const FileIdentity& opened,
                                 const std::optional<FileIdentity>& now);

// "4.1 MB", "512 B": sizes as people read them.
std::string human_size(std::uint64_t bytes);

// A file changed on disk after it was opened: its data can no longer be trusted to be the data the
// document describes. Loading tensors, statistics and snapshots throw it; the window offers Reload.
class FileChangedError : public std::runtime_error {
public:
    FileChangedError(std::filesystem::path path, const std::string& message)
        : std::runtime_error(message)
        , path_(std::move(path)) {}
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace nnscope::io
