#pragma once
// A read-only zip archive over a FileSource, with libzip reading the central directory. Opening
// reads only the directory. A STORED entry's bytes are read into fresh memory when asked for; a
// DEFLATED entry is decompressed on demand, refusing sizes the compressed data cannot justify.
// Every read throws FileChangedError once the file changed on disk after it was opened.

#include "engine/storage.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::io {

class FileSource;

struct ZipEntry {
    std::string name;
    std::uint64_t size = 0; // uncompressed
    std::uint64_t compressed_size = 0;
    bool stored = false; // method STORE: the bytes lie in the file as they are
    std::uint64_t index = 0;
};

class ZipReader {
public:
    // Throws std::runtime_error naming the file when it is not a readable zip archive.
    explicit ZipReader(const std::filesystem::path& path);
    ~ZipReader();
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    // Whether the bytes start like a zip archive (a local file header or an empty archive).
    static bool looks_like_zip(const std::byte* data, std::size_t size);

    const std::filesystem::path& path() const { return path_; }
    const std::vector<ZipEntry>& entries() const { return entries_; }
    const ZipEntry* find(std::string_view name) const; // nullptr when absent

    // The whole entry in fresh memory; refuses entries larger than `max_size`.
    std::vector<std::byte> read(const ZipEntry& entry, std::uint64_t max_size) const;
    // The entry as tensor storage in fresh, aligned memory (decompressed for DEFLATED entries).
    // `alignment` is kept for callers; fresh storage satisfies any element alignment.
    std::shared_ptr<Storage> storage(const ZipEntry& entry, std::size_t alignment) const;

    // Where a STORED entry's bytes start in the file.
    std::uint64_t data_offset(const ZipEntry& entry) const;

private:
    struct Source;
    std::filesystem::path path_;
    std::shared_ptr<FileSource> file_;
    std::unique_ptr<Source> source_;
    void* archive_ = nullptr; // zip_t*
    std::vector<ZipEntry> entries_;
    mutable std::mutex mutex_; // libzip handles are not thread-safe
};

} // namespace nnscope::io
