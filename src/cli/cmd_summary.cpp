// nnscope-cli summary FILE [--json] [--timing] [--dry-run SHAPE]: the module tree, every parameter
// and buffer, and the totals, as torchinfo shows them; --json gives the machine-readable form every
// format shares. --dry-run runs the model once on zeros of SHAPE and prints the forward table
// (workflows/dry_run.h) instead.
// Native models (and the bundled mlp / cnn) get their full report from the built model; every
// other format goes through io::open_model (summary_document.cpp). --timing writes the
// time spent opening the file, measured inside the process, to stderr for bench/load.sh.

#include "cli/commands.h"
#include "cli/shape_flag.h"
#include "cli/subcommands.h"
#include "cli/summary_document.h"
#include "io/module_document.h"
#include "io/open_model.h"
#include "workflows/default_models.h"
#include "workflows/dry_run.h"
#include "workflows/runnable_model.h"

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

std::int64_t depth_of(const std::string& path) {
    return path.empty() ? 0 : 1 + std::count(path.begin(), path.end(), '.');
}

Json to_json(const io::NativeModel& model, const io::ModelSummary& summary) {
    Json j;
    j["format"] = io::to_string(summary.format);
    Json modules = Json::array();
    for (const io::ModuleRow& m : summary.modules)
        modules.push_back(module_json(m));
    j["modules"] = std::move(modules);
    Json tensors = Json::array();
    for (const io::TensorRow& t : summary.tensors)
        tensors.push_back(tensor_json(t));
    j["tensors"] = std::move(tensors);
    const std::int64_t parameters = role_elements(summary, io::TensorRole::Parameter);
    j["totals"] = {{"parameters", parameters},
                   {"buffers", role_elements(summary, io::TensorRole::Buffer)},
                   {"unknown", role_elements(summary, io::TensorRole::Unknown)},
                   {"trainable", summary.trainable_parameters},
                   {"non_trainable", parameters - summary.trainable_parameters}};
    Json metadata = Json::object();
    for (const auto& [key, value] : model.metadata)
        metadata[key] = value;
    const std::string seed_key(io::seed_metadata_key);
    if (!metadata.contains(seed_key)) metadata[seed_key] = std::to_string(model.seed);
    j["metadata"] = std::move(metadata);
    return j;
}

std::string role_text(const io::TensorRow& t) {
    if (t.role != io::TensorRole::Parameter) return std::string(io::to_string(t.role));
    return t.requires_grad.value_or(true) ? "parameter" : "parameter (frozen)";
}

void print_text(std::ostream& out, const std::string& source, const io::NativeModel& model,
                const io::ModelSummary& summary) {
    out << "Model: " << source << " (nnscope native model, seed " << model.seed << ")\n\n";

    std::size_t width = 6;
    for (const io::ModuleRow& m : summary.modules)
        width = std::max(width, static_cast<std::size_t>(2 * depth_of(m.path)) +
                                    (m.path.empty() ? 6 : m.path.size()));
    width += 2;
    std::size_t type_width = 6;
    for (const io::ModuleRow& m : summary.modules)
        type_width = std::max(type_width, m.type.size());
    type_width += 2;
    out << std::left << std::setw(static_cast<int>(width)) << "Module"
        << std::setw(static_cast<int>(type_width)) << "Type" << std::right << std::setw(14)
        << "Parameters"
        << "  Arguments\n";
    for (const io::ModuleRow& m : summary.modules) {
        const std::string label = std::string(static_cast<std::size_t>(2 * depth_of(m.path)), ' ') +
                                  (m.path.empty() ? "(root)" : m.path);
        out << std::left << std::setw(static_cast<int>(width)) << label
            << std::setw(static_cast<int>(type_width)) << m.type << std::right << std::setw(14)
            << (m.total_parameters ? grouped(m.total_parameters) : "--") << "  " << m.arguments
            << "\n";
    }

    std::size_t name_width = 6, shape_width = 5;
    for (const io::TensorRow& t : summary.tensors) {
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
    for (const io::TensorRow& t : summary.tensors)
        out << std::left << std::setw(static_cast<int>(name_width)) << t.name << std::setw(20)
            << role_text(t) << std::setw(10) << t.dtype << std::setw(static_cast<int>(shape_width))
            << shape_to_string(t.shape) << std::right << std::setw(12) << grouped(t.numel) << "\n";

    const std::int64_t parameters = role_elements(summary, io::TensorRole::Parameter);
    out << "\nTotal parameters:      " << grouped(parameters) << "\n"
        << "Trainable parameters:  " << grouped(summary.trainable_parameters) << "\n"
        << "Non-trainable params:  " << grouped(parameters - summary.trainable_parameters) << "\n"
        << "Buffers (elements):    " << grouped(role_elements(summary, io::TensorRole::Buffer))
        << "\n";
    if (!model.initialised_keys.empty())
        out << "From seeded init:      " << model.initialised_keys.size() << " of "
            << model.initialised_keys.size() + model.loaded_keys.size()
            << " state_dict tensors (not stored in the file)\n";
}

int run(Args args) {
    const bool json = args.flag("json");
    const bool timing = args.flag("timing");
    const std::optional<std::string> dry = args.option("dry-run");
    const std::string file = args.positional("FILE (a model file, or mlp / cnn)");
    args.finish();
    if (dry) {
        const Shape shape = parse_shape_flag(*dry, "dry-run");
        workflows::RunnableModel model = workflows::open_runnable_model(file);
        const workflows::DryRun table = workflows::dry_run(*model.module, shape);
        std::cout << workflows::format_dry_run(table);
        return table.error ? 1 : 0;
    }

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
        const io::ModelSummary summary = io::summarize(io::module_document(model.module));
        if (json)
            std::cout << to_json(model, summary).dump() << "\n";
        else
            print_text(std::cout, file, model, summary);
    } else {
        const io::ModelDocument document = io::open_model(file);
        open_ms = Ms(Clock::now() - start).count();
        open_cpu_ms = cpu_ms();
        const io::ModelSummary summary = io::summarize(document);
        if (json)
            std::cout << document_json(summary).dump() << "\n";
        else
            print_document(std::cout, file, document, summary);
    }
    std::cout.flush();
    if (timing)
        std::cerr << "timing: open_ms=" << open_ms << " open_cpu_ms=" << open_cpu_ms
                  << " total_ms=" << Ms(Clock::now() - start).count()
                  << " total_cpu_ms=" << cpu_ms() << "\n";
    return 0;
}

} // namespace

const Command& summary_command() {
    static const Command command{
        "summary",
        "the module tree, every parameter and buffer, and the totals of a model file",
        {positional("FILE", "a model file: native nnscope (.safetensors with an architecture), "
                            "safetensors, PyTorch .pt/.pth/.bin (zip or legacy pickle), "
                            "TorchScript or ONNX; or mlp / cnn, the bundled models"),
         flag("json", "print one JSON object instead of tables: modules (type, whether it was "
                      "guessed and why, arguments, own and total parameter counts), tensors "
                      "(shape, dtype, role, whether the role was guessed), totals and metadata"),
         flag("timing", "write the time spent opening the file, measured inside the process, "
                        "to stderr (for bench/load.sh)"),
         value("dry-run", "SHAPE",
               "run the model once on zeros of SHAPE (batch first, e.g. 2,1,28,28) and print "
               "each module's input and output shapes, parameters, mult-adds and whether it "
               "trains, in torchinfo's style; exit 1 when the forward stops, with the reason")},
        "Files that record no module classes (a plain state_dict) get guessed types, marked '?' "
        "in the text and \"type_inferred\": true in the JSON; roles guessed from a tensor's name "
        "are marked '*' and \"role_inferred\": true.",
        run};
    return command;
}

} // namespace nnscope::cli
