#include "io/file_source.h"

#include "engine/storage.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace nnscope::io {

namespace {

[[noreturn]] void throw_errno(const std::filesystem::path& path, const char* what) {
    throw std::runtime_error("cannot " + std::string(what) + " '" + path.string() +
                             "': " + std::strerror(errno));
}

} // namespace

std::shared_ptr<FileSource> FileSource::open(const std::filesystem::path& path) {
    std::shared_ptr<FileSource> result(new FileSource());
    result->path_ = path;
    result->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (result->fd_ < 0) throw_errno(path, "open");
    struct stat info {};
    if (::fstat(result->fd_, &info) != 0) throw_errno(path, "stat");
    if (!S_ISREG(info.st_mode))
        throw std::runtime_error("cannot read '" + path.string() + "': not a regular file");
    result->identity_ = *FileIdentity::of_descriptor(result->fd_);
    return result;
}

FileSource::~FileSource() {
    if (fd_ >= 0) ::close(fd_);
}

void FileSource::changed(const std::optional<FileIdentity>& now) const {
    throw FileChangedError(path_, describe_file_change(path_, identity_, now));
}

void FileSource::check_unchanged() const {
    const auto now = FileIdentity::of_descriptor(fd_);
    if (!now || *now != identity_) changed(now);
}

void FileSource::read(std::uint64_t offset, std::size_t n, std::byte* out) const {
    if (offset > identity_.size || n > identity_.size - offset)
        throw std::out_of_range("'" + path_.string() + "': bytes " + std::to_string(offset) +
                                " to " + std::to_string(offset + n) + " lie past its end (" +
                                std::to_string(identity_.size) + " bytes)");
    check_unchanged();
    std::size_t done = 0;
    while (done < n) {
        const ssize_t got = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw_errno(path_, "read");
        if (got == 0) changed(FileIdentity::of_descriptor(fd_)); // shrank under us
        done += static_cast<std::size_t>(got);
    }
    // A writer that raced the read moved the mtime: these bytes may be half old, half new.
    check_unchanged();
}

std::vector<std::byte> FileSource::read(std::uint64_t offset, std::size_t n) const {
    std::vector<std::byte> bytes(n);
    read(offset, n, bytes.data());
    return bytes;
}

std::shared_ptr<Storage> FileSource::read_storage(std::uint64_t offset, std::size_t n) const {
    auto storage = Storage::allocate(n);
    read(offset, n, storage->data());
    return storage;
}

} // namespace nnscope::io
