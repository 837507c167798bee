#pragma once
// What every torchvision block shares: its children are looked up by torchvision's names when
// it runs (a file rebuilder registers them after making the empty block), and its plain
// attributes (stride, use_res_connect, p, ...) are read from what the file stores.

#include "engine/nn/module.h"

#include <string>

namespace nnscope::vision {

// The child `name` of `module` applied to x (hooks run). Throws std::out_of_range naming the
// module type and the child when it is missing or None.
Tensor run_child(const nn::Module& module, const std::string& name, const Tensor& x);
// The child `name`, nullptr when absent or None (torchvision's optional downsample).
nn::Module* find_child(const nn::Module& module, const std::string& name);

// A block's plain attributes as a file stores them; names the file has but the block does not
// use (training, _is_cn, ...) are ignored. A used one of the wrong type throws
// std::invalid_argument naming the class and the attribute.
class Attributes {
public:
    Attributes(std::string class_name, const nn::Arguments& arguments)
        : class_name_(std::move(class_name))
        , arguments_(arguments) {}
    bool get_bool(const std::string& name, bool fallback) const;
    std::int64_t get_int(const std::string& name, std::int64_t fallback) const;
    double get_double(const std::string& name, double fallback) const;
    std::string get_string(const std::string& name, const std::string& fallback) const;

private:
    const nn::Value* find(const std::string& name) const;
    [[noreturn]] void wrong(const std::string& name, const char* wanted, const nn::Value& v) const;
    std::string class_name_;
    const nn::Arguments& arguments_;
};

} // namespace nnscope::vision
