#pragma once
// Containers: Sequential (runs its children in order), ModuleList and ModuleDict (hold modules,
// have no forward: calling them is PyTorch's "missing the required forward" error).

#include "engine/nn/module.h"

#include <initializer_list>

namespace nnscope::nn {

// Children named "0", "1", ... unless given names. Subclasses that only name the class
// differently (torchvision's Conv2dNormActivation, _Transition) pass their type name.
class Sequential : public Module {
public:
    Sequential()
        : Module("Sequential") {}
    Sequential(std::initializer_list<ModulePtr> modules);
    explicit Sequential(const std::vector<ModulePtr>& modules);
    explicit Sequential(const std::vector<std::pair<std::string, ModulePtr>>& named);
    Tensor forward(const Tensor& input) override;

    void append(ModulePtr module);
    std::size_t size() const { return module_dict().size(); }
    // Python indexing: negative counts from the end; throws "index i is out of range".
    ModulePtr operator[](std::int64_t index) const;

protected:
    explicit Sequential(std::string type_name)
        : Module(std::move(type_name)) {}
};

class ModuleList final : public Module {
public:
    ModuleList()
        : Module("ModuleList") {}
    ModuleList(std::initializer_list<ModulePtr> modules);
    explicit ModuleList(const std::vector<ModulePtr>& modules);

    void append(ModulePtr module);
    void extend(const std::vector<ModulePtr>& modules);
    void insert(std::int64_t index, ModulePtr module);
    std::size_t size() const { return module_dict().size(); }
    ModulePtr operator[](std::int64_t index) const;
};

class ModuleDict final : public Module {
public:
    ModuleDict()
        : Module("ModuleDict") {}
    explicit ModuleDict(const std::vector<std::pair<std::string, ModulePtr>>& modules);

    void insert(const std::string& key, ModulePtr module) {
        register_module(key, std::move(module));
    }
    bool contains(const std::string& key) const { return module_dict().contains(key); }
    ModulePtr operator[](const std::string& key) const;
    std::vector<std::string> keys() const { return module_dict().keys(); }
    std::size_t size() const { return module_dict().size(); }
};

// Position `index` (Python style) among `size` entries; throws "index i is out of range".
std::size_t container_index(std::int64_t index, std::size_t size);

} // namespace nnscope::nn
