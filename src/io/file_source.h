#pragma once
// A model file opened for reading: the descriptor stays open and every read is a pread() into
// memory the caller owns, checked against the file's identity at open (FileIdentity).
//
// Why not a memory mapping: another process may truncate or rewrite the file at any time (a
// training script saving its checkpoint every epoch), and touching a mapped page past the new end
// kills the process with SIGBUS, while pages not yet copied silently show the new bytes. A read
// that comes up short or a file whose size or mtime moved instead throws FileChangedError: no
// crash and no torn tensor. Opening stays fast because readers fetch only headers and directories
// at open, and tensor data when it is asked for. A file replaced by rename keeps its old inode
// open here, so its reads still give the old, intact bytes; the session notices the path now
// names another file.

#include "io/file_identity.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace nnscope {
class Storage;
}

namespace nnscope::io {

class FileSource {
public:
    // Throws std::runtime_error naming the path when the file cannot be opened.
    static std::shared_ptr<FileSource> open(const std::filesystem::path& path);
    ~FileSource();
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::size_t size() const { return static_cast<std::size_t>(identity_.size); }
    const FileIdentity& identity() const { return identity_; }

    // Reads `n` bytes at `offset` into `out`. Throws std::out_of_range (a reader's bug or a
    // corrupt offset) when the range lies outside the size at open, FileChangedError when the
    // file changed since it was opened (before or during the read). Thread-safe.
    void read(std::uint64_t offset, std::size_t n, std::byte* out) const;
    std::vector<std::byte> read(std::uint64_t offset, std::size_t n) const;
    // The range as fresh, 64-byte aligned tensor storage.
    std::shared_ptr<Storage> read_storage(std::uint64_t offset, std::size_t n) const;
    // Throws FileChangedError when the opened file's size or mtime differ from those at open.
    void check_unchanged() const;

private:
    FileSource() = default;
    [[noreturn]] void changed(const std::optional<FileIdentity>& now) const;

    std::filesystem::path path_;
    FileIdentity identity_;
    int fd_ = -1;
};

} // namespace nnscope::io
