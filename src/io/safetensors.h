#pragma once
// The safetensors format: u64 little-endian header length N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value"}}
// then the data buffer, which the tensors' byte ranges must cover exactly, without gaps or
// overlap (what the reference implementation enforces). Readers validate all of it and name the
// file and the problem; reading memory-maps the file, so opening is cheap and tensors are views.

#include "engine/tensor.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nnscope::io {

class FileSource;

using SafetensorsMetadata = std::map<std::string, std::string>;
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// One tensor as the header describes it. Offsets count from the start of the data buffer.
struct SafetensorsEntry {
    std::string name;
    DType dtype = DType::Float32;
    Shape shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    // "U16", "U32" or "U64": tags of the format nnscope has no DType for. Such tensors are listed
    // (dtype then means nothing); tensor() reads them widened (io::widen_unsigned: uint16 as
    // int32, uint32 as int64, uint64 as float64). Empty for every other tag.
    std::string unreadable_tag;
    std::uint64_t nbytes() const { return end - begin; }
};

struct SafetensorsHeader {
    std::vector<SafetensorsEntry> entries; // in data offset order
    SafetensorsMetadata metadata;          // the "__metadata__" map, empty when absent
    std::uint64_t header_length = 0;       // N, the JSON's size in bytes
    std::uint64_t file_size = 0;
    std::uint64_t data_start() const { return 8 + header_length; } // file offset of the buffer
    const SafetensorsEntry* find(std::string_view name) const;     // nullptr when absent
};

// "F32" <-> DType::Float32 etc. The parser throws std::invalid_argument on unknown tags.
DType dtype_from_safetensors(std::string_view tag);
std::string_view safetensors_dtype_tag(DType dtype);

// Reads and validates only the header (and the file size) without touching the data.
SafetensorsHeader read_safetensors_header(const std::filesystem::path& path);

// An open, validated file. Each tensor is read into its own memory when asked for (changing it in
// place never touches the file); a file changed on disk since it was opened throws
// FileChangedError instead of giving torn data (see file_source.h).
class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    const SafetensorsHeader& header() const { return header_; }
    const SafetensorsMetadata& metadata() const { return header_.metadata; }
    std::vector<std::string> names() const; // data offset order
    bool contains(std::string_view name) const;
    const SafetensorsEntry& entry(std::string_view name) const; // throws when absent
    // Throws std::out_of_range naming the file and the tensor when absent.
    Tensor tensor(std::string_view name) const;
    NamedTensors tensors() const; // all of them, data offset order

private:
    Tensor make_tensor(const SafetensorsEntry& entry) const;

    std::filesystem::path path_;
    std::shared_ptr<FileSource> file_;
    SafetensorsHeader header_;
    std::unordered_map<std::string, std::size_t> index_;
};

struct SafetensorsContents {
    NamedTensors tensors; // data offset order
    SafetensorsMetadata metadata;
};

// Every tensor of a file (each read into its own memory) and its metadata.
SafetensorsContents load_safetensors(const std::filesystem::path& path);

// Writes tensors in the order given (non-contiguous ones as contiguous data), the header padded
// with spaces to a multiple of 8 bytes as the reference writer does. Names must be unique and
// non-empty. Writes a temporary file beside `path` and renames it, so a failure never leaves a
// half-written file under the real name.
void save_safetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const SafetensorsMetadata& metadata = {});

} // namespace nnscope::io
