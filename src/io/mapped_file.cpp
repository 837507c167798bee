#include "io/mapped_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nnscope::io {

namespace {

[[noreturn]] void throw_errno(const std::filesystem::path& path, const char* what) {
    throw std::runtime_error("cannot " + std::string(what) + " '" + path.string() +
                             "': " + std::strerror(errno));
}

// Closes the descriptor on every path out of open().
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

std::shared_ptr<MappedFile> MappedFile::open(const std::filesystem::path& path) {
    FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) throw_errno(path, "open");
    struct stat info {};
    if (::fstat(file.fd, &info) != 0) throw_errno(path, "stat");
    if (!S_ISREG(info.st_mode))
        throw std::runtime_error("cannot read '" + path.string() + "': not a regular file");

    std::shared_ptr<MappedFile> result(new MappedFile());
    result->size_ = static_cast<std::size_t>(info.st_size);
    if (result->size_ == 0) return result; // mmap rejects empty mappings; nothing to read anyway

    void* mapped = ::mmap(nullptr, result->size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, file.fd, 0);
    if (mapped != MAP_FAILED) {
        result->data_ = static_cast<std::byte*>(mapped);
        result->mapped_ = true;
        return result;
    }

    // Some file systems cannot map: read the whole file into 64-byte aligned memory instead.
    const std::size_t rounded = (result->size_ + 63) / 64 * 64;
    void* raw = std::aligned_alloc(64, rounded);
    if (!raw) throw std::bad_alloc();
    result->buffer_ = std::shared_ptr<void>(raw, std::free);
    result->data_ = static_cast<std::byte*>(raw);
    std::size_t done = 0;
    while (done < result->size_) {
        const ssize_t n =
            ::pread(file.fd, result->data_ + done, result->size_ - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(path, "read");
        if (n == 0)
            throw std::runtime_error("cannot read '" + path.string() +
                                     "': file shrank while being read");
        done += static_cast<std::size_t>(n);
    }
    return result;
}

MappedFile::~MappedFile() {
    if (mapped_) ::munmap(data_, size_);
}

} // namespace nnscope::io
