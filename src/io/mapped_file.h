#pragma once
// A whole file's bytes, memory-mapped when the system allows it so that opening a large model is
// instant and pages load on first touch; read into memory otherwise. As with any mapping, a file
// truncated by another process while mapped makes later reads fault: write files by renaming.

#include <cstddef>
#include <filesystem>
#include <memory>

namespace nnscope::io {

class MappedFile {
public:
    // Throws std::runtime_error naming the path when the file cannot be opened or read.
    static std::shared_ptr<MappedFile> open(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    // Writable copy-on-write bytes: tensors viewing them may be changed in place (training a
    // loaded model) without ever touching the file.
    std::byte* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool is_memory_mapped() const { return mapped_; }

private:
    MappedFile() = default;

    std::byte* data_ = nullptr;
    std::size_t size_ = 0;
    bool mapped_ = false;
    std::shared_ptr<void> buffer_; // owns the bytes when the file was read instead of mapped
};

} // namespace nnscope::io
