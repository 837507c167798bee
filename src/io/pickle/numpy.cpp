#include "io/pickle/numpy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>

namespace nnscope::io::pickle {

namespace {

bool in_multiarray(const Value& v, std::string_view name) {
    return v.kind == Kind::Placeholder && (v.text == "numpy.core.multiarray." + std::string(name) ||
                                           v.text == "numpy._core.multiarray." + std::string(name));
}

struct NumpyType {
    std::string code; // "f8", "<U5", ...
    char byteorder = '|';
};

// numpy.dtype('f8', False, True) and the byte order its BUILD state gives.
std::optional<NumpyType> dtype_of(const Value& v) {
    if (v.kind != Kind::Placeholder || v.text != "numpy.dtype" || v.items.empty() ||
        v.items[0]->kind != Kind::String)
        return std::nullopt;
    NumpyType type{v.items[0]->text};
    if (v.state && v.state->kind == Kind::Tuple && v.state->items.size() > 1 &&
        v.state->items[1]->kind == Kind::String && v.state->items[1]->text.size() == 1)
        type.byteorder = v.state->items[1]->text[0];
    return type;
}

struct Element {
    std::string_view code;
    DType dtype;
};
constexpr std::array<Element, 9> elements{{{"f8", DType::Float64},
                                           {"f4", DType::Float32},
                                           {"f2", DType::Float16},
                                           {"i8", DType::Int64},
                                           {"i4", DType::Int32},
                                           {"i2", DType::Int16},
                                           {"i1", DType::Int8},
                                           {"u1", DType::UInt8},
                                           {"b1", DType::Bool}}};

std::optional<DType> nnscope_dtype(const NumpyType& type) {
    if (type.byteorder == '>') return std::nullopt;
    for (const auto& [code, dtype] : elements)
        if (type.code == code) return dtype;
    return std::nullopt;
}

std::uint64_t little_endian(const std::string& bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = bytes.size(); i-- > 0;)
        v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    return v;
}

double half_to_double(std::uint16_t h) {
    const int exponent = (h >> 10) & 0x1f;
    const int mantissa = h & 0x3ff;
    double value = exponent == 0    ? std::ldexp(mantissa, -24)
                   : exponent == 31 ? (mantissa ? std::nan("") : INFINITY)
                                    : std::ldexp(mantissa + 1024, exponent - 25);
    return (h & 0x8000) ? -value : value;
}

} // namespace

std::optional<std::string> numpy_scalar_text(const Value& value) {
    if (!in_multiarray(value, "scalar") || value.items.size() != 2 ||
        value.items[1]->kind != Kind::Bytes)
        return std::nullopt;
    const auto type = dtype_of(*value.items[0]);
    if (!type || type->byteorder == '>' || type->code.size() != 2) return std::nullopt;
    const std::string& bytes = value.items[1]->text;
    const char kind = type->code[0];
    const std::size_t width = static_cast<std::size_t>(type->code[1] - '0');
    if (bytes.size() != width || (width != 1 && width != 2 && width != 4 && width != 8))
        return std::nullopt;
    const std::uint64_t raw = little_endian(bytes);
    switch (kind) {
    case 'b':
        return std::string(raw ? "True" : "False");
    case 'u':
        return std::to_string(raw);
    case 'i': {
        const unsigned shift = 64 - 8 * unsigned(width);
        return std::to_string(static_cast<std::int64_t>(raw << shift) >> shift);
    }
    case 'f':
        if (width == 8) {
            double d;
            std::memcpy(&d, &raw, 8);
            return format_float(d);
        }
        if (width == 4) {
            float f;
            const auto bits = static_cast<std::uint32_t>(raw);
            std::memcpy(&f, &bits, 4);
            return format_float(f);
        }
        if (width == 2) return format_float(half_to_double(static_cast<std::uint16_t>(raw)));
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::optional<std::string> numpy_dtype_text(const Value& value) {
    const auto type = dtype_of(value);
    if (!type) return std::nullopt;
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> names{{
        {"f8", "float64"},
        {"f4", "float32"},
        {"f2", "float16"},
        {"i8", "int64"},
        {"i4", "int32"},
        {"i2", "int16"},
        {"i1", "int8"},
        {"u8", "uint64"},
        {"u4", "uint32"},
        {"u2", "uint16"},
        {"u1", "uint8"},
        {"b1", "bool"},
    }};
    for (const auto& [code, name] : names)
        if (type->code == code && type->byteorder != '>')
            return "dtype('" + std::string(name) + "')";
    return "dtype('" + (type->byteorder == '>' ? std::string(">") : "") + type->code + "')";
}

bool is_numpy_array(const Value& value) {
    return in_multiarray(value, "_reconstruct");
}

namespace {

struct ArrayState {
    const Value* shape = nullptr;
    const Value* dtype = nullptr;
    bool fortran = false;
    const Value* data = nullptr;
};

// (version, shape, dtype, is_fortran, data) from ndarray.__reduce__.
std::optional<ArrayState> array_state(const Value& value) {
    if (!is_numpy_array(value) || !value.state || value.state->kind != Kind::Tuple ||
        value.state->items.size() != 5)
        return std::nullopt;
    const auto& s = value.state->items;
    if (s[1]->kind != Kind::Tuple || s[3]->kind != Kind::Bool) return std::nullopt;
    return ArrayState{s[1].get(), s[2].get(), s[3]->boolean, s[4].get()};
}

std::optional<Shape> int_shape(const Value& shape) {
    Shape out;
    for (const auto& d : shape.items) {
        if (d->kind != Kind::Int || d->integer < 0) return std::nullopt;
        out.push_back(d->integer);
    }
    return out;
}

} // namespace

std::shared_ptr<const TensorRef> numpy_array_tensor(const Value& value) {
    const auto state = array_state(value);
    if (!state || state->data->kind != Kind::Bytes) return nullptr;
    const auto type = dtype_of(*state->dtype);
    if (!type) return nullptr;
    const auto known = nnscope_dtype(*type);
    const auto shape = int_shape(*state->shape);
    if (!known || !shape || shape->size() > 64) return nullptr;
    const DType dtype = known.value();
    std::int64_t numel = 1;
    for (const std::int64_t d : *shape)
        if (__builtin_mul_overflow(numel, d, &numel)) return nullptr;
    const std::string& bytes = state->data->text;
    if (static_cast<std::uint64_t>(numel) * element_size(dtype) != bytes.size()) return nullptr;
    Shape strides(shape->size(), 1);
    std::int64_t step = 1;
    for (std::size_t i = 0; i < shape->size(); ++i) { // C order, or Fortran (column-major) order
        const std::size_t d = state->fortran ? i : shape->size() - 1 - i;
        strides[d] = step;
        step *= std::max<std::int64_t>((*shape)[d], 1);
    }
    auto storage = std::make_shared<StorageRef>();
    storage->type_name = "numpy.ndarray";
    storage->dtype = dtype;
    storage->key = "numpy@" + std::to_string(reinterpret_cast<std::uintptr_t>(&value));
    storage->location = "pickle";
    storage->numel = numel;
    storage->inline_bytes = std::make_shared<const std::string>(bytes);
    auto ref = std::make_shared<TensorRef>();
    ref->storage = std::move(storage);
    ref->dtype = dtype;
    ref->shape = *shape;
    ref->strides = std::move(strides);
    return ref;
}

std::string numpy_array_summary(const Value& value) {
    const auto state = array_state(value);
    if (!state) return "ndarray(?)";
    const auto type = dtype_of(*state->dtype);
    std::string dtype = type ? std::string(1, type->byteorder) + type->code : "?";
    if (dtype.front() == '|' || dtype.front() == '=') dtype.erase(0, 1);
    return "ndarray(shape=" + to_display(*state->shape, 100) + ", dtype=" + dtype + ")";
}

} // namespace nnscope::io::pickle
