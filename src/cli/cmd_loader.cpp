// nnscope-cli loader: parses the options into a data::DataLoaderConfig, runs it
// (workflows::LoaderSimulation) and prints the indices and labels of every batch, so that its
// order can be compared with PyTorch's. --seed S is DataLoader(generator=
// torch.Generator().manual_seed(S)); the random, subset-random and weighted samplers draw from
// that same generator. --batch-size 0 is batch_size=None. The options become the configuration in
// loader_flags.cpp; --config FILE.json reads it instead and --save-config writes it.

#include "cli/commands.h"
#include "cli/loader_flags.h"
#include "cli/subcommands.h"
#include "data/loader_config_json.h"
#include "io/atomic_file.h"
#include "workflows/loader_simulation.h"
#include "workflows/pytorch_script.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;

// The loader's configuration options, then `rest`.
std::vector<Option> with_loader_options(std::vector<Option> rest) {
    std::vector<Option> options = loader_options(LoaderDialect::Loader);
    options.insert(options.end(), rest.begin(), rest.end());
    return options;
}

// The configuration of --config FILE or of the options; --config refuses them.
data::DataLoaderConfig loader_config(Args& args, const std::optional<std::string>& file) {
    if (!file) return loader_config_from_options(args);
    for (const auto name : loader_config_options())
        if (args.given(name))
            throw UsageError("--config " + *file + " gives the whole configuration: --" +
                             std::string(name) +
                             " cannot be given with it (edit the file, or "
                             "give every option without --config)");
    return data::loader_config_from_file(*file);
}

void save(const data::DataLoaderConfig& config, const std::string& path) {
    io::write_file_atomically(path, data::loader_config_to_json(config).dump(2) + "\n");
}

int run_loader(Args& args, const std::optional<std::string>& config_file) {
    const data::DataLoaderConfig config = loader_config(args, config_file);
    const auto save_config = args.option("save-config");
    const bool json = args.flag("json");
    const bool emit_pytorch = args.flag("emit-pytorch");
    args.finish();

    if (emit_pytorch) {
        const std::string script = workflows::pytorch_script(config); // checks the data set
        if (save_config) save(config, *save_config);
        std::cout << script;
        return 0;
    }
    workflows::LoaderSimulation simulation(config); // every check made: now save it
    if (save_config) save(config, *save_config);
    std::vector<std::string> warnings = simulation.loader().warnings; // the data set's part
    warnings.insert(warnings.end(), simulation.warnings().begin(), simulation.warnings().end());
    for (const auto& w : warnings)
        std::cerr << "warning: " << w << "\n";
    simulation.on_batch = [json](const workflows::LoaderBatch& b) {
        if (json)
            std::cout << Json{{"epoch", b.epoch},
                              {"batch", b.batch},
                              {"indices", b.indices},
                              {"labels", b.labels}}
                             .dump()
                      << "\n";
        else
            std::cout << "epoch " << b.epoch << " batch " << b.batch << ": indices "
                      << Json(b.indices).dump() << " labels " << Json(b.labels).dump() << "\n";
    };
    const workflows::LoaderSummary s = simulation.run();

    Json classes = Json::object();
    for (const auto& [label, n] : s.per_class)
        classes[std::to_string(label)] = n;
    Json summary = {{"dataset", s.dataset}, {"dataset_size", s.dataset_size},
                    {"epochs", s.epochs},   {"batches", s.batches},
                    {"samples", s.samples}, {"duplicates", s.duplicates},
                    {"per_class", classes}, {"warnings", warnings}};
    if (json)
        std::cout << Json{{"summary", summary}}.dump() << "\n";
    else
        std::cout << "summary: " << summary.dump() << "\n";
    return 0;
}

int run(Args args) {
    const auto config_file = args.option("config");
    try {
        return run_loader(args, config_file);
    } catch (const data::ConfigError& e) {
        throw named_for_user(e, config_file);
    }
}

} // namespace

const Command& loader_command() {
    static const Command command{
        "loader", "the batches a DataLoader draws (indices and labels), in PyTorch's order",
        with_loader_options(
            {value("config", "FILE.json",
                   "the whole configuration from a JSON file (the form --save-config writes); the "
                   "options above are refused with it"),
             value("save-config", "FILE.json",
                   "write the configuration as JSON (after checking it), then draw as usual"),
             flag("json", "print one JSON object per batch and one for the summary"),
             flag("emit-pytorch",
                  "print a PyTorch 1.13 script that builds this DataLoader and prints the "
                  "--json lines, instead of running it")}),
        "Warnings PyTorch would give go to stderr; the last line sums the batches up (samples, "
        "duplicates, samples per class). An error names the option it is about (or, with "
        "--config, the file and the JSON field).",
        run};
    return command;
}

} // namespace nnscope::cli
