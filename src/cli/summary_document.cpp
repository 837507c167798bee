#include "cli/summary_document.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;

std::int64_t numel_of(const io::TensorEntry& entry) {
    std::int64_t n = 1;
    for (const auto d : entry.shape)
        n *= d; // the readers have checked that the product fits
    return n;
}

std::string dtype_of(const io::TensorEntry& entry) {
    return entry.stored_dtype.empty() ? std::string(dtype_name(entry.dtype)) : entry.stored_dtype;
}

std::string shape_text(const Shape& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

struct Totals {
    std::int64_t parameters = 0, buffers = 0, unknown = 0;
    std::int64_t shared_names = 0; // names of a tensor already counted under another name
};

// Counts each tensor once, as sum(p.numel() for p in model.parameters()) does: a weight tied under
// two names (an embedding and its decoder) is one tensor.
Totals totals_of(const io::ModelDocument& document) {
    Totals totals;
    std::unordered_set<std::string> seen;
    for (const auto& entry : document.tensors) {
        if (const std::string view = io::view_identity(entry);
            !view.empty() && !seen.insert(view).second) {
            ++totals.shared_names;
            continue;
        }
        const std::int64_t n = numel_of(entry);
        if (entry.role == "parameter")
            totals.parameters += n;
        else if (entry.role == "buffer")
            totals.buffers += n;
        else
            totals.unknown += n;
    }
    return totals;
}

std::string clipped(const std::string& text, std::size_t limit) {
    std::string line = text.substr(0, limit);
    std::replace(line.begin(), line.end(), '\n', ' ');
    return text.size() > limit ? line + "..." : line;
}

void print_modules(std::ostream& out, const io::ModelDocument& document) {
    if (document.modules.empty()) return;
    // Parameter elements under each module path, from the dotted tensor names; a tensor tied
    // under two names inside one module counts once there, as in m.parameters().
    std::unordered_map<std::string, std::int64_t> params;
    std::unordered_set<std::string> counted; // module path + '\n' + view identity
    for (const auto& entry : document.tensors) {
        if (entry.role != "parameter") continue;
        const std::string view = io::view_identity(entry);
        for (auto dot = entry.name.find('.'); dot != std::string::npos;
             dot = entry.name.find('.', dot + 1)) {
            std::string path = entry.name.substr(0, dot);
            if (!view.empty() && !counted.insert(path + '\n' + view).second) continue;
            params[std::move(path)] += numel_of(entry);
        }
    }
    std::size_t width = 6, type_width = 6;
    for (const auto& [path, type] : document.modules) {
        width = std::max(width, 2 * std::count(path.begin(), path.end(), '.') + path.size());
        type_width = std::max(type_width, type.size());
    }
    width += 2;
    type_width += 2;
    out << std::left << std::setw(int(width)) << "Module" << std::setw(int(type_width)) << "Type"
        << std::right << std::setw(14) << "Parameters"
        << "  Arguments\n";
    for (const auto& [path, type] : document.modules) {
        const auto depth = std::count(path.begin(), path.end(), '.');
        const auto found = params.find(path);
        const auto arguments = document.module_arguments.find(path);
        out << std::left << std::setw(int(width)) << std::string(2 * depth, ' ') + path
            << std::setw(int(type_width)) << (type.empty() ? "-" : type) << std::right
            << std::setw(14) << (found == params.end() ? "--" : grouped(found->second)) << "  "
            << (arguments == document.module_arguments.end() ? "" : clipped(arguments->second, 100))
            << "\n";
    }
    out << "\n";
}

void print_tensors(std::ostream& out, const io::ModelDocument& document) {
    std::size_t name_width = 6, shape_width = 5;
    bool any_inferred = false;
    for (const auto& entry : document.tensors) {
        name_width = std::max(name_width, entry.name.size());
        shape_width = std::max(shape_width, shape_text(entry.shape).size());
        any_inferred = any_inferred || entry.role_inferred;
    }
    name_width += 2;
    shape_width += 2;
    out << std::left << std::setw(int(name_width)) << "Tensor" << std::setw(12) << "Role"
        << std::setw(10) << "Dtype" << std::setw(int(shape_width)) << "Shape" << std::right
        << std::setw(14) << "Elements"
        << "\n";
    for (const auto& entry : document.tensors)
        out << std::left << std::setw(int(name_width)) << entry.name << std::setw(12)
            << entry.role + (entry.role_inferred ? "*" : "") << std::setw(10) << dtype_of(entry)
            << std::setw(int(shape_width)) << shape_text(entry.shape) << std::right << std::setw(14)
            << grouped(numel_of(entry)) << "\n";
    if (any_inferred)
        out << "* role inferred from the name and dtype (the file does not record it)\n";
}

} // namespace

std::string grouped(std::int64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

Json document_json(const io::ModelDocument& document) {
    Json j;
    j["format"] = document.format;
    Json modules = Json::array();
    for (const auto& [path, type] : document.modules)
        modules.push_back({{"path", path}, {"type", type.empty() ? Json() : Json(type)}});
    j["modules"] = std::move(modules);
    Json tensors = Json::array();
    std::unordered_map<std::string, std::string> first_name; // view identity -> first name
    for (const auto& entry : document.tensors) {
        Json t = {{"name", entry.name},
                  {"shape", entry.shape},
                  {"dtype", dtype_of(entry)},
                  {"role", entry.role},
                  {"numel", numel_of(entry)}};
        // A tied tensor's later names say whose tensor they are (the totals count it once).
        if (const std::string view = io::view_identity(entry); !view.empty()) {
            const auto [it, first] = first_name.emplace(view, entry.name);
            if (!first) t["shares_with"] = it->second;
        }
        tensors.push_back(std::move(t));
    }
    j["tensors"] = std::move(tensors);
    const Totals totals = totals_of(document);
    j["totals"] = {{"parameters", totals.parameters},
                   {"buffers", totals.buffers},
                   {"unknown", totals.unknown}};
    Json metadata = Json::object();
    for (const auto& [key, value] : document.metadata)
        metadata[key] = value;
    j["metadata"] = std::move(metadata);
    return j;
}

void print_document(std::ostream& out, const std::string& source,
                    const io::ModelDocument& document) {
    out << "Model: " << source << " (" << document.format << ", " << document.modules.size()
        << " modules, " << document.tensors.size() << " tensors)\n\n";
    print_modules(out, document);
    print_tensors(out, document);
    const Totals totals = totals_of(document);
    out << "\nParameters (elements):  " << grouped(totals.parameters) << "\n"
        << "Buffers (elements):     " << grouped(totals.buffers) << "\n"
        << "Unknown (elements):     " << grouped(totals.unknown) << "\n";
    if (totals.shared_names)
        out << "Shared names:           " << totals.shared_names
            << " (tied to a tensor listed earlier, counted once)\n";
    if (!document.nodes.empty()) {
        std::map<std::string, int> ops;
        for (const auto& node : document.nodes)
            ++ops[node.op_type];
        out << "Graph nodes:            " << document.nodes.size() << " (";
        bool first = true;
        for (const auto& [op, count] : ops) {
            out << (first ? "" : ", ") << op << " " << count;
            first = false;
        }
        out << ")\n";
    }
    if (!document.metadata.empty()) {
        out << "\nMetadata:\n";
        for (const auto& [key, value] : document.metadata)
            out << "  " << key << " = " << clipped(value, 200) << "\n";
    }
}

} // namespace nnscope::cli
