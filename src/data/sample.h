#pragma once
// What a map-style dataset's __getitem__ returns and what a DataLoader yields: a tensor, an
// integer, a float, a string, or a tuple / dict of those, nested freely.

#include "engine/tensor.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace nnscope::data {

class Sample {
public:
    using Tuple = std::vector<Sample>;
    using Dict = std::vector<std::pair<std::string, Sample>>; // insertion order, as a Python dict
    using Value =
        std::variant<std::monostate, Tensor, std::int64_t, double, std::string, Tuple, Dict>;

    Sample() = default;
    Sample(Tensor t)
        : value_(std::move(t)) {}
    Sample(std::int64_t v)
        : value_(v) {}
    Sample(int v)
        : value_(std::int64_t{v}) {}
    Sample(double v)
        : value_(v) {}
    Sample(std::string s)
        : value_(std::move(s)) {}
    Sample(const char* s)
        : value_(std::string(s)) {}
    static Sample tuple(Tuple items);
    static Sample dict(Dict fields);

    bool is_tensor() const { return std::holds_alternative<Tensor>(value_); }
    bool is_int() const { return std::holds_alternative<std::int64_t>(value_); }
    bool is_float() const { return std::holds_alternative<double>(value_); }
    bool is_text() const { return std::holds_alternative<std::string>(value_); }
    bool is_tuple() const { return std::holds_alternative<Tuple>(value_); }
    bool is_dict() const { return std::holds_alternative<Dict>(value_); }
    // Each accessor throws std::invalid_argument naming both kinds when the kind differs.
    const Tensor& tensor() const;
    std::int64_t integer() const;
    double number() const;
    const std::string& text() const;
    const Tuple& items() const;
    const Dict& fields() const;
    const Sample& operator[](std::size_t i) const;
    const Sample& operator[](std::string_view key) const;
    const char* kind() const; // "tensor", "int", "float", "str", "tuple", "dict", "None"
    const Value& value() const { return value_; }

private:
    Value value_;
};

} // namespace nnscope::data
