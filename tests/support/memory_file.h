#pragma once
// A file that lives in memory only: one anonymous memfd, reopened through /proc/self/fd. The
// readers take paths and memory-map their files; rather than give each a second, in-memory entry
// point, tests and fuzz targets that feed them thousands of byte strings write each one here:
// that costs microseconds, nothing lands on disk, and the code run is exactly the code users run.
// Linux only (memfd_create). Header-only, without Qt, so that the fuzz targets share it.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace nnscope::test {

class MemoryFile {
public:
    MemoryFile()
        : fd_(::memfd_create("nnscope-memory-file", 0)) {
        if (fd_ < 0) throw std::runtime_error("memfd_create failed: no in-memory file");
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    ~MemoryFile() { ::close(fd_); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    // Replaces the contents with exactly `bytes`; returns path().
    const std::string& write(std::string_view bytes) {
        if (::ftruncate(fd_, 0) != 0) throw std::runtime_error("cannot truncate " + path_);
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n =
                ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
            if (n <= 0) throw std::runtime_error("cannot write " + path_);
            done += static_cast<std::size_t>(n);
        }
        return path_;
    }
    const std::string& path() const { return path_; }

private:
    int fd_;
    std::string path_;
};

} // namespace nnscope::test
