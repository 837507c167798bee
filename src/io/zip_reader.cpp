#include "io/zip_reader.h"

#include "io/file_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <utility>
#include <vector>
#include <zip.h>

namespace nnscope::io {

namespace {

// Deflate cannot expand data more than about 1032:1; a larger claim is an allocation bomb.
constexpr std::uint64_t max_expansion = 1100;

zip_t* as_zip(void* p) {
    return static_cast<zip_t*>(p);
}

std::uint64_t le_at(const std::byte* p, int n) {
    std::uint64_t v = 0;
    for (int i = n; i-- > 0;)
        v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
    return v;
}

// Little-endian fields of an opened file read through a window of 64 KiB, for the few walks over
// an archive that libzip would not open: a truncated file can be large, so it is never read whole.
class Bytes {
public:
    explicit Bytes(const FileSource& file)
        : file_(file) {}
    std::uint64_t le(std::uint64_t pos, int n) { return le_at(at(pos, n), n); }
    std::string text(std::uint64_t pos, std::size_t n) {
        std::string out(n, '\0');
        if (n) file_.read(pos, n, reinterpret_cast<std::byte*>(out.data()));
        return out;
    }

private:
    const std::byte* at(std::uint64_t pos, int n) {
        const auto need = static_cast<std::uint64_t>(n);
        if (pos < start_ || pos + need > start_ + window_.size()) {
            start_ = pos;
            window_ = file_.read(
                pos, static_cast<std::size_t>(std::min<std::uint64_t>(file_.size() - pos, 65536)));
        }
        return window_.data() + (pos - start_);
    }

    const FileSource& file_;
    std::uint64_t start_ = 0;
    std::vector<std::byte> window_;
};

// Whether the end-of-central-directory record is where a complete archive has it: in the last
// 64 KiB + 22 bytes (its comment is at most 64 KiB).
bool has_end_record(Bytes& bytes, std::uint64_t size) {
    const std::uint64_t window = std::min<std::uint64_t>(size, 65535 + 22);
    for (std::uint64_t i = size - window; i + 22 <= size; ++i)
        if (bytes.le(i, 4) == 0x06054b50) return true;
    return false;
}

// For an archive whose end is missing (a file cut short, a copy still being written): where the
// data stops, walking the local headers from the start, and how many bytes are missing at least
// (the rest of the entry it stops in, a central directory record per entry and the end record).
// Empty when the archive does not look cut short.
std::string truncation_report(Bytes& bytes, std::uint64_t size) {
    if (size < 4 || bytes.le(0, 4) != 0x04034b50 || has_end_record(bytes, size)) return "";
    const std::string ends = "ends after " + std::to_string(size) + " bytes";
    std::uint64_t pos = 0;
    std::uint64_t directory = 22; // the end record
    std::string last;
    while (pos + 4 <= size && bytes.le(pos, 4) == 0x04034b50) {
        if (pos + 30 > size)
            return ends + ", inside an entry's header; at least " +
                   std::to_string(pos + 30 - size + directory) + " bytes are missing";
        const std::uint64_t flags = bytes.le(pos + 6, 2);
        std::uint64_t compressed = bytes.le(pos + 18, 4);
        const std::uint64_t name_length = bytes.le(pos + 26, 2);
        const std::uint64_t extra_length = bytes.le(pos + 28, 2);
        const std::uint64_t body = pos + 30 + name_length + extra_length;
        directory += 46 + name_length;
        if (body > size)
            return ends + ", inside an entry's header; at least " +
                   std::to_string(body - size + directory) + " bytes are missing";
        last = bytes.text(pos + 30, name_length);
        if (compressed == 0xffffffff) { // zip64: the sizes are in the extra field
            for (std::uint64_t e = pos + 30 + name_length; e + 4 <= body;) {
                const std::uint64_t id = bytes.le(e, 2);
                const std::uint64_t length = bytes.le(e + 2, 2);
                if (id == 1 && length >= 16 && e + 20 <= body) compressed = bytes.le(e + 12, 8);
                e += 4 + length;
            }
        }
        if ((flags & 8) && compressed == 0) { // the size follows the data: find the next record
            std::uint64_t next = body;
            while (next + 4 <= size && bytes.le(next, 4) != 0x04034b50 &&
                   bytes.le(next, 4) != 0x02014b50)
                ++next;
            if (next + 4 > size)
                return ends + ", inside entry '" + last +
                       "' (its size is written after its data, so how much is missing is not "
                       "known)";
            pos = next;
            continue;
        }
        const std::uint64_t end = body + compressed + ((flags & 8) ? 16 : 0);
        if (end > size)
            return ends + ", inside entry '" + last + "'; at least " +
                   std::to_string(end - size + directory) + " bytes are missing";
        pos = end;
    }
    if (pos + 4 <= size && bytes.le(pos, 4) == 0x02014b50) { // cut inside the directory
        std::uint64_t present = 0;
        while (pos + 46 <= size && bytes.le(pos, 4) == 0x02014b50) {
            const std::uint64_t name_length = bytes.le(pos + 28, 2);
            const std::uint64_t record =
                46 + name_length + bytes.le(pos + 30, 2) + bytes.le(pos + 32, 2);
            if (pos + record > size) break;
            present += 46 + name_length;
            pos += record;
        }
        // A zip64 end record and its locator may stand before the end record.
        if (pos + 12 <= size && bytes.le(pos, 4) == 0x06064b50 &&
            bytes.le(pos + 4, 8) <= size - pos - 12)
            pos += 12 + bytes.le(pos + 4, 8);
        if (pos + 20 <= size && bytes.le(pos, 4) == 0x07064b50) pos += 20;
        const std::uint64_t missing = pos + 4 <= size && bytes.le(pos, 4) == 0x06054b50
                                          ? pos + 22 - size // cut inside the end record
                                          : directory - std::min(present, directory - 22);
        return ends + ", inside the archive's directory; at least " + std::to_string(missing) +
               " bytes are missing";
    }
    return ends + (last.empty() ? std::string() : ", after entry '" + last + "'") +
           ", before the archive's directory; at least " + std::to_string(directory) +
           " bytes are missing";
}

} // namespace

// libzip reads the archive through this callback source over the file, so the position of every
// read is known: opening a STORED entry and reading its first byte tells where its data starts,
// which libzip has no public call for. A read that finds the file changed keeps its
// FileChangedError in `failure` (an exception must not cross libzip's C frames) and the caller
// rethrows it once libzip has returned.
struct ZipReader::Source {
    const FileSource* file = nullptr;
    std::uint64_t size = 0;
    std::uint64_t pos = 0;
    std::uint64_t last_read_start = 0;
    zip_error_t error{};
    std::exception_ptr failure;

    void rethrow_failure() {
        if (auto failure_now = std::exchange(failure, nullptr)) std::rethrow_exception(failure_now);
    }

    static zip_int64_t callback(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
        auto& self = *static_cast<Source*>(user);
        switch (cmd) {
        case ZIP_SOURCE_OPEN:
            self.pos = 0;
            return 0;
        case ZIP_SOURCE_READ: {
            const std::uint64_t n = std::min<std::uint64_t>(len, self.size - self.pos);
            try {
                if (n) self.file->read(self.pos, n, static_cast<std::byte*>(data));
            } catch (...) {
                self.failure = std::current_exception();
                zip_error_set(&self.error, ZIP_ER_READ, EIO);
                return -1;
            }
            self.last_read_start = self.pos;
            self.pos += n;
            return static_cast<zip_int64_t>(n);
        }
        case ZIP_SOURCE_CLOSE:
        case ZIP_SOURCE_FREE:
            return 0;
        case ZIP_SOURCE_STAT: {
            if (len < sizeof(zip_stat_t)) return -1;
            auto* st = static_cast<zip_stat_t*>(data);
            zip_stat_init(st);
            st->size = self.size;
            st->valid |= ZIP_STAT_SIZE;
            return sizeof(zip_stat_t);
        }
        case ZIP_SOURCE_ERROR:
            return zip_error_to_data(&self.error, data, len);
        case ZIP_SOURCE_SEEK: {
            const zip_int64_t target =
                zip_source_seek_compute_offset(self.pos, self.size, data, len, &self.error);
            if (target < 0) return -1;
            self.pos = static_cast<std::uint64_t>(target);
            return 0;
        }
        case ZIP_SOURCE_TELL:
            return static_cast<zip_int64_t>(self.pos);
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(
                ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
                ZIP_SOURCE_SUPPORTS, -1);
        default:
            zip_error_set(&self.error, ZIP_ER_OPNOTSUPP, 0);
            return -1;
        }
    }
};

ZipReader::ZipReader(const std::filesystem::path& path)
    : path_(path)
    , file_(FileSource::open(path))
    , source_(std::make_unique<Source>()) {
    source_->file = file_.get();
    source_->size = file_->size();
    zip_error_init(&source_->error);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_function_create(&Source::callback, source_.get(), &error);
    if (!src) {
        const std::string message = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw std::runtime_error("cannot read zip archive '" + path.string() + "': " + message);
    }
    zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!za) {
        zip_source_free(src);
        zip_error_fini(&source_->error);
        source_->rethrow_failure();
        const std::string message = zip_error_strerror(&error);
        zip_error_fini(&error);
        std::string truncated;
        try {
            Bytes bytes(*file_);
            truncated = truncation_report(bytes, file_->size());
        } catch (const std::exception&) { // changed again while we looked: no report
        }
        if (!truncated.empty())
            throw std::runtime_error("'" + path.string() + "' is a truncated zip archive: it " +
                                     truncated);
        throw std::runtime_error("'" + path.string() +
                                 "' is not a readable zip archive: " + message);
    }
    zip_error_fini(&error);
    archive_ = za;

    try {
        const zip_int64_t count = zip_get_num_entries(za, 0);
        entries_.reserve(static_cast<std::size_t>(std::max<zip_int64_t>(count, 0)));
        for (zip_int64_t i = 0; i < count; ++i) {
            zip_stat_t st;
            if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !st.name ||
                !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
                throw std::runtime_error("zip archive '" + path.string() + "': unreadable entry " +
                                         std::to_string(i));
            if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
                throw std::runtime_error("zip archive '" + path.string() + "': entry '" + st.name +
                                         "' is encrypted");
            ZipEntry entry;
            entry.name = st.name;
            entry.size = st.size;
            entry.compressed_size = st.comp_size;
            entry.stored = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_STORE;
            entry.index = static_cast<std::uint64_t>(i);
            if (entry.stored && entry.size != entry.compressed_size)
                throw std::runtime_error("zip archive '" + path.string() + "': stored entry '" +
                                         entry.name + "' has different sizes");
            entries_.push_back(std::move(entry));
        }
    } catch (...) { // the destructor does not run for a constructor that throws
        zip_discard(za);
        archive_ = nullptr;
        zip_error_fini(&source_->error);
        throw;
    }
}

ZipReader::~ZipReader() {
    zip_discard(as_zip(archive_));
    zip_error_fini(&source_->error);
}

bool ZipReader::looks_like_zip(const std::byte* data, std::size_t size) {
    if (size < 4) return false;
    const auto b = [&](std::size_t i) { return std::to_integer<unsigned char>(data[i]); };
    return b(0) == 'P' && b(1) == 'K' && ((b(2) == 3 && b(3) == 4) || (b(2) == 5 && b(3) == 6));
}

const ZipEntry* ZipReader::find(std::string_view name) const {
    for (const auto& entry : entries_)
        if (entry.name == name) return &entry;
    return nullptr;
}

std::uint64_t ZipReader::data_offset(const ZipEntry& entry) const {
    if (!entry.stored) throw std::logic_error("data_offset of a compressed zip entry");
    std::lock_guard lock(mutex_);
    zip_file_t* zf = zip_fopen_index(as_zip(archive_), entry.index, 0);
    if (!zf) source_->rethrow_failure();
    if (!zf)
        throw std::runtime_error("zip archive '" + path_.string() + "': cannot open entry '" +
                                 entry.name + "': " + zip_strerror(as_zip(archive_)));
    char first = 0;
    source_->last_read_start = ~std::uint64_t(0);
    const zip_int64_t n = entry.size ? zip_fread(zf, &first, 1) : 0;
    const std::string message = n < 0 ? zip_file_strerror(zf) : "";
    zip_fclose(zf);
    source_->rethrow_failure();
    if (n < 0)
        throw std::runtime_error("zip archive '" + path_.string() + "': cannot read entry '" +
                                 entry.name + "': " + message);
    if (entry.size == 0) return 0;
    const std::uint64_t offset = source_->last_read_start;
    std::byte at_offset{};
    if (offset < file_->size()) file_->read(offset, 1, &at_offset);
    if (offset > file_->size() || entry.size > file_->size() - offset ||
        std::to_integer<char>(at_offset) != first)
        throw std::runtime_error("zip archive '" + path_.string() + "': entry '" + entry.name +
                                 "' lies outside the file");
    return offset;
}

std::vector<std::byte> ZipReader::read(const ZipEntry& entry, std::uint64_t max_size) const {
    if (entry.size > max_size)
        throw std::runtime_error("zip archive '" + path_.string() + "': entry '" + entry.name +
                                 "' is " + std::to_string(entry.size) + " bytes, over the " +
                                 std::to_string(max_size) + "-byte limit");
    if (entry.stored) {
        return file_->read(data_offset(entry), static_cast<std::size_t>(entry.size));
    }
    if (entry.size > entry.compressed_size * max_expansion + 4096)
        throw std::runtime_error("zip archive '" + path_.string() + "': entry '" + entry.name +
                                 "' claims " + std::to_string(entry.size) + " bytes from " +
                                 std::to_string(entry.compressed_size) + " compressed bytes");
    std::vector<std::byte> out(static_cast<std::size_t>(entry.size));
    std::lock_guard lock(mutex_);
    zip_file_t* zf = zip_fopen_index(as_zip(archive_), entry.index, 0);
    if (!zf) source_->rethrow_failure();
    if (!zf)
        throw std::runtime_error("zip archive '" + path_.string() + "': cannot open entry '" +
                                 entry.name + "': " + zip_strerror(as_zip(archive_)));
    std::uint64_t done = 0;
    std::string problem;
    while (done < entry.size) {
        const zip_int64_t n = zip_fread(zf, out.data() + done, entry.size - done);
        if (n < 0) {
            problem = zip_file_strerror(zf);
            break;
        }
        if (n == 0) {
            problem = "data ends early";
            break;
        }
        done += static_cast<std::uint64_t>(n);
    }
    if (problem.empty()) { // reading to the end lets libzip check the CRC
        char extra;
        if (zip_fread(zf, &extra, 1) != 0) problem = zip_file_strerror(zf);
    }
    zip_fclose(zf);
    source_->rethrow_failure();
    if (!problem.empty())
        throw std::runtime_error("zip archive '" + path_.string() + "': entry '" + entry.name +
                                 "': " + problem);
    return out;
}

std::shared_ptr<Storage> ZipReader::storage(const ZipEntry& entry, std::size_t alignment) const {
    (void)alignment; // fresh storage is aligned whatever the offset of the bytes in the file
    if (entry.stored)
        return file_->read_storage(data_offset(entry), static_cast<std::size_t>(entry.size));
    const std::vector<std::byte> bytes = read(entry, entry.size);
    auto copy = Storage::allocate(bytes.size());
    if (!bytes.empty()) std::memcpy(copy->data(), bytes.data(), bytes.size());
    return copy;
}

} // namespace nnscope::io
