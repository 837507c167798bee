#include "io/safetensors.h"

#include "io/atomic_file.h"
#include "io/file_source.h"
#include "io/tensor_bytes.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace nnscope::io {

namespace {

using ordered_json = nlohmann::ordered_json;

// The reference implementation's limit: a larger header is treated as hostile.
constexpr std::uint64_t max_header_length = 100'000'000;

struct TagName {
    std::string_view tag;
    DType dtype;
};
constexpr TagName tag_names[] = {
    {"F64", DType::Float64},   {"F32", DType::Float32}, {"F16", DType::Float16},
    {"BF16", DType::BFloat16}, {"I64", DType::Int64},   {"I32", DType::Int32},
    {"I16", DType::Int16},     {"I8", DType::Int8},     {"U8", DType::UInt8},
    {"BOOL", DType::Bool},
};

// Unsigned tags of the format without a DType: listed, their sizes checked, never read.
constexpr std::pair<std::string_view, std::uint64_t> unreadable_tags[] = {
    {"U16", 2}, {"U32", 4}, {"U64", 8}};

// Every reading error names the file first, so a message alone says what to fix.
[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw std::runtime_error("safetensors file '" + source + "': " + problem);
}

std::string in_quotes(std::string_view name) {
    return "'" + std::string(name) + "'";
}

std::uint64_t read_u64_le(const std::byte* p) {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | std::to_integer<std::uint64_t>(p[i]);
    return value;
}

// Checks the 8-byte length prefix against the file; returns N.
std::uint64_t check_header_length(const std::byte* prefix, std::uint64_t file_size,
                                  const std::string& source) {
    if (file_size < 8)
        fail(source, "file is " + std::to_string(file_size) +
                         " bytes, too small for the 8-byte header length");
    const std::uint64_t n = read_u64_le(prefix);
    if (n > max_header_length)
        fail(source, "header length " + std::to_string(n) + " exceeds the limit of " +
                         std::to_string(max_header_length) + " bytes");
    if (n > file_size - 8)
        fail(source, "header length " + std::to_string(n) + " is larger than the file (" +
                         std::to_string(file_size) + " bytes)");
    return n;
}

std::uint64_t non_negative_integer(const ordered_json& value, const std::string& source,
                                   const std::string& what) {
    if (!value.is_number_unsigned())
        fail(source, what + " must be a non-negative integer, got " + value.dump());
    return value.get<std::uint64_t>();
}

// Rejects duplicate keys at any depth: nlohmann would silently keep one of them, and a tensor
// name that appears twice means the file is corrupt or crafted.
ordered_json parse_json(std::string_view text, const std::string& source) {
    std::vector<std::set<std::string>> open_objects;
    std::string duplicate;
    bool duplicate_is_tensor = false;
    auto callback = [&](int, ordered_json::parse_event_t event, ordered_json& parsed) {
        using Event = ordered_json::parse_event_t;
        if (event == Event::object_start) {
            open_objects.emplace_back();
        } else if (event == Event::object_end) {
            open_objects.pop_back();
        } else if (event == Event::key && !open_objects.empty() && duplicate.empty()) {
            const auto& key = parsed.get_ref<const std::string&>();
            if (!open_objects.back().insert(key).second) {
                duplicate = key;
                duplicate_is_tensor = open_objects.size() == 1;
            }
        }
        return true;
    };
    ordered_json header;
    try {
        header = ordered_json::parse(text.begin(), text.end(), callback);
    } catch (const ordered_json::exception& error) {
        fail(source, std::string("header is not valid JSON: ") + error.what());
    }
    if (!duplicate.empty())
        fail(source, duplicate_is_tensor ? "duplicate tensor name " + in_quotes(duplicate)
                                         : "duplicate key " + in_quotes(duplicate) + " in header");
    if (!header.is_object()) fail(source, "header is not a JSON object");
    return header;
}

SafetensorsMetadata parse_metadata(const ordered_json& value, const std::string& source) {
    SafetensorsMetadata metadata;
    if (value.is_null()) return metadata;
    if (!value.is_object()) fail(source, "__metadata__ must be an object of strings");
    for (const auto& [key, item] : value.items()) {
        if (!item.is_string())
            fail(source, "__metadata__ value of " + in_quotes(key) + " must be a string, got " +
                             item.dump());
        metadata.emplace(key, item.get<std::string>());
    }
    return metadata;
}

SafetensorsEntry parse_entry(const std::string& name, const ordered_json& value,
                             const std::string& source) {
    const std::string where = "tensor " + in_quotes(name);
    if (!value.is_object()) fail(source, where + ": entry must be an object");
    for (const char* field : {"dtype", "shape", "data_offsets"})
        if (!value.contains(field)) fail(source, where + ": missing field '" + field + "'");

    SafetensorsEntry entry;
    entry.name = name;
    const auto& dtype = value["dtype"];
    if (!dtype.is_string()) fail(source, where + ": dtype must be a string");
    std::uint64_t item_size = 0;
    try {
        entry.dtype = dtype_from_safetensors(dtype.get_ref<const std::string&>());
        item_size = element_size(entry.dtype);
    } catch (const std::invalid_argument&) {
        for (const auto& [tag, size] : unreadable_tags)
            if (tag == dtype.get_ref<const std::string&>()) {
                entry.unreadable_tag = std::string(tag);
                item_size = size;
            }
        if (entry.unreadable_tag.empty()) fail(source, where + ": unknown dtype " + dtype.dump());
    }

    const auto& shape = value["shape"];
    if (!shape.is_array()) fail(source, where + ": shape must be an array");
    std::uint64_t numel = 1;
    bool overflow = false;
    for (const auto& extent : shape) {
        const std::uint64_t size = non_negative_integer(extent, source, where + ": shape entry");
        if (size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail(source, where + ": shape " + shape.dump() + " overflows");
        overflow = overflow || __builtin_mul_overflow(numel, size, &numel);
        entry.shape.push_back(static_cast<std::int64_t>(size));
    }
    std::uint64_t nbytes = 0;
    overflow = overflow || __builtin_mul_overflow(numel, item_size, &nbytes) ||
               nbytes > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    // A zero extent makes the tensor empty whatever the others are, as in PyTorch.
    if (overflow && std::find(entry.shape.begin(), entry.shape.end(), 0) == entry.shape.end())
        fail(source, where + ": shape " + shape.dump() + " overflows");
    if (overflow) nbytes = 0;

    const auto& offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2)
        fail(source, where + ": data_offsets must be an array [begin, end]");
    entry.begin = non_negative_integer(offsets[0], source, where + ": data_offsets begin");
    entry.end = non_negative_integer(offsets[1], source, where + ": data_offsets end");
    if (entry.end < entry.begin)
        fail(source, where + ": data_offsets " + offsets.dump() + " end before they begin");
    if (entry.end - entry.begin != nbytes)
        fail(source, where + ": data_offsets " + offsets.dump() + " hold " +
                         std::to_string(entry.end - entry.begin) + " bytes but shape " +
                         shape.dump() + " of " + dtype.get<std::string>() + " needs " +
                         std::to_string(nbytes));
    return entry;
}

// Parses and validates the JSON header of a file of `file_size` bytes whose header is `n` bytes.
SafetensorsHeader parse_header(std::string_view text, std::uint64_t file_size,
                               const std::string& source) {
    const ordered_json json = parse_json(text, source);
    SafetensorsHeader header;
    header.header_length = text.size();
    header.file_size = file_size;
    for (const auto& [key, value] : json.items()) {
        if (key == "__metadata__")
            header.metadata = parse_metadata(value, source);
        else
            header.entries.push_back(parse_entry(key, value, source));
    }

    // JSON key order means nothing; the data's order is the file's real order. Stable, so empty
    // tensors sharing an offset keep the header's order.
    std::stable_sort(header.entries.begin(), header.entries.end(),
                     [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
                         return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
                     });
    const std::uint64_t buffer_size = file_size - header.data_start();
    std::uint64_t covered = 0;
    const SafetensorsEntry* previous = nullptr;
    for (const auto& entry : header.entries) {
        const std::string range =
            "[" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) + "]";
        if (entry.end > buffer_size)
            fail(source, "tensor " + in_quotes(entry.name) + ": data_offsets " + range +
                             " run past the end of the " + std::to_string(buffer_size) +
                             "-byte data buffer (truncated file?)");
        if (entry.begin != covered) {
            const std::string after = previous ? "tensor " + in_quotes(previous->name) +
                                                     " ends at " + std::to_string(covered)
                                               : "the data buffer starts at 0";
            fail(source, "tensor " + in_quotes(entry.name) + ": data_offsets " + range +
                             (entry.begin < covered ? " overlap: " : " leave a gap: ") + after +
                             " (tensors must cover the buffer contiguously)");
        }
        covered = entry.end;
        previous = &entry;
    }
    if (covered != buffer_size)
        fail(source, "tensors cover " + std::to_string(covered) +
                         " bytes but the data buffer has " + std::to_string(buffer_size) +
                         " (trailing bytes)");
    return header;
}

} // namespace

const SafetensorsEntry* SafetensorsHeader::find(std::string_view name) const {
    for (const auto& entry : entries)
        if (entry.name == name) return &entry;
    return nullptr;
}

DType dtype_from_safetensors(std::string_view tag) {
    for (const auto& item : tag_names)
        if (item.tag == tag) return item.dtype;
    throw std::invalid_argument("unknown safetensors dtype '" + std::string(tag) + "'");
}

std::string_view safetensors_dtype_tag(DType dtype) {
    for (const auto& item : tag_names)
        if (item.dtype == dtype) return item.tag;
    throw_unsupported_dtype(dtype, "safetensors_dtype_tag");
}

SafetensorsHeader read_safetensors_header(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open '" + source + "': " + std::strerror(errno));
    std::error_code error;
    const std::uint64_t file_size = std::filesystem::file_size(path, error);
    if (error) throw std::runtime_error("cannot stat '" + source + "': " + error.message());

    std::byte prefix[8]{};
    if (file_size >= 8) in.read(reinterpret_cast<char*>(prefix), 8);
    const std::uint64_t n = check_header_length(prefix, file_size, source);
    std::string text(n, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(n)))
        throw std::runtime_error("cannot read the header of '" + source + "'");
    return parse_header(text, file_size, source);
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : path_(path)
    , file_(FileSource::open(path)) {
    const std::string source = path.string();
    const auto prefix = file_->read(0, std::min<std::size_t>(file_->size(), 8));
    const std::uint64_t n = check_header_length(prefix.data(), file_->size(), source);
    const auto text = file_->read(8, static_cast<std::size_t>(n));
    header_ = parse_header(std::string_view(reinterpret_cast<const char*>(text.data()), n),
                           file_->size(), source);
    index_.reserve(header_.entries.size());
    for (std::size_t i = 0; i < header_.entries.size(); ++i)
        index_.emplace(header_.entries[i].name, i);
}

std::vector<std::string> SafetensorsFile::names() const {
    std::vector<std::string> names;
    names.reserve(header_.entries.size());
    for (const auto& entry : header_.entries)
        names.push_back(entry.name);
    return names;
}

bool SafetensorsFile::contains(std::string_view name) const {
    return index_.count(std::string(name)) != 0;
}

const SafetensorsEntry& SafetensorsFile::entry(std::string_view name) const {
    const auto found = index_.find(std::string(name));
    if (found == index_.end())
        throw std::out_of_range("safetensors file '" + path_.string() + "' has no tensor " +
                                in_quotes(name));
    return header_.entries[found->second];
}

Tensor SafetensorsFile::tensor(std::string_view name) const {
    return make_tensor(entry(name));
}

NamedTensors SafetensorsFile::tensors() const {
    NamedTensors result;
    result.reserve(header_.entries.size());
    for (const auto& entry : header_.entries)
        result.emplace_back(entry.name, make_tensor(entry));
    return result;
}

Tensor SafetensorsFile::make_tensor(const SafetensorsEntry& entry) const {
    const std::uint64_t position = header_.data_start() + entry.begin;
    const auto nbytes = static_cast<std::size_t>(entry.nbytes());
    const auto storage = file_->read_storage(position, nbytes);
    if (!entry.unreadable_tag.empty()) // "U16": read widened to a dtype that holds the values
        return widen_unsigned(storage->data(), nbytes,
                              std::stoul(entry.unreadable_tag.substr(1)) / 8, entry.shape);
    return tensor_over_bytes(storage->data(), nbytes, entry.dtype, entry.shape, storage);
}

SafetensorsContents load_safetensors(const std::filesystem::path& path) {
    const SafetensorsFile file(path);
    return {file.tensors(), file.metadata()};
}

void save_safetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const SafetensorsMetadata& metadata) {
    const std::string target = path.string();
    ordered_json header = ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        if (name.empty() || name == "__metadata__")
            throw std::invalid_argument("save_safetensors '" + target + "': invalid tensor name " +
                                        in_quotes(name));
        if (header.contains(name))
            throw std::invalid_argument("save_safetensors '" + target +
                                        "': duplicate tensor name " + in_quotes(name));
        if (!tensor.defined())
            throw std::invalid_argument("save_safetensors '" + target + "': tensor " +
                                        in_quotes(name) + " is undefined");
        const std::uint64_t nbytes =
            static_cast<std::uint64_t>(tensor.numel()) * element_size(tensor.dtype());
        header[name] = {{"dtype", safetensors_dtype_tag(tensor.dtype())},
                        {"shape", tensor.shape()},
                        {"data_offsets", {offset, offset + nbytes}}};
        offset += nbytes;
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const ordered_json::exception& error) {
        throw std::invalid_argument("save_safetensors '" + target +
                                    "': a tensor name or metadata string is not valid UTF-8 (" +
                                    error.what() + ")");
    }
    text.append((8 - text.size() % 8) % 8, ' '); // the reference aligns the data to 8 bytes

    AtomicFile out(path);
    char prefix[8];
    for (int i = 0; i < 8; ++i)
        prefix[i] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
    out.write(prefix, 8);
    out.write(text);
    std::vector<std::byte> scratch;
    for (const auto& [name, tensor] : tensors) {
        const std::size_t nbytes =
            static_cast<std::size_t>(tensor.numel()) * element_size(tensor.dtype());
        if (nbytes == 0) continue;
        const std::byte* bytes = nullptr;
        if (tensor.is_contiguous()) {
            bytes = tensor.storage()->data() + tensor.offset() * element_size(tensor.dtype());
        } else {
            scratch.resize(nbytes);
            copy_to_contiguous_bytes(tensor, scratch.data());
            bytes = scratch.data();
        }
        out.write(bytes, nbytes);
    }
    out.commit();
}

} // namespace nnscope::io
