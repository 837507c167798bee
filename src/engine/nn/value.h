#pragma once
// A value as Python would hold it: None, bool, int, float, str, a list or a tuple of values, or
// an enum member such as InterpolationMode.BILINEAR. Modules report their constructor arguments
// as (name, Value) pairs so that the model file writer, the factory and the GUI can handle every
// module type the same way (all their sequences are tuples); torchvision transforms keep the
// arguments whose repr they echo back as given, which is why a list stays apart from a tuple.
// repr() prints a value exactly as Python's repr() does, str() as Python's str() (strings
// without quotes).

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nnscope::nn {

struct EnumMember {
    std::string type;   // "InterpolationMode"
    std::string member; // "BILINEAR"
    bool operator==(const EnumMember&) const = default;
};

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
    Value(List items) // a tuple
        : v_(std::move(items)) {}
    Value(EnumMember e)
        : v_(std::move(e)) {}
    static Value tuple(List items) { return Value(std::move(items)); }
    static Value list(List items);
    static Value ints(const std::vector<std::int64_t>& values); // a tuple of ints
    static Value doubles(const std::vector<double>& values);    // a tuple of floats

    bool is_none() const { return std::holds_alternative<std::monostate>(v_); }
    bool is_bool() const { return std::holds_alternative<bool>(v_); }
    bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
    bool is_double() const { return std::holds_alternative<double>(v_); }
    bool is_number() const { return is_int() || is_double(); } // not bool, unlike Python
    bool is_string() const { return std::holds_alternative<std::string>(v_); }
    bool is_list() const { return std::holds_alternative<List>(v_); } // a list or a tuple
    bool is_tuple() const { return is_list() && tuple_; }
    bool is_enum() const { return std::holds_alternative<EnumMember>(v_); }

    // Each throws std::invalid_argument naming what was expected and the value given, e.g.
    // "expected an int, got str '3'".
    bool as_bool() const;
    std::int64_t as_int() const;
    double as_double() const; // ints convert, as Python accepts an int where a float is expected
    const std::string& as_string() const;
    const List& as_list() const; // the items of a list or a tuple
    const EnumMember& as_enum() const;

    // Python's type name: "NoneType", "bool", "int", "float", "str", "list", "tuple", or the
    // enum's type ("InterpolationMode").
    std::string type_name() const;
    std::string repr() const;
    std::string str() const;

    bool operator==(const Value& other) const {
        return v_ == other.v_ && (!is_list() || tuple_ == other.tuple_);
    }

private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, List, EnumMember> v_;
    bool tuple_ = true; // with a List: a Python tuple rather than a list
};

// Keyword arguments in declaration order, e.g. {{"in_features", 784}, {"out_features", 256}}.
using Arguments = std::vector<std::pair<std::string, Value>>;

// PyTorch's _pair: an int n gives (n, n), a tuple of two ints itself. `what` names the argument
// in the error ("Conv2d: kernel_size").
std::array<std::int64_t, 2> value_to_pair(const Value& v, const std::string& what);

// repr(float(x)) in Python: shortest round-trip digits, "1e-05", "0.1", "1.0", "inf", "nan".
std::string python_float_repr(double x);

} // namespace nnscope::nn
