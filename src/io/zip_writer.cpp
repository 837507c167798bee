#include "io/zip_writer.h"

#include "io/atomic_file.h"

#include <stdexcept>
#include <unordered_set>
#include <zip.h>

namespace nnscope::io {

namespace {

constexpr std::uint64_t local_header_size = 30;   // fixed part of a local file header
constexpr std::uint64_t extra_header_size = 4;    // id + length of one extra field
constexpr zip_uint16_t padding_field_id = 0x4246; // "FB", as PyTorch's writer names it
constexpr zip_uint16_t dos_date_1980 = (0 << 9) | (1 << 5) | 1; // 1980-01-01

} // namespace

ZipWriter::ZipWriter(std::filesystem::path path, std::size_t alignment)
    : path_(std::move(path))
    , alignment_(alignment) {
    if (alignment_ == 0) alignment_ = 1;
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::add_view(const std::string& name, const std::byte* data, std::size_t size) {
    entries_.push_back({name, data, size, nullptr});
}

void ZipWriter::add_copy(const std::string& name, std::string bytes) {
    auto owned = std::make_shared<std::string>(std::move(bytes));
    entries_.push_back(
        {name, reinterpret_cast<const std::byte*>(owned->data()), owned->size(), owned});
}

void ZipWriter::finish() {
    const std::string target = path_.string();
    auto fail = [&](const std::string& problem) {
        throw std::runtime_error("cannot write zip archive '" + target + "': " + problem);
    };
    std::unordered_set<std::string> names;
    for (const auto& entry : entries_) {
        if (entry.name.empty() || entry.name.size() > 0xffff) fail("invalid entry name");
        if (!names.insert(entry.name).second) fail("duplicate entry '" + entry.name + "'");
    }

    // libzip writes the archive by path (and itself through a temporary of its own, without
    // flushing it): the AtomicFile's temporary is that path, flushed and renamed once complete.
    AtomicFile file(path_);
    file.release_to_path_writer();
    int error_code = 0;
    zip_t* za = zip_open(file.temporary().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error_code);
    if (!za) {
        zip_error_t error;
        zip_error_init_with_code(&error, error_code);
        const std::string message = zip_error_strerror(&error);
        zip_error_fini(&error);
        fail(message);
    }
    try {
        // libzip writes entries in index order, each as a local header (30 bytes, the name, the
        // local extra fields) followed by the data, without data descriptors: the offset of each
        // entry's data is therefore known before writing. Entries over 4 GB would gain a zip64
        // extra field and lose the alignment, which readers do not need.
        std::uint64_t offset = 0;
        const std::string padding(alignment_ + extra_header_size, 'Z');
        for (const auto& entry : entries_) {
            zip_source_t* source = zip_source_buffer(za, entry.data, entry.size, 0);
            if (!source) fail(zip_strerror(za));
            const zip_int64_t index =
                zip_file_add(za, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8);
            if (index < 0) {
                zip_source_free(source);
                fail("cannot add '" + entry.name + "': " + zip_strerror(za));
            }
            const auto i = static_cast<zip_uint64_t>(index);
            if (zip_set_file_compression(za, i, ZIP_CM_STORE, 0) != 0 ||
                zip_file_set_dostime(za, i, 0, dos_date_1980, 0) != 0)
                fail(zip_strerror(za));
            std::uint64_t data_start = offset + local_header_size + entry.name.size();
            if (data_start % alignment_ != 0) {
                const std::uint64_t with_field = data_start + extra_header_size;
                const std::uint64_t pad = (alignment_ - with_field % alignment_) % alignment_;
                if (zip_file_extra_field_set(za, i, padding_field_id, ZIP_EXTRA_FIELD_NEW,
                                             reinterpret_cast<const zip_uint8_t*>(padding.data()),
                                             static_cast<zip_uint16_t>(pad), ZIP_FL_LOCAL) != 0)
                    fail(zip_strerror(za));
                data_start = with_field + pad;
            }
            offset = data_start + entry.size;
        }
        if (zip_close(za) != 0) fail(zip_strerror(za));
        za = nullptr;
    } catch (...) {
        if (za) zip_discard(za);
        throw;
    }
    file.commit();
}

} // namespace nnscope::io
