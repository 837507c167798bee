#include "engine/nn/container.h"

#include <algorithm>
#include <stdexcept>

namespace nnscope::nn {

std::size_t container_index(std::int64_t index, std::size_t size) {
    const auto n = static_cast<std::int64_t>(size);
    if (index < -n || index >= n)
        throw std::out_of_range("index " + std::to_string(index) + " is out of range");
    return static_cast<std::size_t>(index < 0 ? index + n : index);
}

Sequential::Sequential(std::initializer_list<ModulePtr> modules)
    : Sequential() {
    for (const auto& m : modules)
        append(m);
}

Sequential::Sequential(const std::vector<ModulePtr>& modules)
    : Sequential() {
    for (const auto& m : modules)
        append(m);
}

Sequential::Sequential(const std::vector<std::pair<std::string, ModulePtr>>& named)
    : Sequential() {
    for (const auto& [name, m] : named)
        register_module(name, m);
}

void Sequential::append(ModulePtr module) {
    register_module(std::to_string(size()), std::move(module));
}

ModulePtr Sequential::operator[](std::int64_t index) const {
    return module_dict().items()[container_index(index, size())].second;
}

Tensor Sequential::forward(const Tensor& input) {
    Tensor x = input;
    for (const auto& [name, module] : module_dict())
        if (module) x = (*module)(x);
    return x;
}

ModuleList::ModuleList(std::initializer_list<ModulePtr> modules)
    : ModuleList() {
    for (const auto& m : modules)
        append(m);
}

ModuleList::ModuleList(const std::vector<ModulePtr>& modules)
    : ModuleList() {
    extend(modules);
}

void ModuleList::append(ModulePtr module) {
    register_module(std::to_string(size()), std::move(module));
}

void ModuleList::extend(const std::vector<ModulePtr>& modules) {
    for (const auto& m : modules)
        append(m);
}

void ModuleList::insert(std::int64_t index, ModulePtr module) {
    // As list.insert: clamp, then shift the later entries up by one and renumber.
    const auto n = static_cast<std::int64_t>(size());
    if (index < 0) index = std::max<std::int64_t>(0, index + n);
    index = std::min(index, n);
    std::vector<ModulePtr> all;
    for (const auto& [name, m] : module_dict())
        all.push_back(m);
    all.insert(all.begin() + index, std::move(module));
    for (std::size_t i = 0; i < all.size(); ++i)
        register_module(std::to_string(i), all[i]);
}

ModulePtr ModuleList::operator[](std::int64_t index) const {
    return module_dict().items()[container_index(index, size())].second;
}

ModuleDict::ModuleDict(const std::vector<std::pair<std::string, ModulePtr>>& modules)
    : ModuleDict() {
    for (const auto& [key, m] : modules)
        insert(key, m);
}

ModulePtr ModuleDict::operator[](const std::string& key) const {
    if (const ModulePtr* m = module_dict().find(key)) return *m;
    throw std::out_of_range("'" + key + "'");
}

} // namespace nnscope::nn
