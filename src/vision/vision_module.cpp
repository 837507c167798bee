#include "vision/vision_module.h"

#include <stdexcept>

namespace nnscope::vision {

Tensor run_child(const nn::Module& module, const std::string& name, const Tensor& x) {
    nn::Module* child = find_child(module, name);
    if (!child)
        throw std::out_of_range("'" + module.type_name() + "' has no submodule '" + name +
                                "', which its forward needs");
    return (*child)(x);
}

nn::Module* find_child(const nn::Module& module, const std::string& name) {
    const nn::ModulePtr* child = module.module_dict().find(name);
    return child ? child->get() : nullptr;
}

const nn::Value* Attributes::find(const std::string& name) const {
    for (const auto& [key, value] : arguments_)
        if (key == name) return &value;
    return nullptr;
}

void Attributes::wrong(const std::string& name, const char* wanted, const nn::Value& v) const {
    throw std::invalid_argument(class_name_ + ": attribute '" + name + "' must be " + wanted +
                                ", got " + v.type_name() + " " + v.repr());
}

bool Attributes::get_bool(const std::string& name, bool fallback) const {
    const nn::Value* v = find(name);
    if (!v) return fallback;
    if (!v->is_bool()) wrong(name, "bool", *v);
    return v->as_bool();
}

std::int64_t Attributes::get_int(const std::string& name, std::int64_t fallback) const {
    const nn::Value* v = find(name);
    if (!v) return fallback;
    if (!v->is_int()) wrong(name, "int", *v);
    return v->as_int();
}

double Attributes::get_double(const std::string& name, double fallback) const {
    const nn::Value* v = find(name);
    if (!v) return fallback;
    if (!v->is_number()) wrong(name, "float", *v);
    return v->as_double();
}

std::string Attributes::get_string(const std::string& name, const std::string& fallback) const {
    const nn::Value* v = find(name);
    if (!v) return fallback;
    if (!v->is_string()) wrong(name, "str", *v);
    return v->as_string();
}

} // namespace nnscope::vision
