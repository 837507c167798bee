#include "engine/nn/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace nnscope::nn {

namespace {

[[noreturn]] void wrong_type(const Value& v, const char* wanted) {
    throw std::invalid_argument(std::string("expected ") + wanted + ", got " + v.type_name() + " " +
                                v.repr());
}

std::string join(const Value::List& list, bool tuple) {
    std::string out = tuple ? "(" : "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out += ", ";
        out += list[i].repr();
    }
    if (tuple && list.size() == 1) out += ",";
    return out + (tuple ? ")" : "]");
}

} // namespace

Value Value::list(List items) {
    Value v(std::move(items));
    v.tuple_ = false;
    return v;
}

Value Value::ints(const std::vector<std::int64_t>& values) {
    List list(values.begin(), values.end());
    return Value(std::move(list));
}

Value Value::doubles(const std::vector<double>& values) {
    List list(values.begin(), values.end());
    return Value(std::move(list));
}

bool Value::as_bool() const {
    if (!is_bool()) wrong_type(*this, "a bool (True or False)");
    return std::get<bool>(v_);
}

std::int64_t Value::as_int() const {
    if (!is_int()) wrong_type(*this, "an int");
    return std::get<std::int64_t>(v_);
}

double Value::as_double() const {
    if (is_int()) return static_cast<double>(std::get<std::int64_t>(v_));
    if (!is_double()) wrong_type(*this, "a number");
    return std::get<double>(v_);
}

const std::string& Value::as_string() const {
    if (!is_string()) wrong_type(*this, "a string");
    return std::get<std::string>(v_);
}

const Value::List& Value::as_list() const {
    if (!is_list()) wrong_type(*this, "a list or tuple");
    return std::get<List>(v_);
}

const EnumMember& Value::as_enum() const {
    if (!is_enum()) wrong_type(*this, "an enum member");
    return std::get<EnumMember>(v_);
}

std::string Value::type_name() const {
    switch (v_.index()) {
    case 0:
        return "NoneType";
    case 1:
        return "bool";
    case 2:
        return "int";
    case 3:
        return "float";
    case 4:
        return "str";
    case 5:
        return tuple_ ? "tuple" : "list";
    default:
        return std::get<EnumMember>(v_).type;
    }
}

std::string Value::repr() const {
    switch (v_.index()) {
    case 0:
        return "None";
    case 1:
        return std::get<bool>(v_) ? "True" : "False";
    case 2:
        return std::to_string(std::get<std::int64_t>(v_));
    case 3:
        return python_float_repr(std::get<double>(v_));
    case 4: {
        // Python prefers single quotes unless the text holds one and no double quote, and
        // escapes only what it must.
        const auto& s = std::get<std::string>(v_);
        const char q =
            s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
        std::string out(1, q);
        for (char c : s) {
            if (c == q || c == '\\') out += '\\';
            out += c;
        }
        return out + q;
    }
    case 5:
        return join(std::get<List>(v_), tuple_);
    default: {
        const auto& e = std::get<EnumMember>(v_);
        return "<" + e.type + "." + e.member + ">";
    }
    }
}

std::string Value::str() const {
    if (is_string()) return std::get<std::string>(v_);
    return repr();
}

std::array<std::int64_t, 2> value_to_pair(const Value& v, const std::string& what) {
    if (v.is_int()) return {v.as_int(), v.as_int()};
    if (v.is_list() && v.as_list().size() == 2 && v.as_list()[0].is_int() &&
        v.as_list()[1].is_int())
        return {v.as_list()[0].as_int(), v.as_list()[1].as_int()};
    throw std::invalid_argument(what + " must be an int or a tuple of 2 ints, got " +
                                v.type_name() + " " + v.repr());
}

std::string python_float_repr(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    // Shortest round-trip digits in scientific form, then laid out by Python's repr rule:
    // positional when -4 <= exponent < 16, scientific otherwise.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const auto e_pos = sci.find('e');
    std::string mantissa = sci.substr(0, e_pos);
    const int exponent = std::stoi(sci.substr(e_pos + 1));
    std::string sign;
    if (mantissa[0] == '-') {
        sign = "-";
        mantissa.erase(0, 1);
    }
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    const int n = static_cast<int>(digits.size());
    std::string out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        } else if (exponent + 1 >= n) {
            out = digits + std::string(static_cast<std::size_t>(exponent + 1 - n), '0') + ".0";
        } else {
            out = digits.substr(0, static_cast<std::size_t>(exponent + 1)) + "." +
                  digits.substr(static_cast<std::size_t>(exponent + 1));
        }
    } else {
        out = digits.substr(0, 1);
        if (n > 1) out += "." + digits.substr(1);
        char exp_buf[16];
        std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+',
                      std::abs(exponent));
        out += exp_buf;
    }
    return sign + out;
}

} // namespace nnscope::nn
