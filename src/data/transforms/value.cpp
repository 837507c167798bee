#include "data/transforms/value.h"

#include "engine/nn/value.h"

#include <stdexcept>

namespace nnscope::data::transforms {

namespace {

[[noreturn]] void wrong_kind(const Value& v, const char* expected) {
    throw std::invalid_argument(std::string("expected ") + expected + ", got " + v.kind() + " " +
                                v.repr());
}

} // namespace

bool Value::as_bool() const {
    if (!is_bool()) wrong_kind(*this, "a bool (True or False)");
    return std::get<bool>(v_);
}

std::int64_t Value::as_int() const {
    if (!is_int()) wrong_kind(*this, "an int");
    return std::get<std::int64_t>(v_);
}

double Value::as_number() const {
    if (is_int()) return static_cast<double>(std::get<std::int64_t>(v_));
    if (!is_float()) wrong_kind(*this, "a number");
    return std::get<double>(v_);
}

const std::string& Value::as_string() const {
    if (!is_string()) wrong_kind(*this, "a string");
    return std::get<std::string>(v_);
}

const std::vector<Value>& Value::items() const {
    if (!is_sequence()) wrong_kind(*this, "a list or tuple");
    return std::get<List>(v_).items;
}

const EnumMember& Value::as_enum() const {
    if (!is_enum()) wrong_kind(*this, "an enum member");
    return std::get<EnumMember>(v_);
}

const char* Value::kind() const {
    switch (v_.index()) {
    case 0:
        return "None";
    case 1:
        return "bool";
    case 2:
        return "int";
    case 3:
        return "float";
    case 4:
        return "str";
    case 5:
        return std::get<List>(v_).tuple ? "tuple" : "list";
    default:
        return "enum";
    }
}

std::string float_repr(double v) {
    return nn::python_float_repr(v);
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
        return float_repr(std::get<double>(v_));
    case 4: {
        // Python prefers single quotes unless the text holds one.
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
    case 5: {
        const auto& l = std::get<List>(v_);
        std::string out = l.tuple ? "(" : "[";
        for (std::size_t i = 0; i < l.items.size(); ++i) {
            if (i) out += ", ";
            out += l.items[i].repr();
        }
        if (l.tuple && l.items.size() == 1) out += ",";
        return out + (l.tuple ? ")" : "]");
    }
    default: {
        const auto& e = std::get<EnumMember>(v_);
        return "<" + e.type + "." + e.member + ">";
    }
    }
}

} // namespace nnscope::data::transforms
