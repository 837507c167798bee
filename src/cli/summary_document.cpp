#include "cli/summary_document.h"

#include <algorithm>
#include <iomanip>
#include <map>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;

std::string clipped(const std::string& text, std::size_t limit) {
    std::string line = text.substr(0, limit);
    std::replace(line.begin(), line.end(), '\n', ' ');
    return text.size() > limit ? line + "..." : line;
}

// A module's type as the text shows it: "-" when unknown, a guess marked with "?".
std::string type_text(const io::ModuleRow& m) {
    if (m.type.empty()) return "-";
    return m.type_inferred ? m.type + "?" : m.type;
}

void print_modules(std::ostream& out, const io::ModelSummary& summary) {
    if (summary.listed_modules.empty()) return;
    std::size_t width = 6, type_width = 6;
    bool any_inferred = false;
    for (const int index : summary.listed_modules) {
        const io::ModuleRow& m = summary.modules[static_cast<std::size_t>(index)];
        width = std::max(width, 2 * std::count(m.path.begin(), m.path.end(), '.') +
                                    (m.path.empty() ? 6 : m.path.size()));
        type_width = std::max(type_width, type_text(m).size());
        any_inferred = any_inferred || m.type_inferred;
    }
    width += 2;
    type_width += 2;
    out << std::left << std::setw(int(width)) << "Module" << std::setw(int(type_width)) << "Type"
        << std::right << std::setw(14) << "Parameters"
        << "  Arguments\n";
    for (const int index : summary.listed_modules) {
        const io::ModuleRow& m = summary.modules[static_cast<std::size_t>(index)];
        const auto depth = std::count(m.path.begin(), m.path.end(), '.');
        const std::string label = m.path.empty() ? "(root)" : m.path; // TorchScript lists it
        out << std::left << std::setw(int(width)) << std::string(2 * depth, ' ') + label
            << std::setw(int(type_width)) << type_text(m) << std::right << std::setw(14)
            << (m.has_parameters ? grouped(m.total_parameters) : "--") << "  "
            << clipped(m.arguments, 100) << "\n";
    }
    if (any_inferred)
        out << "? type and arguments guessed from the tensor names and shapes (the file gives "
               "no class)\n";
    out << "\n";
}

void print_tensors(std::ostream& out, const io::ModelSummary& summary) {
    std::size_t name_width = 6, shape_width = 5;
    bool any_inferred = false;
    for (const io::TensorRow& t : summary.tensors) {
        name_width = std::max(name_width, t.name.size());
        shape_width = std::max(shape_width, shape_to_string(t.shape).size());
        any_inferred = any_inferred || t.role_inferred;
    }
    name_width += 2;
    shape_width += 2;
    out << std::left << std::setw(int(name_width)) << "Tensor" << std::setw(12) << "Role"
        << std::setw(10) << "Dtype" << std::setw(int(shape_width)) << "Shape" << std::right
        << std::setw(14) << "Elements"
        << "\n";
    for (const io::TensorRow& t : summary.tensors)
        out << std::left << std::setw(int(name_width)) << t.name << std::setw(12)
            << std::string(io::to_string(t.role)) + (t.role_inferred ? "*" : "") << std::setw(10)
            << t.dtype << std::setw(int(shape_width)) << shape_to_string(t.shape) << std::right
            << std::setw(14) << grouped(t.numel) << "\n";
    if (any_inferred)
        out << "* role inferred from the name and dtype (the file does not record it)\n";
}

void print_graph(std::ostream& out, const io::ModelDocument& document) {
    if (document.nodes.empty()) return;
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

} // namespace

std::string grouped(std::int64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::int64_t role_elements(const io::ModelSummary& summary, io::TensorRole role) {
    return summary.role_total(role).elements;
}

Json tensor_json(const io::TensorRow& row) {
    Json j = {{"name", row.name},
              {"shape", row.shape},
              {"dtype", row.dtype},
              {"role", io::to_string(row.role)},
              {"numel", row.numel}};
    if (row.role_inferred) j["role_inferred"] = true;
    if (row.requires_grad) j["requires_grad"] = *row.requires_grad;
    return j;
}

Json module_json(const io::ModuleRow& m) {
    Json j = {{"path", m.path}, {"type", m.type.empty() ? Json() : Json(m.type)}};
    if (m.type_inferred) {
        j["type_inferred"] = true;
        j["type_reason"] = m.type_reason;
    }
    j["arguments"] = m.arguments.empty() ? Json() : Json(m.arguments);
    j["parameters"] = m.own_parameters;
    j["total_parameters"] = m.total_parameters;
    return j;
}

Json document_json(const io::ModelSummary& summary) {
    Json j;
    j["format"] = io::to_string(summary.format);
    Json modules = Json::array();
    for (const int index : summary.listed_modules) {
        modules.push_back(module_json(summary.modules[static_cast<std::size_t>(index)]));
    }
    j["modules"] = std::move(modules);
    Json tensors = Json::array();
    for (const io::TensorRow& row : summary.tensors) {
        Json t = tensor_json(row);
        // A tied tensor's later names say whose tensor they are (the totals count it once).
        if (!row.shares_with.empty()) t["shares_with"] = row.shares_with;
        tensors.push_back(std::move(t));
    }
    j["tensors"] = std::move(tensors);
    j["totals"] = {{"parameters", role_elements(summary, io::TensorRole::Parameter)},
                   {"buffers", role_elements(summary, io::TensorRole::Buffer)},
                   {"unknown", role_elements(summary, io::TensorRole::Unknown)}};
    Json metadata = Json::object();
    for (const auto& [key, value] : summary.metadata)
        metadata[key] = value;
    j["metadata"] = std::move(metadata);
    return j;
}

void print_document(std::ostream& out, const std::string& source, const io::ModelDocument& document,
                    const io::ModelSummary& summary) {
    out << "Model: " << source << " (" << io::to_string(summary.format) << ", "
        << summary.listed_modules.size() << " modules, " << summary.tensors.size()
        << " tensors)\n\n";
    print_modules(out, summary);
    print_tensors(out, summary);
    out << "\nParameters (elements):  "
        << grouped(role_elements(summary, io::TensorRole::Parameter)) << "\n"
        << "Buffers (elements):     " << grouped(role_elements(summary, io::TensorRole::Buffer))
        << "\n"
        << "Unknown (elements):     " << grouped(role_elements(summary, io::TensorRole::Unknown))
        << "\n";
    if (summary.shared_names)
        out << "Shared names:           " << summary.shared_names
            << " (tied to a tensor listed earlier, counted once)\n";
    print_graph(out, document);
    if (!summary.metadata.empty()) {
        out << "\nMetadata:\n";
        for (const auto& [key, value] : summary.metadata)
            out << "  " << key << " = " << clipped(value, 200) << "\n";
    }
}

} // namespace nnscope::cli
