#pragma once
// Writes a zip archive of STORED (uncompressed) entries with libzip, laid out as PyTorch's own
// writer lays out its archives: each entry's data starts at a multiple of `alignment` bytes, the
// gap filled by a "FB" extra field of 'Z' bytes in the local header, so that a reader can map
// tensor data in place. Entries keep the order they were added in; timestamps are fixed
// (1980-01-01), so the same entries give the same bytes.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::io {

class ZipWriter {
public:
    // Nothing touches the disk before finish().
    explicit ZipWriter(std::filesystem::path path, std::size_t alignment = 64);
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    // Adds an entry viewing [data, data + size): the bytes must stay alive until finish().
    void add_view(const std::string& name, const std::byte* data, std::size_t size);
    // Adds an entry with its own copy of the bytes.
    void add_copy(const std::string& name, std::string bytes);

    // Writes through an AtomicFile (io/atomic_file.h): a failure or a kill never leaves a
    // half-written archive under the real name. Throws std::runtime_error naming the file.
    void finish();

private:
    struct Entry {
        std::string name;
        const std::byte* data = nullptr;
        std::size_t size = 0;
        std::shared_ptr<std::string> owned;
    };

    std::filesystem::path path_;
    std::size_t alignment_;
    std::vector<Entry> entries_;
};

} // namespace nnscope::io
