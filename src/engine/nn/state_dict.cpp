// Module::state_dict and load_state_dict, following PyTorch 1.13's _save_to_state_dict,
// _load_from_state_dict and load_state_dict (keys, messages and the order of the checks).

#include "engine/autograd/grad_mode.h"
#include "engine/nn/module.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

std::string torch_size(const Shape& shape) {
    return "torch.Size(" + shape_to_string(shape) + ")";
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::string quoted_list(const std::vector<std::string>& keys) {
    std::string out;
    for (std::size_t i = 0; i < keys.size(); ++i)
        out += (i ? ", \"" : "\"") + keys[i] + "\"";
    return out;
}

// Python's repr of a str: single quotes unless the text holds one and no double quote.
std::string python_repr(const std::string& s) {
    const bool double_quoted =
        s.find('\'') != std::string::npos && s.find('"') == std::string::npos;
    const char quote = double_quoted ? '"' : '\'';
    std::string out(1, quote);
    for (const char c : s) {
        if (c == quote || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[(c >> 4) & 0xf];
            out += hex[c & 0xf];
        } else {
            out += c;
        }
    }
    return out + quote;
}

std::string python_list(const std::vector<std::string>& keys) {
    std::string out = "[";
    for (std::size_t i = 0; i < keys.size(); ++i)
        out += (i ? ", " : "") + python_repr(keys[i]);
    return out + "]";
}

} // namespace

std::string repr(const IncompatibleKeys& keys) {
    if (keys.missing_keys.empty() && keys.unexpected_keys.empty())
        return "<All keys matched successfully>";
    return "_IncompatibleKeys(missing_keys=" + python_list(keys.missing_keys) +
           ", unexpected_keys=" + python_list(keys.unexpected_keys) + ")";
}

void Module::save_to_state_dict(StateDict& destination, const std::string& prefix) const {
    for (const auto& [name, param] : parameters_)
        if (param.defined()) destination.insert(prefix + name, param.detach());
    for (const auto& [name, buf] : buffers_)
        if (buf.defined() && is_persistent_buffer(name))
            destination.insert(prefix + name, buf.detach());
}

void Module::save_recursive(StateDict& destination, const std::string& prefix) const {
    save_to_state_dict(destination, prefix);
    for (const auto& [name, module] : modules_)
        if (module) module->save_recursive(destination, prefix + name + ".");
    if (hooks_) {
        const auto hooks = hooks_->state_dict;
        for (const auto& [id, hook] : hooks)
            hook(const_cast<Module&>(*this), destination, prefix);
    }
}

StateDict Module::state_dict(const std::string& prefix) const {
    StateDict destination;
    save_recursive(destination, prefix);
    return destination;
}

void Module::load_from_state_dict(StateDict& state_dict, const std::string& prefix,
                                  IncompatibleKeys& keys, std::vector<std::string>& error_msgs) {
    OrderedDict<Tensor> local_state;
    for (const auto& [name, param] : parameters_)
        if (param.defined()) local_state.insert(name, param);
    for (const auto& [name, buf] : buffers_)
        if (buf.defined() && is_persistent_buffer(name)) local_state.insert(name, buf);

    for (const auto& [name, param] : local_state) {
        const std::string key = prefix + name;
        const Tensor* found = state_dict.find(key);
        if (!found) {
            keys.missing_keys.push_back(key);
            continue;
        }
        Tensor input = *found;
        // Backward compatibility kept by PyTorch: a 1-element 1-d tensor loads into a 0-d one.
        if (param.dim() == 0 && input.dim() == 1) input = input.select(0, 0);
        if (input.shape() != param.shape()) {
            error_msgs.push_back("size mismatch for " + key + ": copying a param with shape " +
                                 torch_size(input.shape()) +
                                 " from checkpoint, the shape in current model is " +
                                 torch_size(param.shape()) + ".");
            continue;
        }
        try {
            autograd::NoGradGuard no_grad;
            Tensor target = param;
            target.copy_(input);
        } catch (const std::exception& ex) {
            error_msgs.push_back(
                "While copying the parameter named \"" + key +
                "\", whose dimensions in the model are " + torch_size(param.shape()) +
                " and whose dimensions in the checkpoint are " + torch_size(input.shape()) +
                ", an exception occurred : ('" + ex.what() + "',).");
        }
    }

    for (const auto& [key, value] : state_dict) {
        if (!starts_with(key, prefix)) continue;
        std::string input_name = key.substr(prefix.size());
        input_name = input_name.substr(0, input_name.find('.'));
        if (!modules_.contains(input_name) && !local_state.contains(input_name))
            keys.unexpected_keys.push_back(key);
    }
}

void Module::load_recursive(StateDict& state_dict, const std::string& prefix,
                            IncompatibleKeys& keys, std::vector<std::string>& error_msgs) {
    if (hooks_) {
        const auto hooks = hooks_->load_state_dict_pre;
        for (const auto& [id, hook] : hooks)
            hook(*this, state_dict, prefix, keys, error_msgs);
    }
    load_from_state_dict(state_dict, prefix, keys, error_msgs);
    for (const auto& [name, module] : modules_) {
        if (!module) continue;
        const std::string child_prefix = prefix + name + ".";
        StateDict child_state;
        for (const auto& [key, value] : state_dict)
            if (starts_with(key, child_prefix)) child_state.insert(key, value);
        module->load_recursive(child_state, child_prefix, keys, error_msgs);
    }
    if (hooks_) {
        const auto hooks = hooks_->load_state_dict_post;
        for (const auto& [id, hook] : hooks)
            hook(*this, keys);
    }
}

IncompatibleKeys Module::load_state_dict(const StateDict& state_dict, bool strict) {
    StateDict copy = state_dict; // hooks may edit it; the caller's dict stays as it was
    IncompatibleKeys keys;
    std::vector<std::string> error_msgs;
    load_recursive(copy, "", keys, error_msgs);
    if (strict) {
        if (!keys.unexpected_keys.empty())
            error_msgs.insert(error_msgs.begin(), "Unexpected key(s) in state_dict: " +
                                                      quoted_list(keys.unexpected_keys) + ". ");
        if (!keys.missing_keys.empty())
            error_msgs.insert(error_msgs.begin(), "Missing key(s) in state_dict: " +
                                                      quoted_list(keys.missing_keys) + ". ");
    }
    if (!error_msgs.empty()) {
        std::string message = "Error(s) in loading state_dict for " + type_name() + ":";
        for (const auto& msg : error_msgs)
            message += "\n\t" + msg;
        throw std::runtime_error(message);
    }
    return keys;
}

} // namespace nnscope::nn
