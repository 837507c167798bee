#include "io/module_record.h"

#include <stdexcept>

namespace nnscope::io {

const nn::Value* ModuleRecord::attribute(const std::string& name) const {
    for (const auto& [key, value] : attributes)
        if (key == name) return &value;
    return nullptr;
}

const Tensor* ModuleRecord::tensor(const std::string& name) const {
    for (const auto* list : {&parameters, &buffers})
        for (const auto& [key, value] : *list)
            if (key == name && value.defined()) return &value;
    return nullptr;
}

std::shared_ptr<const ModuleRecord> find_record(const std::shared_ptr<const ModuleRecord>& root,
                                                const std::string& module_path) {
    std::shared_ptr<const ModuleRecord> record = root;
    std::size_t start = 0;
    while (start < module_path.size()) {
        std::size_t dot = module_path.find('.', start);
        if (dot == std::string::npos) dot = module_path.size();
        const std::string part = module_path.substr(start, dot - start);
        std::shared_ptr<const ModuleRecord> next;
        bool found = false;
        std::string names;
        for (const auto& [name, child] : record->children) {
            names += (names.empty() ? "" : ", ") + name;
            if (name == part) {
                next = child;
                found = true;
            }
        }
        const std::string where = record->path.empty() ? "the model" : "'" + record->path + "'";
        if (!found)
            throw std::invalid_argument(
                "no module '" + module_path + "': " + where + " has no submodule '" + part +
                "' (its submodules: " + (names.empty() ? "none" : names) + ")");
        if (!next)
            throw std::invalid_argument("no module '" + module_path + "': '" + part + "' of " +
                                        where + " is None");
        record = next;
        start = dot + 1;
    }
    return record;
}

} // namespace nnscope::io
