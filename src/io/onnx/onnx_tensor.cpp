#include "io/onnx/onnx_tensor.h"

#include "io/file_source.h"
#include "io/tensor_bytes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <onnx/onnx_pb.h>
#include <stdexcept>

namespace nnscope::io {

namespace {

using onnx::TensorProto;

[[noreturn]] void fail(const std::string& what, const std::string& problem) {
    throw std::runtime_error(what + ": " + problem);
}

std::string dims_text(const TensorProto& tensor) {
    std::string text = "[";
    for (int i = 0; i < tensor.dims_size(); ++i)
        text += (i ? ", " : "") + std::to_string(tensor.dims(i));
    return text + "]";
}

std::uint64_t parse_unsigned(const std::string& text, const std::string& what,
                             const std::string& key) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        fail(what, "external data " + key + " '" + text + "' is not a non-negative integer");
    return value;
}

// Fresh contiguous tensor filled from a typed repeated field, converting each value with `cast`.
template <class Out, class Field, class Cast>
Tensor from_field(const Field& field, const char* field_name, DType dtype, const Shape& shape,
                  std::int64_t numel, const std::string& what, Cast cast) {
    if (static_cast<std::int64_t>(field.size()) != numel)
        fail(what, std::string(field_name) + " holds " + std::to_string(field.size()) +
                       " values but the dims need " + std::to_string(numel));
    Tensor out = Tensor::empty(shape, dtype);
    auto* data = reinterpret_cast<Out*>(out.storage()->data());
    for (std::int64_t i = 0; i < numel; ++i)
        data[i] = cast(field.Get(static_cast<int>(i)));
    return out;
}

Tensor from_typed_fields(const TensorProto& tensor, DType dtype, const Shape& shape,
                         std::int64_t numel, const std::string& what) {
    const auto same = [](auto v) { return v; };
    switch (dtype) {
    case DType::Float32:
        return from_field<float>(tensor.float_data(), "float_data", dtype, shape, numel, what,
                                 same);
    case DType::Float64:
        return from_field<double>(tensor.double_data(), "double_data", dtype, shape, numel, what,
                                  same);
    case DType::Int64:
        return from_field<std::int64_t>(tensor.int64_data(), "int64_data", dtype, shape, numel,
                                        what, same);
    case DType::Int32:
        return from_field<std::int32_t>(tensor.int32_data(), "int32_data", dtype, shape, numel,
                                        what, same);
    // The narrower types travel in int32_data, one value per entry; float16 and bfloat16 as
    // their bit patterns in the low 16 bits.
    case DType::Int16:
        return from_field<std::int16_t>(tensor.int32_data(), "int32_data", dtype, shape, numel,
                                        what, [](std::int32_t v) { return std::int16_t(v); });
    case DType::Int8:
        return from_field<std::int8_t>(tensor.int32_data(), "int32_data", dtype, shape, numel, what,
                                       [](std::int32_t v) { return std::int8_t(v); });
    case DType::UInt8:
        return from_field<std::uint8_t>(tensor.int32_data(), "int32_data", dtype, shape, numel,
                                        what, [](std::int32_t v) { return std::uint8_t(v); });
    case DType::Bool:
        return from_field<bool>(tensor.int32_data(), "int32_data", dtype, shape, numel, what,
                                [](std::int32_t v) { return v != 0; });
    case DType::Float16:
    case DType::BFloat16:
        return from_field<std::uint16_t>(
            tensor.int32_data(), "int32_data", dtype, shape, numel, what,
            [](std::int32_t v) { return static_cast<std::uint16_t>(v & 0xffff); });
    }
    fail(what, "unhandled dtype");
}

struct ExternalRange {
    std::string location;
    std::uint64_t offset = 0;
};

// Where external data lies, checked against the dims and the data file's size (a stat, no read).
ExternalRange external_range(const TensorProto& tensor, std::uint64_t nbytes,
                             const std::string& what, ExternalDataFiles* external) {
    if (!external) fail(what, "external data is not allowed here");
    ExternalRange range;
    std::optional<std::uint64_t> length;
    for (const auto& entry : tensor.external_data()) {
        if (entry.key() == "location")
            range.location = entry.value();
        else if (entry.key() == "offset")
            range.offset = parse_unsigned(entry.value(), what, "offset");
        else if (entry.key() == "length")
            length = parse_unsigned(entry.value(), what, "length");
    }
    if (range.location.empty()) fail(what, "external data without a location");
    if (length && *length != nbytes)
        fail(what, "external data length " + std::to_string(*length) + " does not match the " +
                       std::to_string(nbytes) + " bytes its dims " + dims_text(tensor) + " need");
    std::uintmax_t size = 0;
    try {
        size = external->size(range.location);
    } catch (const FileChangedError&) {
        throw; // names the data file; a reload is the answer, not "this model is broken"
    } catch (const std::runtime_error& e) {
        fail(what, e.what());
    }
    if (range.offset > size || nbytes > size - range.offset)
        fail(what, "external data at offset " + std::to_string(range.offset) + " with " +
                       std::to_string(nbytes) + " bytes runs past the end of '" + range.location +
                       "' (" + std::to_string(size) + " bytes)");
    return range;
}

// The stored count of the typed field the dtype uses (onnx.proto's rules).
int typed_count(const TensorProto& tensor, DType dtype, const char** field) {
    switch (dtype) {
    case DType::Float32:
        *field = "float_data";
        return tensor.float_data_size();
    case DType::Float64:
        *field = "double_data";
        return tensor.double_data_size();
    case DType::Int64:
        *field = "int64_data";
        return tensor.int64_data_size();
    default:
        *field = "int32_data";
        return tensor.int32_data_size();
    }
}

struct Layout {
    DType dtype;
    Shape shape;
    std::int64_t numel = 1;
    std::uint64_t nbytes = 0;
};

// Every size check, before anything is read or allocated.
Layout checked_layout(const TensorProto& tensor, const std::string& what,
                      ExternalDataFiles* external, const RawData* raw,
                      std::optional<ExternalRange>* range) {
    const auto dtype = dtype_from_onnx(tensor.data_type());
    if (!dtype)
        fail(what,
             "element type '" + onnx_type_name(tensor.data_type()) + "' cannot be read by nnscope");
    if (tensor.has_segment()) fail(what, "segmented tensors are not supported");
    Layout layout{*dtype, onnx_tensor_shape(tensor, what)};
    for (const std::int64_t d : layout.shape)
        layout.numel *= d;
    layout.nbytes = static_cast<std::uint64_t>(layout.numel) * element_size(*dtype);
    if (tensor.data_location() == TensorProto::EXTERNAL) {
        *range = external_range(tensor, layout.nbytes, what, external);
    } else if (raw || tensor.has_raw_data()) {
        const std::size_t raw_size = raw ? raw->size : tensor.raw_data().size();
        if (raw_size != layout.nbytes)
            fail(what, "raw_data holds " + std::to_string(raw_size) + " bytes but dims " +
                           dims_text(tensor) + " of " + onnx_type_name(tensor.data_type()) +
                           " need " + std::to_string(layout.nbytes));
    } else {
        const char* field = "";
        const int count = typed_count(tensor, *dtype, &field);
        if (count != layout.numel)
            fail(what, std::string(field) + " holds " + std::to_string(count) +
                           " values but the dims " + dims_text(tensor) + " need " +
                           std::to_string(layout.numel));
    }
    return layout;
}

} // namespace

std::optional<DType> dtype_from_onnx(int data_type) {
    switch (data_type) {
    case TensorProto::FLOAT:
        return DType::Float32;
    case TensorProto::DOUBLE:
        return DType::Float64;
    case TensorProto::FLOAT16:
        return DType::Float16;
    case TensorProto::BFLOAT16:
        return DType::BFloat16;
    case TensorProto::INT64:
        return DType::Int64;
    case TensorProto::INT32:
        return DType::Int32;
    case TensorProto::INT16:
        return DType::Int16;
    case TensorProto::INT8:
        return DType::Int8;
    case TensorProto::UINT8:
        return DType::UInt8;
    case TensorProto::BOOL:
        return DType::Bool;
    default:
        return std::nullopt;
    }
}

std::string onnx_type_name(int data_type) {
    if (const auto dtype = dtype_from_onnx(data_type)) return std::string(dtype_name(*dtype));
    if (!onnx::TensorProto_DataType_IsValid(data_type))
        return "onnx-type-" + std::to_string(data_type);
    std::string name =
        onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(data_type));
    for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

Shape onnx_tensor_shape(const TensorProto& tensor, const std::string& what) {
    Shape shape;
    std::int64_t numel = 1;
    for (const std::int64_t d : tensor.dims()) {
        if (d < 0) fail(what, "negative dimension in dims " + dims_text(tensor));
        // Nine bytes per element at most (complex128 is 16, but those are never read): keep the
        // byte count representable too.
        if (d != 0 && numel > std::numeric_limits<std::int64_t>::max() / 16 / d)
            fail(what, "dims " + dims_text(tensor) + " hold more elements than any file could");
        numel *= d;
        shape.push_back(d);
    }
    return shape;
}

struct ExternalDataFiles::State {
    std::mutex mutex;
    std::map<std::string, std::filesystem::path> resolved;
    // Each file's identity when the model was opened. Files are opened per load, not kept open:
    // a model may come with thousands of data files (one per tensor), more than a process may
    // hold open.
    std::map<std::string, FileIdentity> identities;
};

ExternalDataFiles::ExternalDataFiles(std::filesystem::path model_folder)
    : folder_(std::move(model_folder))
    , state_(std::make_unique<State>()) {}

ExternalDataFiles::~ExternalDataFiles() = default;

std::filesystem::path ExternalDataFiles::resolve(const std::string& location) {
    if (const auto it = state_->resolved.find(location); it != state_->resolved.end())
        return it->second;
    const std::string what = "external data file '" + location + "'";
    const std::filesystem::path relative(location);
    if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
        throw std::runtime_error(what + ": absolute paths are refused; external data must lie "
                                        "in the model's folder");
    for (const auto& part : relative)
        if (part == "..")
            throw std::runtime_error(what + ": '..' is refused; external data must lie in the "
                                            "model's folder");
    // Symbolic links may still lead elsewhere: compare the resolved paths.
    std::error_code ec;
    const auto folder = std::filesystem::canonical(folder_, ec);
    const auto target = ec ? folder : std::filesystem::canonical(folder_ / relative, ec);
    if (ec)
        throw std::runtime_error(what + ": cannot be found next to the model (" + ec.message() +
                                 ")");
    const auto [end, unused] =
        std::mismatch(folder.begin(), folder.end(), target.begin(), target.end());
    if (end != folder.end())
        throw std::runtime_error(what + ": resolves outside the model's folder, refused");
    if (!std::filesystem::is_regular_file(target, ec))
        throw std::runtime_error(what + ": not a regular file");
    state_->resolved.emplace(location, target);
    return target;
}

// The first look fixes the file's identity: a data file replaced or rewritten afterwards is
// noticed when a tensor is loaded, never read as if it were the same.
std::uintmax_t ExternalDataFiles::size(const std::string& location) {
    return open(location)->size();
}

std::shared_ptr<FileSource> ExternalDataFiles::open(const std::string& location) {
    std::lock_guard lock(state_->mutex);
    const std::filesystem::path path = resolve(location);
    auto file = FileSource::open(path);
    const auto [it, first] = state_->identities.try_emplace(location, file->identity());
    if (!first && it->second != file->identity())
        throw FileChangedError(path, describe_file_change(path, it->second, file->identity()));
    return file;
}

void check_onnx_tensor(const TensorProto& tensor, const std::string& what,
                       ExternalDataFiles* external, const RawData* raw) {
    std::optional<ExternalRange> range;
    checked_layout(tensor, what, external, raw, &range);
}

Tensor load_onnx_tensor(const TensorProto& tensor, const std::string& what,
                        ExternalDataFiles* external, const RawData* raw) {
    std::optional<ExternalRange> range;
    const Layout layout = checked_layout(tensor, what, external, raw, &range);
    if (range) {
        // Checked again against the file: it may have changed since it was opened.
        const auto file = external->open(range->location);
        if (range->offset > file->size() || layout.nbytes > file->size() - range->offset)
            fail(what, "external data file '" + range->location + "' shrank since it was opened");
        const auto storage = file->read_storage(range->offset, layout.nbytes);
        return tensor_over_bytes(storage->data(), layout.nbytes, layout.dtype, layout.shape,
                                 storage);
    }
    if (raw) return tensor_over_bytes(raw->data, raw->size, layout.dtype, layout.shape, raw->owner);
    if (tensor.has_raw_data()) {
        // Bytes the caller did not offer to share: a private copy.
        const std::string& raw_data = tensor.raw_data();
        return tensor_over_bytes(reinterpret_cast<std::byte*>(const_cast<char*>(raw_data.data())),
                                 raw_data.size(), layout.dtype, layout.shape, nullptr);
    }
    return from_typed_fields(tensor, layout.dtype, layout.shape, layout.numel, what);
}

} // namespace nnscope::io
