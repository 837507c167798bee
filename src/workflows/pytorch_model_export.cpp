// ModuleSpec -> model.py (see pytorch_model_export.h).

#include "workflows/pytorch_model_export.h"

#include "engine/nn/registry.h"
#include "io/atomic_file.h"
#include "io/native_model.h"
#include "io/safetensors.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace nnscope::workflows {

namespace {

using Init = nn::TensorDeclaration::Init;

std::string indent_text(int spaces) {
    return std::string(static_cast<std::size_t>(spaces), ' ');
}

// A Python string literal in double quotes.
std::string py_str(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string join_path(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

std::string describe(const std::string& path, const std::string& type) {
    return (path.empty() ? std::string("the root module") : "module '" + path + "'") + " (" + type +
           ")";
}

bool numbered_children(const io::ModuleSpec& spec) {
    for (std::size_t i = 0; i < spec.children.size(); ++i)
        if (spec.children[i].name != std::to_string(i)) return false;
    return true;
}

// Whether nn.Type(...) with its children inside keeps the children's names and order.
bool literal_holds_children(const io::ModuleSpec& spec) {
    if (spec.children.empty()) return true;
    if (spec.type == "Sequential" || spec.type == "ModuleDict") return true;
    return spec.type == "ModuleList" && numbered_children(spec);
}

// --- tensors ---------------------------------------------------------------------------------

std::string shape_args(const Shape& shape) { // torch.zeros(2, 3), torch.zeros(())
    if (shape.empty()) return "()";
    std::string out;
    for (std::size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out;
}

std::string shape_tuple(const Shape& shape) { // (8,), (2, 3), ()
    if (shape.size() == 1) return "(" + std::to_string(shape[0]) + ",)";
    return shape.empty() ? "()" : "(" + shape_args(shape) + ")";
}

std::string dtype_keyword(DType dtype, bool float32_too = false) {
    if (dtype == DType::Float32 && !float32_too) return "";
    return ", dtype=torch." + std::string(dtype_name(dtype));
}

std::string number(double v, DType dtype) {
    if (is_floating_point(dtype)) return nn::python_float_repr(v);
    return std::to_string(static_cast<std::int64_t>(v));
}

// The nested list of torch.tensor([[...], ...]) for values in row-major order.
std::string nested_values(const std::vector<double>& values, const Shape& shape, DType dtype,
                          std::size_t dim, std::size_t& next) {
    if (dim == shape.size()) return number(values[next++], dtype);
    std::string out = "[";
    for (std::int64_t i = 0; i < shape[dim]; ++i)
        out += (i ? ", " : "") + nested_values(values, shape, dtype, dim + 1, next);
    return out + "]";
}

std::string tensor_expression(const nn::TensorDeclaration& d) {
    const std::string dtype = dtype_keyword(d.dtype);
    switch (d.init) {
    case Init::Zeros:
        return "torch.zeros(" + shape_args(d.shape) + dtype + ")";
    case Init::Ones:
        return "torch.ones(" + shape_args(d.shape) + dtype + ")";
    case Init::Full: // an int fill would make torch.full an int64 tensor: keep the dtype's form
        return "torch.full(" + shape_tuple(d.shape) + ", " + number(d.fill, d.dtype) + dtype + ")";
    case Init::Arange: {
        std::string out = "torch.arange(" + std::to_string(shape_numel(d.shape)) +
                          (d.dtype == DType::Int64 ? "" : dtype_keyword(d.dtype, true)) + ")";
        return d.shape.size() == 1 ? out : out + ".reshape(" + shape_tuple(d.shape) + ")";
    }
    case Init::Randn:
        return "torch.randn(" + shape_args(d.shape) + dtype + ")";
    case Init::Rand:
        return "torch.rand(" + shape_args(d.shape) + dtype + ")";
    case Init::Values: {
        if (d.values.empty()) return "torch.zeros(" + shape_args(d.shape) + dtype + ")";
        std::size_t next = 0;
        return "torch.tensor(" + nested_values(d.values, d.shape, d.dtype, 0, next) +
               dtype_keyword(d.dtype) + ")";
    }
    }
    throw std::logic_error("tensor_expression: unknown init");
}

std::string registration(const nn::TensorDeclaration& d) {
    const std::string value = tensor_expression(d);
    if (d.kind == nn::TensorDeclaration::Kind::Parameter)
        return "self.register_parameter(" + py_str(d.name) + ", nn.Parameter(" + value +
               (d.requires_grad ? "" : ", requires_grad=False") + "))";
    return "self.register_buffer(" + py_str(d.name) + ", " + value +
           (d.persistent ? "" : ", persistent=False") + ")";
}

// --- modules ---------------------------------------------------------------------------------

class Writer {
public:
    explicit Writer(const PytorchExportOptions& options)
        : options_(options) {}

    std::string write(const io::ModuleSpec& root) {
        const std::string net = class_definition(root, "", "Net");
        std::string out = header();
        for (const auto& definition : classes_)
            out += "\n\n" + definition;
        out += "\n\n" + net;
        out += "\n\ndef build(seed=" + std::to_string(options_.seed) +
               "):\n"
               "    torch.manual_seed(seed)\n"
               "    return Net()\n"
               "\n\n"
               "if __name__ == \"__main__\":\n"
               "    print(build())\n";
        return out;
    }

private:
    std::string header() const {
        const std::string origin = options_.origin.empty() ? "an nnscope model" : options_.origin;
        std::string out =
            "# The module tree of " + origin +
            " in torch.nn (PyTorch 1.13), written by\n"
            "# nnscope-cli export-pytorch. build(seed) makes it with the initial weights nnscope "
            "gives that\n"
            "# seed, bit for bit: torch.manual_seed(seed), then each module's own initialisation "
            "in\n"
            "# construction order (children first, then the module's extra parameters and "
            "buffers).\n"
            "# Trained weights are not in this script.\n";
        out += "import torch\nfrom torch import nn\n";
        if (uses_ordered_dict_) out += "from collections import OrderedDict\n";
        return out;
    }

    void check_type(const io::ModuleSpec& spec, const std::string& path) const {
        const auto types = nn::module_type_names();
        if (std::find(types.begin(), types.end(), spec.type) == types.end())
            throw std::invalid_argument(describe(path, spec.type) +
                                        ": not a torch.nn class nnscope can export");
    }

    // nn.Type(arguments) with the children inside when the literal keeps them.
    std::string constructor_arguments(const io::ModuleSpec& spec, const std::string& path,
                                      int indent) {
        if (nn::is_container_type(spec.type) && !spec.children.empty() &&
            literal_holds_children(spec))
            return children_literal(spec, path, indent);
        std::string out;
        for (const auto& [name, value] : spec.arguments) {
            out += (out.empty() ? "" : ", ") + name + "=";
            if (spec.type == "CrossEntropyLoss" && name == "weight" && !value.is_none()) {
                std::string items;
                for (const auto& v : value.as_list())
                    items += (items.empty() ? "" : ", ") + nn::python_float_repr(v.as_double());
                out += "torch.tensor([" + items + "])";
            } else {
                out += value.repr();
            }
        }
        return out;
    }

    std::string children_literal(const io::ModuleSpec& spec, const std::string& path, int indent) {
        const std::string inner = indent_text(indent + 4);
        std::string open, close;
        const bool named =
            spec.type == "ModuleDict" || (spec.type == "Sequential" && !numbered_children(spec));
        if (spec.type == "ModuleList") {
            open = "[\n";
            close = indent_text(indent) + "]";
        } else if (spec.type == "ModuleDict") {
            open = "{\n";
            close = indent_text(indent) + "}";
        } else if (named) {
            uses_ordered_dict_ = true;
            open = "OrderedDict([\n";
            close = indent_text(indent) + "])";
        } else {
            open = "\n";
            close = indent_text(indent);
        }
        std::string out = open;
        for (const auto& [name, child] : spec.children) {
            const std::string value = expression(child, join_path(path, name), indent + 4);
            if (spec.type == "ModuleDict")
                out += inner + py_str(name) + ": " + value + ",\n";
            else if (named)
                out += inner + "(" + py_str(name) + ", " + value + "),\n";
            else
                out += inner + value + ",\n";
        }
        return out + close;
    }

    // A child as it appears inside its parent: a literal, or its class's constructor call.
    std::string expression(const io::ModuleSpec& spec, const std::string& path, int indent) {
        check_type(spec, path);
        if (spec.tensors.empty() && literal_holds_children(spec))
            return "nn." + spec.type + "(" + constructor_arguments(spec, path, indent) + ")";
        const std::string key = io::architecture_to_json(spec);
        auto it = class_names_.find(key);
        if (it == class_names_.end()) {
            const std::string name = spec.type + std::to_string(++type_counts_[spec.type]);
            it = class_names_.emplace(key, name).first;
            classes_.push_back(class_definition(spec, path, name));
        }
        return it->second + "()";
    }

    std::string class_definition(const io::ModuleSpec& spec, const std::string& path,
                                 const std::string& name) {
        check_type(spec, path);
        std::string out = "class " + name + "(nn." + spec.type + "):\n";
        if (!path.empty()) out += "    \"\"\"" + spec.type + " at '" + path + "'.\"\"\"\n\n";
        out += "    def __init__(self):\n";
        out += "        super().__init__(" + constructor_arguments(spec, path, 8) + ")\n";
        if (!literal_holds_children(spec))
            for (const auto& [child_name, child] : spec.children)
                out += "        self.add_module(" + py_str(child_name) + ", " +
                       expression(child, join_path(path, child_name), 8) + ")\n";
        for (const auto& d : spec.tensors)
            out += "        " + registration(d) + "\n";
        if (path.empty() && (spec.type == "ModuleList" || spec.type == "ModuleDict"))
            out += "\n"
                   "    # A " +
                   spec.type +
                   " holds modules for a forward that calls them and has no forward of its "
                   "own,\n"
                   "    # and nnscope's file defines none: write the forward you want here.\n"
                   "    def forward(self, *inputs):\n"
                   "        raise NotImplementedError(\"Net is a " +
                   spec.type + ": it has no forward\")\n";
        return out;
    }

    PytorchExportOptions options_;
    std::map<std::string, std::string> class_names_; // spec JSON -> class name
    std::map<std::string, int> type_counts_;
    std::vector<std::string> classes_; // definitions, each after the classes it uses
    bool uses_ordered_dict_ = false;
};

} // namespace

std::string pytorch_model_source(const io::ModuleSpec& architecture,
                                 const PytorchExportOptions& options) {
    return Writer(options).write(architecture);
}

void export_pytorch_model(const std::filesystem::path& native_model,
                          const std::filesystem::path& out) {
    std::string source;
    try {
        const io::SafetensorsFile file(native_model);
        const auto& metadata = file.metadata();
        if (!io::is_native_model(metadata))
            throw std::invalid_argument(
                "not an nnscope model: its metadata has no 'nnscope.architecture'");
        PytorchExportOptions options;
        options.origin = native_model.filename().string();
        if (auto seed = metadata.find(std::string(io::seed_metadata_key)); seed != metadata.end())
            options.seed = io::parse_seed(seed->second);
        source = pytorch_model_source(
            io::parse_architecture(metadata.at(std::string(io::architecture_metadata_key))),
            options);
    } catch (const std::exception& e) {
        throw std::invalid_argument(native_model.string() + ": " + e.what());
    }
    io::AtomicFile file(out);
    file.write(source);
    file.commit();
}

} // namespace nnscope::workflows
