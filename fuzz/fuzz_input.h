#pragma once
// The readers take paths and memory-map their files. Rather than give every reader a second,
// in-memory entry point, a fuzz input goes into one anonymous in-memory file (memfd) reopened
// through /proc/self/fd: writing it costs microseconds, nothing lands on disk, and the code fuzzed
// is exactly the code users run.

#include "engine/tensor.h"
#include "io/tensor_bytes.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace nnscope::fuzz {

class InputFile {
public:
    InputFile() {
        fd_ = ::memfd_create("nnscope-fuzz-input", 0);
        if (fd_ < 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    // The same file for every input of a run, holding exactly `data`.
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        if (::ftruncate(fd_, 0) != 0) std::abort();
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
        return path_;
    }

private:
    int fd_ = -1;
    std::string path_;
};

inline InputFile& input_file() {
    static InputFile file;
    return file;
}

// Reads every element, so that a view reaching outside its storage shows up under ASan. Tensors
// whose shape alone is huge (stride-0 views are legal) are left untouched: walking them would be
// the fuzz target's own allocation, not the reader's.
inline void touch(const Tensor& t) {
    if (t.numel() <= (std::int64_t(1) << 22)) io::to_double_values(t);
}

} // namespace nnscope::fuzz
