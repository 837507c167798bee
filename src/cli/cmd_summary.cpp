// nnscope-cli summary FILE [--json] [--timing]: the module tree, every parameter and buffer, and
// the totals, as torchinfo shows them; --json gives the machine-readable form every format shares.
// Native models (and the bundled mlp / cnn) get their full report from the built model; every
// other format goes through io::open_model (summary_document.cpp). The hidden --timing writes the
// time spent opening the file, measured inside the process, to stderr for bench/load.sh.

#include "cli/commands.h"
#include "cli/model_tables.h"
#include "cli/subcommands.h"
#include "cli/summary_document.h"
#include "io/open_model.h"
#include "workflows/default_models.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;

Json to_json(const io::NativeModel& model, const ModelTables& tables) {
    Json j;
    j["format"] = "nnscope";
    Json modules = Json::array();
    for (const auto& m : tables.modules)
        modules.push_back({{"path", m.path}, {"type", m.type}});
    j["modules"] = std::move(modules);
    Json tensors = Json::array();
    for (const auto& t : tables.tensors)
        tensors.push_back({{"name", t.name},
                           {"shape", t.shape},
                           {"dtype", t.dtype},
                           {"role", t.is_parameter ? "parameter" : "buffer"},
                           {"numel", t.numel}});
    j["tensors"] = std::move(tensors);
    j["totals"] = {{"parameters", tables.parameters},
                   {"buffers", tables.buffers},
                   {"unknown", 0},
                   {"trainable", tables.trainable},
                   {"non_trainable", tables.non_trainable}};
    Json metadata = Json::object();
    for (const auto& [key, value] : model.metadata)
        metadata[key] = value;
    if (!metadata.contains("nnscope.seed")) metadata["nnscope.seed"] = std::to_string(model.seed);
    j["metadata"] = std::move(metadata);
    return j;
}

void print_text(std::ostream& out, const std::string& source, const io::NativeModel& model,
                const ModelTables& tables) {
    out << "Model: " << source << " (nnscope native model, seed " << model.seed << ")\n\n";

    std::size_t width = 6;
    for (const auto& m : tables.modules)
        width = std::max(width, 2 * m.depth + (m.path.empty() ? 6 : m.path.size()));
    width += 2;
    std::size_t type_width = 6;
    for (const auto& m : tables.modules)
        type_width = std::max(type_width, m.type.size());
    type_width += 2;
    out << std::left << std::setw(static_cast<int>(width)) << "Module"
        << std::setw(static_cast<int>(type_width)) << "Type" << std::right << std::setw(14)
        << "Parameters"
        << "  Arguments\n";
    for (const auto& m : tables.modules) {
        const std::string label =
            std::string(2 * m.depth, ' ') + (m.path.empty() ? "(root)" : m.path);
        out << std::left << std::setw(static_cast<int>(width)) << label
            << std::setw(static_cast<int>(type_width)) << m.type << std::right << std::setw(14)
            << (m.params ? grouped(m.params) : "--") << "  " << m.arguments << "\n";
    }

    std::size_t name_width = 6, shape_width = 5;
    for (const auto& t : tables.tensors) {
        name_width = std::max(name_width, t.name.size());
        shape_width = std::max(shape_width, shape_to_string(t.shape).size());
    }
    name_width += 2;
    shape_width += 2;
    out << "\n"
        << std::left << std::setw(static_cast<int>(name_width)) << "Tensor" << std::setw(20)
        << "Role" << std::setw(10) << "Dtype" << std::setw(static_cast<int>(shape_width)) << "Shape"
        << std::right << std::setw(12) << "Elements"
        << "\n";
    for (const auto& t : tables.tensors) {
        const std::string role =
            t.is_parameter ? (t.trainable ? "parameter" : "parameter (frozen)") : "buffer";
        out << std::left << std::setw(static_cast<int>(name_width)) << t.name << std::setw(20)
            << role << std::setw(10) << t.dtype << std::setw(static_cast<int>(shape_width))
            << shape_to_string(t.shape) << std::right << std::setw(12) << grouped(t.numel) << "\n";
    }

    out << "\nTotal parameters:      " << grouped(tables.parameters) << "\n"
        << "Trainable parameters:  " << grouped(tables.trainable) << "\n"
        << "Non-trainable params:  " << grouped(tables.non_trainable) << "\n"
        << "Buffers (elements):    " << grouped(tables.buffers) << "\n";
    if (!model.initialised_keys.empty())
        out << "From seeded init:      " << model.initialised_keys.size() << " of "
            << model.initialised_keys.size() + model.loaded_keys.size()
            << " state_dict tensors (not stored in the file)\n";
}

} // namespace

int run_summary(Args args) {
    if (args.flag("help")) {
        std::cout
            << "usage: nnscope-cli summary FILE|mlp|cnn [--json]\n"
               "FILE: a native nnscope model, safetensors, PyTorch .pt/.pth (zip or legacy),\n"
               "TorchScript or ONNX file\n";
        return 0;
    }
    const bool json = args.flag("json");
    const bool timing = args.flag("timing");
    const std::string file = args.positional("FILE (a model file, or mlp / cnn)");
    args.finish();

    using Clock = std::chrono::steady_clock;
    using Ms = std::chrono::duration<double, std::milli>;
    // CPU time too: on a busy machine the wall clock mostly measures the wait for a core.
    const std::clock_t cpu_start = std::clock();
    const auto cpu_ms = [cpu_start] {
        return 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    };
    const auto start = Clock::now();
    const bool native =
        workflows::default_model_architecture(file) || io::detect_model_format(file) == "nnscope";
    double open_ms = 0, open_cpu_ms = 0;
    if (native) {
        const io::NativeModel model = workflows::load_model(file);
        open_ms = Ms(Clock::now() - start).count();
        open_cpu_ms = cpu_ms();
        const ModelTables tables = tabulate(*model.module);
        if (json)
            std::cout << to_json(model, tables).dump() << "\n";
        else
            print_text(std::cout, file, model, tables);
    } else {
        const io::ModelDocument document = io::open_model(file);
        open_ms = Ms(Clock::now() - start).count();
        open_cpu_ms = cpu_ms();
        if (json)
            std::cout << document_json(document).dump() << "\n";
        else
            print_document(std::cout, file, document);
    }
    std::cout.flush();
    if (timing)
        std::cerr << "timing: open_ms=" << open_ms << " open_cpu_ms=" << open_cpu_ms
                  << " total_ms=" << Ms(Clock::now() - start).count()
                  << " total_cpu_ms=" << cpu_ms() << "\n";
    return 0;
}

} // namespace nnscope::cli
