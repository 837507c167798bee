#include "data/sample.h"

#include <stdexcept>

namespace nnscope::data {

namespace {

[[noreturn]] void wrong_kind(const Sample& s, const char* wanted) {
    throw std::invalid_argument(std::string("Sample: expected ") + wanted + ", got " + s.kind());
}

} // namespace

Sample Sample::tuple(Tuple items) {
    Sample s;
    s.value_ = std::move(items);
    return s;
}

Sample Sample::dict(Dict fields) {
    Sample s;
    s.value_ = std::move(fields);
    return s;
}

const char* Sample::kind() const {
    static const char* names[] = {"None", "tensor", "int", "float", "str", "tuple", "dict"};
    return names[value_.index()];
}

const Tensor& Sample::tensor() const {
    if (!is_tensor()) wrong_kind(*this, "tensor");
    return std::get<Tensor>(value_);
}

std::int64_t Sample::integer() const {
    if (!is_int()) wrong_kind(*this, "int");
    return std::get<std::int64_t>(value_);
}

double Sample::number() const {
    if (is_int()) return static_cast<double>(std::get<std::int64_t>(value_));
    if (!is_float()) wrong_kind(*this, "float");
    return std::get<double>(value_);
}

const std::string& Sample::text() const {
    if (!is_text()) wrong_kind(*this, "str");
    return std::get<std::string>(value_);
}

const Sample::Tuple& Sample::items() const {
    if (!is_tuple()) wrong_kind(*this, "tuple");
    return std::get<Tuple>(value_);
}

const Sample::Dict& Sample::fields() const {
    if (!is_dict()) wrong_kind(*this, "dict");
    return std::get<Dict>(value_);
}

const Sample& Sample::operator[](std::size_t i) const {
    const auto& all = items();
    if (i >= all.size())
        throw std::out_of_range("Sample: tuple index " + std::to_string(i) +
                                " out of range for a tuple of " + std::to_string(all.size()));
    return all[i];
}

const Sample& Sample::operator[](std::string_view key) const {
    for (const auto& [name, value] : fields())
        if (name == key) return value;
    throw std::out_of_range("Sample: no key '" + std::string(key) + "' in the dict");
}

} // namespace nnscope::data
