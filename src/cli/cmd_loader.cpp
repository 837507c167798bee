// nnscope-cli loader: parses the options into a data::DataLoaderConfig, runs it
// (workflows::LoaderSimulation) and prints the indices and labels of every batch, so that its
// order can be compared with PyTorch's. --seed S is DataLoader(generator=
// torch.Generator().manual_seed(S)); the random, subset-random and weighted samplers draw from
// that same generator. --batch-size 0 is batch_size=None.

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "workflows/loader_simulation.h"
#include "workflows/pytorch_script.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;

std::int64_t parse_int(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(what + " expects an integer, got '" + text + "'");
}

struct SamplerFlags {
    std::optional<std::string> name, num_samples, subset, weights;
    bool replacement = false, no_replacement = false, no_sampler_shuffle = false;
    long long replicas = 1, rank = 0, first_epoch = 0, sampler_seed = 0;
};

data::SamplerConfig sampler_config(const SamplerFlags& f, bool drop_last) {
    std::optional<std::int64_t> count;
    if (f.num_samples) count = parse_int(*f.num_samples, "--num-samples");
    if (!f.name) return std::monostate{};
    const std::string& s = *f.name;
    if (s == "sequential") return data::SequentialSamplerArgs{};
    if (s == "random") return data::RandomSamplerArgs{f.replacement, count};
    if (s == "subset-random") {
        data::SubsetRandomSamplerArgs a;
        if (f.subset) {
            const auto colon = f.subset->find(':');
            if (colon == std::string::npos) throw UsageError("--subset expects A:B");
            a.range = std::pair{parse_int(f.subset->substr(0, colon), "--subset"),
                                parse_int(f.subset->substr(colon + 1), "--subset")};
        }
        return a;
    }
    if (s == "weighted")
        return data::WeightedSamplerArgs{
            data::parse_sample_weights(f.weights.value_or("class-balanced")), count,
            !f.no_replacement};
    if (s == "distributed")
        return data::DistributedSamplerArgs{f.replicas,
                                            f.rank,
                                            !f.no_sampler_shuffle,
                                            static_cast<std::uint64_t>(f.sampler_seed),
                                            drop_last,
                                            f.first_epoch};
    throw UsageError("unknown --sampler '" + s +
                     "' (sequential, random, subset-random, weighted, distributed)");
}

int run(Args args) {
    data::DataLoaderConfig config;
    config.dataset = args.option_or("dataset", "");
    if (config.dataset.empty())
        throw UsageError("loader needs --dataset range:N|fashion-mnist|mnist:PATH|ag-news:PATH");
    const std::string split_name = args.option_or("split", "train");
    if (split_name != "train" && split_name != "test")
        throw UsageError("--split must be train or test, got '" + split_name + "'");
    config.test_split = split_name == "test";
    const long long batch_size = args.int_option_or("batch-size", 1);
    config.shuffle = args.flag("shuffle");
    SamplerFlags sampler;
    sampler.name = args.option("sampler");
    sampler.replacement = args.flag("replacement");       // random (default off)
    sampler.no_replacement = args.flag("no-replacement"); // weighted (default on)
    sampler.num_samples = args.option("num-samples");
    sampler.subset = args.option("subset");
    sampler.weights = args.option("weights");
    sampler.replicas = args.int_option_or("num-replicas", 1);
    sampler.rank = args.int_option_or("rank", 0);
    sampler.first_epoch = args.int_option_or("epoch", 0);
    sampler.sampler_seed = args.int_option_or("sampler-seed", 0);
    sampler.no_sampler_shuffle = args.flag("no-sampler-shuffle");
    config.drop_last = args.flag("drop-last");
    config.num_workers = static_cast<int>(args.int_option_or("num-workers", 0));
    const auto seed = args.option("seed");
    config.epochs = args.int_option_or("epochs", 1);
    const bool json = args.flag("json");
    const bool emit_pytorch = args.flag("emit-pytorch");
    args.finish();

    if (batch_size == 0)
        config.batch_size.reset();
    else
        config.batch_size = batch_size;
    if (seed) config.generator_seed = static_cast<std::uint64_t>(parse_int(*seed, "--seed"));
    config.sampler = sampler_config(sampler, config.drop_last);
    if (emit_pytorch) {
        std::cout << workflows::pytorch_script(config);
        return 0;
    }

    workflows::LoaderSimulation simulation(config);
    for (const auto& w : simulation.warnings())
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
                    {"per_class", classes}, {"warnings", s.warnings}};
    if (json)
        std::cout << Json{{"summary", summary}}.dump() << "\n";
    else
        std::cout << "summary: " << summary.dump() << "\n";
    return 0;
}

} // namespace

const Command& loader_command() {
    static const Command command{
        "loader",
        "the batches a DataLoader draws (indices and labels), in PyTorch's order",
        {value("dataset", "SPEC",
               "range:N (indices 0..N-1), fashion-mnist[:PATH], mnist:PATH or "
               "ag-news:PATH",
               true),
         value("split", "train|test", "which split (default train)"),
         value("batch-size", "N", "batch_size; 0 is batch_size=None (default 1)"),
         flag("shuffle", "shuffle=True"),
         value("sampler", "NAME",
               "sequential, random, subset-random, weighted or distributed "
               "(default: what shuffle implies)"),
         flag("replacement", "random sampler: replacement=True (default off)"),
         flag("no-replacement", "weighted sampler: replacement=False (default on)"),
         value("num-samples", "N", "random and weighted samplers: num_samples"),
         value("subset", "A:B", "subset-random sampler: the indices A..B-1"),
         value("weights", "W",
               "weighted sampler: class-balanced (default) or comma-separated "
               "weights"),
         value("num-replicas", "N", "distributed sampler: num_replicas (default 1)"),
         value("rank", "R", "distributed sampler: rank (default 0)"),
         value("epoch", "E",
               "distributed sampler: the first epoch passed to set_epoch "
               "(default 0)"),
         value("sampler-seed", "S", "distributed sampler: seed (default 0)"),
         flag("no-sampler-shuffle", "distributed sampler: shuffle=False"),
         flag("drop-last", "drop_last=True"),
         value("num-workers", "N", "num_workers (default 0)"),
         value("seed", "S",
               "generator=torch.Generator().manual_seed(S); the random, "
               "subset-random and weighted samplers draw from it"),
         value("epochs", "N", "epochs to draw (default 1)"),
         flag("json", "print one JSON object per batch and one for the summary"),
         flag("emit-pytorch",
              "print a PyTorch 1.13 script that builds this DataLoader and prints the "
              "--json lines, instead of running it")},
        "Warnings PyTorch would give go to stderr; the last line sums the batches up (samples, "
        "duplicates, samples per class).",
        run};
    return command;
}

} // namespace nnscope::cli
