#pragma once
// A Python literal as a torchvision pipeline string writes it: None, True/False, an int, a
// float, a string, a list, a tuple, or an enum member such as InterpolationMode.BILINEAR.
// Transforms keep the arguments whose repr torchvision echoes back as given (padding, fill,
// mean, std, size), so that repr() reads as Python's. Unlike nn::Value (module arguments, all
// tuples) it tells a list from a tuple and holds enum members, as torchvision's reprs need.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace nnscope::data::transforms {

struct EnumMember {
    std::string type;   // "InterpolationMode"
    std::string member; // "BILINEAR"
};

class Value {
public:
    struct List {
        std::vector<Value> items;
        bool tuple = false;
    };
    using Storage =
        std::variant<std::monostate, bool, std::int64_t, double, std::string, List, EnumMember>;

    Value() = default; // None
    Value(bool v)
        : v_(v) {}
    Value(int v)
        : v_(std::int64_t{v}) {}
    Value(std::int64_t v)
        : v_(v) {}
    Value(double v)
        : v_(v) {}
    Value(std::string v)
        : v_(std::move(v)) {}
    Value(const char* v)
        : v_(std::string(v)) {}
    Value(EnumMember v)
        : v_(std::move(v)) {}
    static Value list(std::vector<Value> items) { return Value(List{std::move(items), false}); }
    static Value tuple(std::vector<Value> items) { return Value(List{std::move(items), true}); }

    bool is_none() const { return std::holds_alternative<std::monostate>(v_); }
    bool is_bool() const { return std::holds_alternative<bool>(v_); }
    bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
    bool is_float() const { return std::holds_alternative<double>(v_); }
    bool is_number() const { return is_int() || is_float(); } // not bool, unlike Python
    bool is_string() const { return std::holds_alternative<std::string>(v_); }
    bool is_sequence() const { return std::holds_alternative<List>(v_); }
    bool is_enum() const { return std::holds_alternative<EnumMember>(v_); }

    // Each accessor throws std::invalid_argument naming the expected and the actual kind.
    bool as_bool() const;
    std::int64_t as_int() const;
    double as_number() const; // int or float
    const std::string& as_string() const;
    const std::vector<Value>& items() const;
    const EnumMember& as_enum() const;

    const char* kind() const; // "None", "bool", "int", "float", "str", "list", "tuple", "enum"
    std::string repr() const; // as Python's repr(): 4 -> "4", 0.5 -> "0.5", (1,) -> "(1,)"

private:
    explicit Value(List l)
        : v_(std::move(l)) {}
    Storage v_;
};

// Python's repr of a float (nn::python_float_repr).
std::string float_repr(double v);

} // namespace nnscope::data::transforms
