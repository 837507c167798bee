#pragma once
// A constructor argument of a module, as Python would hold it: None, bool, int, float, str or a
// tuple of those. Modules report their arguments as (name, Value) pairs so that the model file
// writer, the factory and the GUI can handle every module type the same way; repr() prints a
// value exactly as Python's repr() does, str() as Python's str() (strings without quotes).

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nnscope::nn {

class Value {
public:
    using List = std::vector<Value>;

    Value() = default; // None
    Value(std::nullptr_t) {}
    Value(bool b)
        : v_(b) {}
    Value(int i)
        : v_(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i)
        : v_(i) {}
    Value(double d)
        : v_(d) {}
    Value(const char* s)
        : v_(std::string(s)) {}
    Value(std::string s)
        : v_(std::move(s)) {}
    Value(List list)
        : v_(std::move(list)) {}
    static Value ints(const std::vector<std::int64_t>& values); // a tuple of ints
    static Value doubles(const std::vector<double>& values);    // a tuple of floats

    bool is_none() const { return std::holds_alternative<std::monostate>(v_); }
    bool is_bool() const { return std::holds_alternative<bool>(v_); }
    bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
    bool is_double() const { return std::holds_alternative<double>(v_); }
    bool is_number() const { return is_int() || is_double(); }
    bool is_string() const { return std::holds_alternative<std::string>(v_); }
    bool is_list() const { return std::holds_alternative<List>(v_); }

    // Each throws std::invalid_argument naming both types when the value holds another type.
    bool as_bool() const;
    std::int64_t as_int() const;
    double as_double() const; // ints convert, as Python accepts an int where a float is expected
    const std::string& as_string() const;
    const List& as_list() const;

    // Python's type name: "NoneType", "bool", "int", "float", "str", "tuple".
    const char* type_name() const;
    std::string repr() const;
    std::string str() const;

    bool operator==(const Value& other) const { return v_ == other.v_; }

private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, List> v_;
};

// Keyword arguments in declaration order, e.g. {{"in_features", 784}, {"out_features", 256}}.
using Arguments = std::vector<std::pair<std::string, Value>>;

// PyTorch's _pair: an int n gives (n, n), a tuple of two ints itself. `what` names the argument
// in the error ("Conv2d: kernel_size").
std::array<std::int64_t, 2> value_to_pair(const Value& v, const std::string& what);

// repr(float(x)) in Python: shortest round-trip digits, "1e-05", "0.1", "1.0", "inf", "nan".
std::string python_float_repr(double x);

} // namespace nnscope::nn
