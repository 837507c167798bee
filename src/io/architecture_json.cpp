// JSON <-> ModuleSpec. The only place that knows the architecture's JSON shape.

#include "io/architecture.h"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace nnscope::io {

namespace {

// ordered_json keeps the arguments in the order the file gives them.
using Json = nlohmann::ordered_json;

// Modules and argument lists nest far less than this in any real model; a hostile file could
// otherwise nest deep enough to overflow the stack of the recursive parse (and of build_module).
constexpr int max_depth = 128;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw std::invalid_argument("architecture: " + (where.empty() ? "" : where + ": ") + what);
}

const char* json_type(const Json& j) {
    return j.type_name();
}

nn::Value to_value(const Json& j, const std::string& where, int depth) {
    if (depth > max_depth)
        fail(where, "lists nest deeper than " + std::to_string(max_depth) + " levels");
    switch (j.type()) {
    case Json::value_t::null:
        return nn::Value();
    case Json::value_t::boolean:
        return nn::Value(j.get<bool>());
    case Json::value_t::number_integer:
        return nn::Value(j.get<std::int64_t>());
    case Json::value_t::number_unsigned: {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(INT64_MAX)) fail(where, "integer out of range");
        return nn::Value(static_cast<std::int64_t>(u));
    }
    case Json::value_t::number_float:
        return nn::Value(j.get<double>());
    case Json::value_t::string:
        return nn::Value(j.get<std::string>());
    case Json::value_t::array: {
        nn::Value::List list;
        for (std::size_t i = 0; i < j.size(); ++i)
            list.push_back(to_value(j[i], where + "[" + std::to_string(i) + "]", depth + 1));
        return nn::Value(std::move(list));
    }
    default:
        fail(where, std::string("an argument must be a number, bool, string, null or list, got ") +
                        json_type(j));
    }
}

Json to_json(const nn::Value& v) {
    if (v.is_none()) return nullptr;
    if (v.is_bool()) return v.as_bool();
    if (v.is_int()) return v.as_int();
    if (v.is_double()) return v.as_double();
    if (v.is_string()) return v.as_string();
    Json list = Json::array();
    for (const auto& item : v.as_list())
        list.push_back(to_json(item));
    return list;
}

Shape parse_shape(const Json& j, const std::string& where) {
    if (!j.is_array()) fail(where, std::string("must be a list of sizes, got ") + json_type(j));
    Shape shape;
    for (const Json& size : j) {
        if (!size.is_number_integer() || size.get<std::int64_t>() < 0)
            fail(where, "sizes must be non-negative integers, got " + size.dump());
        shape.push_back(size.get<std::int64_t>());
    }
    return shape;
}

double parse_number(const Json& j, const std::string& where) {
    if (!j.is_number()) fail(where, std::string("must be a number, got ") + json_type(j));
    return j.get<double>();
}

bool parse_bool(const Json& j, const std::string& where) {
    if (!j.is_boolean()) fail(where, std::string("must be true or false, got ") + json_type(j));
    return j.get<bool>();
}

nn::TensorDeclaration parse_tensor(const Json& j, const std::string& where) {
    if (!j.is_object())
        fail(where, std::string("a tensor must be a JSON object, got ") + json_type(j));
    nn::TensorDeclaration d;
    const auto string_field = [&](const char* key, bool required) -> std::string {
        auto it = j.find(key);
        if (it == j.end()) {
            if (required) fail(where, std::string("missing \"") + key + "\"");
            return {};
        }
        if (!it->is_string() || it->get_ref<const std::string&>().empty())
            fail(where + "." + key, "must be a non-empty string");
        return it->get<std::string>();
    };
    d.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>()
                                                         : string_field("name", true);
    const std::string kind = string_field("kind", true);
    if (kind == "parameter")
        d.kind = nn::TensorDeclaration::Kind::Parameter;
    else if (kind == "buffer")
        d.kind = nn::TensorDeclaration::Kind::Buffer;
    else
        fail(where + ".kind", "must be \"parameter\" or \"buffer\", got '" + kind + "'");
    if (!j.contains("shape")) fail(where, "missing \"shape\"");
    d.shape = parse_shape(j["shape"], where + ".shape");
    if (const std::string dtype = string_field("dtype", false); !dtype.empty()) {
        try {
            d.dtype = dtype_from_name(dtype);
        } catch (const std::exception&) {
            fail(where + ".dtype", "must be float32, float64 or int64, got '" + dtype + "'");
        }
    }
    try {
        d.init = nn::init_from_name(string_field("init", true));
    } catch (const std::invalid_argument& e) {
        fail(where + ".init", e.what());
    }
    const bool parameter = d.kind == nn::TensorDeclaration::Kind::Parameter;
    using Init = nn::TensorDeclaration::Init;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const std::string kwhere = where + "." + key;
        if (key == "name" || key == "kind" || key == "shape" || key == "dtype" || key == "init")
            continue;
        if (key == "requires_grad" && parameter)
            d.requires_grad = parse_bool(*it, kwhere);
        else if (key == "persistent" && !parameter)
            d.persistent = parse_bool(*it, kwhere);
        else if (key == "value" && d.init == Init::Full)
            d.fill = parse_number(*it, kwhere);
        else if (key == "values" && d.init == Init::Values && it->is_array())
            for (std::size_t i = 0; i < it->size(); ++i)
                d.values.push_back(parse_number((*it)[i], kwhere + "[" + std::to_string(i) + "]"));
        else
            fail(kwhere, "not a key of a " + kind + " with init '" +
                             std::string(nn::init_name(d.init)) + "'");
    }
    if (d.init == Init::Full && !j.contains("value")) fail(where, "init 'full' needs \"value\"");
    if (d.init == Init::Values && !j.contains("values"))
        fail(where, "init 'values' needs \"values\"");
    try {
        nn::check_declaration(d);
    } catch (const std::invalid_argument& e) {
        fail(where, e.what());
    }
    return d;
}

std::vector<nn::TensorDeclaration> parse_tensors(const Json& j, const std::string& where) {
    if (!j.is_array()) fail(where, std::string("must be a list of tensors, got ") + json_type(j));
    std::vector<nn::TensorDeclaration> tensors;
    for (std::size_t i = 0; i < j.size(); ++i)
        tensors.push_back(parse_tensor(j[i], where + "[" + std::to_string(i) + "]"));
    return tensors;
}

Json tensor_to_json(const nn::TensorDeclaration& d) {
    const bool parameter = d.kind == nn::TensorDeclaration::Kind::Parameter;
    Json j;
    j["name"] = d.name;
    j["kind"] = parameter ? "parameter" : "buffer";
    j["shape"] = d.shape;
    if (d.dtype != DType::Float32) j["dtype"] = std::string(dtype_name(d.dtype));
    j["init"] = std::string(nn::init_name(d.init));
    if (d.init == nn::TensorDeclaration::Init::Full) j["value"] = d.fill;
    if (d.init == nn::TensorDeclaration::Init::Values) j["values"] = d.values;
    if (parameter && !d.requires_grad) j["requires_grad"] = false;
    if (!parameter && !d.persistent) j["persistent"] = false;
    return j;
}

ModuleSpec parse_node(const Json& j, const std::string& where, int depth) {
    if (depth > max_depth)
        fail(where, "modules nest deeper than " + std::to_string(max_depth) + " levels");
    if (!j.is_object())
        fail(where, std::string("a module must be a JSON object, got ") + json_type(j));
    auto type = j.find("type");
    if (type == j.end()) fail(where, "missing \"type\"");
    if (!type->is_string() || type->get_ref<const std::string&>().empty())
        fail(where + (where.empty() ? "type" : ".type"), "must be a non-empty string");

    ModuleSpec spec;
    spec.type = type->get<std::string>();
    const std::string prefix = where.empty() ? "" : where + ".";
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "type" || it.key() == "children" || it.key() == "tensors") continue;
        if (it.key().empty()) fail(where, "empty argument name");
        spec.arguments.emplace_back(it.key(), to_value(it.value(), prefix + it.key(), 1));
    }

    if (auto tensors = j.find("tensors"); tensors != j.end())
        spec.tensors = parse_tensors(*tensors, prefix + "tensors");

    auto children = j.find("children");
    if (children == j.end()) return spec;
    const std::string cwhere = prefix + "children";
    if (!children->is_array())
        fail(cwhere,
             std::string("must be a list of [name, module] pairs, got ") + json_type(*children));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < children->size(); ++i) {
        const Json& pair = (*children)[i];
        const std::string pwhere = cwhere + "[" + std::to_string(i) + "]";
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string())
            fail(pwhere, "must be a [name, module] pair");
        const std::string name = pair[0].get<std::string>();
        if (name.empty()) fail(pwhere, "empty child name");
        if (name.find('.') != std::string::npos)
            fail(pwhere, "child name '" + name + "' must not contain '.'");
        if (!seen.insert(name).second) fail(pwhere, "duplicate child name '" + name + "'");
        spec.children.push_back({name, parse_node(pair[1], pwhere + "[1]", depth + 1)});
    }
    return spec;
}

Json node_to_ordered_json(const ModuleSpec& spec) {
    Json j;
    j["type"] = spec.type;
    for (const auto& [name, value] : spec.arguments)
        j[name] = to_json(value);
    if (!spec.tensors.empty()) {
        Json tensors = Json::array();
        for (const auto& d : spec.tensors)
            tensors.push_back(tensor_to_json(d));
        j["tensors"] = std::move(tensors);
    }
    if (!spec.children.empty()) {
        Json children = Json::array();
        for (const auto& [name, child] : spec.children)
            children.push_back(Json::array({name, node_to_ordered_json(child)}));
        j["children"] = std::move(children);
    }
    return j;
}

} // namespace

ModuleSpec parse_architecture(std::string_view json) {
    Json j;
    try {
        j = Json::parse(json.begin(), json.end());
    } catch (const Json::parse_error& e) {
        throw std::invalid_argument(std::string("architecture: invalid JSON: ") + e.what());
    }
    return parse_node(j, "", 1);
}

std::string architecture_to_json(const ModuleSpec& spec) {
    return node_to_ordered_json(spec).dump();
}

} // namespace nnscope::io
