#include "io/pickle/value.h"

#include "io/pickle/numpy.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nnscope::io::pickle {

bool Value::is_container() const {
    switch (kind) {
    case Kind::Tuple:
    case Kind::List:
    case Kind::Dict:
    case Kind::Set:
    case Kind::Object:
    case Kind::Placeholder:
        return true;
    default:
        return false;
    }
}

std::string_view kind_name(Kind kind) {
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
    case Kind::BigInt:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "tuple";
    case Kind::List:
        return "list";
    case Kind::Dict:
        return "dict";
    case Kind::Set:
        return "set";
    case Kind::Global:
        return "global";
    case Kind::Storage:
        return "storage";
    case Kind::Tensor:
        return "tensor";
    case Kind::Object:
    case Kind::Placeholder:
        return "object";
    }
    return "?";
}

std::string format_float(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    // Shortest text that reads back to the same double, as Python's repr prints it.
    char buffer[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
        if (std::strtod(buffer, nullptr) == x) break;
    }
    std::string text = buffer;
    if (text.find_first_of(".eni") == std::string::npos) text += ".0";
    return text;
}

namespace {

void render(const Value& v, std::string& out, std::size_t budget);

void render_items(const std::vector<ValuePtr>& items, std::string& out, std::size_t budget) {
    for (std::size_t i = 0; i < items.size() && out.size() <= budget; ++i) {
        if (i) out += ", ";
        render(*items[i], out, budget);
    }
}

} // namespace

std::optional<std::string> readable_placeholder(const Value& v) {
    if (v.kind != Kind::Placeholder) return std::nullopt;
    if (auto number = numpy_scalar_text(v)) return number;
    if (auto dtype = numpy_dtype_text(v)) return dtype;
    const std::string_view name = v.text;
    if (!name.starts_with("pathlib.") || v.items.empty() || v.state || v.contents)
        return std::nullopt;
    std::string out = std::string(name.substr(8)) + "('";
    for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (v.items[i]->kind != Kind::String) return std::nullopt;
        if (i && !out.ends_with('/')) out += '/';
        out += v.items[i]->text;
    }
    return out + "')";
}

namespace {

// <module.name(args)>, with an attribute dict as key=value when there are no arguments; a few
// well-known classes read as Python prints them (PosixPath('/data'), NumPy scalars as numbers).
void render_placeholder(const Value& v, std::string& out, std::size_t budget) {
    if (auto text = readable_placeholder(v)) {
        out += *text;
        return;
    }
    out += "<" + v.text + "(";
    if (!v.items.empty()) {
        render_items(v.items, out, budget);
    } else if (v.state && v.state->kind == Kind::Dict) {
        for (std::size_t i = 0; i + 1 < v.state->items.size() && out.size() <= budget; i += 2) {
            if (i) out += ", ";
            const Value& key = *v.state->items[i];
            if (key.kind == Kind::String) {
                out += key.text;
            } else {
                render(key, out, budget);
            }
            out += "=";
            render(*v.state->items[i + 1], out, budget);
        }
    }
    if (v.contents) render(*v.contents, out, budget);
    out += ")>";
}

// Appends to `out` until it exceeds `budget`; the caller cuts and adds "...".
void render(const Value& v, std::string& out, std::size_t budget) {
    if (out.size() > budget) return;
    switch (v.kind) {
    case Kind::None:
        out += "None";
        return;
    case Kind::Bool:
        out += v.boolean ? "True" : "False";
        return;
    case Kind::Int:
        out += std::to_string(v.integer);
        return;
    case Kind::BigInt:
        out += "<" + std::to_string(v.text.size() * 8) + "-bit int>";
        return;
    case Kind::Float:
        out += format_float(v.real);
        return;
    case Kind::String:
        out += "'" + v.text + "'";
        return;
    case Kind::Bytes:
        out += "b'<" + std::to_string(v.text.size()) + " bytes>'";
        return;
    case Kind::Global:
        if (v.global == GlobalId::Unknown) {
            out += "<" + v.text + ">";
        } else {
            out += v.text;
        }
        return;
    case Kind::Storage:
        out += v.storage->type_name + "(" + std::to_string(v.storage->numel) + ")";
        return;
    case Kind::Tensor:
        out += "tensor(" + shape_to_string(v.tensor->shape) + ", " +
               std::string(dtype_name(v.tensor->dtype)) + ")";
        return;
    case Kind::Object:
        out += v.text + "(...)";
        return;
    case Kind::Placeholder:
        render_placeholder(v, out, budget);
        return;
    case Kind::Tuple:
    case Kind::List:
    case Kind::Set: {
        const char* open = v.kind == Kind::Tuple ? "(" : v.kind == Kind::List ? "[" : "{";
        const char* close = v.kind == Kind::Tuple ? ")" : v.kind == Kind::List ? "]" : "}";
        out += open;
        render_items(v.items, out, budget);
        if (v.kind == Kind::Tuple && v.items.size() == 1) out += ",";
        out += close;
        return;
    }
    case Kind::Dict:
        out += "{";
        for (std::size_t i = 0; i + 1 < v.items.size() && out.size() <= budget; i += 2) {
            if (i) out += ", ";
            render(*v.items[i], out, budget);
            out += ": ";
            render(*v.items[i + 1], out, budget);
        }
        out += "}";
        return;
    }
}

} // namespace

std::string to_display(const Value& value, std::size_t max_chars) {
    std::string out;
    render(value, out, max_chars);
    if (out.size() > max_chars) {
        out.resize(max_chars);
        out += "...";
    }
    return out;
}

bool is_scalar(const Value& v) {
    switch (v.kind) {
    case Kind::None:
    case Kind::Bool:
    case Kind::Int:
    case Kind::BigInt:
    case Kind::Float:
    case Kind::String:
    case Kind::Bytes:
    case Kind::Global:
        return true;
    case Kind::Placeholder: // a call with plain arguments reads as one value: <os.system('...')>
        if (readable_placeholder(v)) return true;
        return !v.state && !v.contents &&
               std::all_of(v.items.begin(), v.items.end(),
                           [](const ValuePtr& item) { return is_plain_data(*item); });
    default:
        return false;
    }
}

bool is_plain_data(const Value& v) {
    if (v.kind != Kind::List && v.kind != Kind::Tuple && v.kind != Kind::Set &&
        v.kind != Kind::Dict)
        return is_scalar(v);
    return std::all_of(v.items.begin(), v.items.end(),
                       [](const ValuePtr& item) { return is_plain_data(*item); });
}

std::optional<std::string> key_identity(const Value& key) {
    switch (key.kind) {
    case Kind::None:
        return std::string("n");
    case Kind::Bool: // True == 1 in Python, so they share a dict slot
        return "i:" + std::to_string(key.boolean ? 1 : 0);
    case Kind::Int:
        return "i:" + std::to_string(key.integer);
    case Kind::Float:
        return "f:" + format_float(key.real);
    case Kind::String:
        return "s:" + key.text;
    case Kind::Bytes:
        return "b:" + key.text;
    case Kind::BigInt:
        return "I:" + key.text;
    case Kind::Global:
        return "g:" + key.text;
    default:
        return std::nullopt;
    }
}

const Value* dict_find(const Value& dict, std::string_view key) {
    if (dict.kind != Kind::Dict || !dict.index) return nullptr;
    const auto it = dict.index->find("s:" + std::string(key));
    if (it == dict.index->end()) return nullptr;
    return dict.items[it->second + 1].get();
}

std::optional<std::string> as_text(const Value& value) {
    if (value.kind == Kind::String || value.kind == Kind::Bytes) return value.text;
    return std::nullopt;
}

} // namespace nnscope::io::pickle
