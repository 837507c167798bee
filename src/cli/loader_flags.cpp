#include "cli/loader_flags.h"

#include "data/loader_config_json.h"

#include <fstream>
#include <sstream>

namespace nnscope::cli {

namespace {

std::int64_t parse_int(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(what + " expects an integer, got '" + text + "'");
}

double parse_number(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(what + " expects a number, got '" + text + "'");
}

std::vector<std::string> split(const std::string& text, char at) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, at);)
        items.push_back(item);
    if (!text.empty() && text.back() == at) items.emplace_back();
    return items;
}

std::pair<std::int64_t, std::int64_t> parse_range(const std::string& text,
                                                  const std::string& what) {
    const auto ends = split(text, ':');
    if (ends.size() != 2) throw UsageError(what + " expects A:B, got '" + text + "'");
    return {parse_int(ends[0], what), parse_int(ends[1], what)};
}

struct SamplerFlags {
    std::optional<std::string> name, num_samples, subset, weights;
    bool replacement = false, no_replacement = false, no_sampler_shuffle = false,
         no_set_epoch = false;
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
        if (f.subset) a.range = parse_range(*f.subset, "--subset");
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
                                            f.first_epoch,
                                            !f.no_set_epoch};
    throw UsageError("unknown --sampler '" + s +
                     "' (sequential, random, subset-random, weighted, distributed)");
}

// --subset-indices I,J,K, --subset-range A:B or --random-split LENGTHS[:SEED[:PART]].
data::DatasetPart part_config(Args& args) {
    const auto indices = args.option("subset-indices");
    const auto range = args.option("subset-range");
    const auto random = args.option("random-split");
    if (random && (indices || range))
        throw UsageError("--random-split cannot be given with --subset-indices or --subset-range");
    if (random) {
        const auto fields = split(*random, ':');
        if (fields.empty() || fields.size() > 3)
            throw UsageError("--random-split expects LENGTHS[:SEED[:PART]], got '" + *random + "'");
        data::RandomSplitArgs a;
        for (const auto& length : split(fields[0], ','))
            a.lengths.push_back(parse_number(length, "--random-split"));
        if (fields.size() > 1)
            a.seed = static_cast<std::uint64_t>(parse_int(fields[1], "--random-split SEED"));
        if (fields.size() > 2) a.part = parse_int(fields[2], "--random-split PART");
        return a;
    }
    if (!indices && !range) return std::monostate{};
    data::SubsetArgs a;
    if (indices) {
        a.indices.emplace();
        for (const auto& i : split(*indices, ','))
            a.indices->push_back(parse_int(i, "--subset-indices"));
    }
    if (range) a.range = parse_range(*range, "--subset-range");
    return a;
}

std::optional<data::BatchSamplerArgs> batch_sampler_config(Args& args) {
    const auto text = args.option("batch-sampler");
    if (!text) return std::nullopt;
    const auto fields = split(*text, ':');
    if (fields.empty() || fields.size() > 2 || (fields.size() == 2 && fields[1] != "drop_last"))
        throw UsageError("--batch-sampler expects N or N:drop_last, got '" + *text + "'");
    return data::BatchSamplerArgs{parse_int(fields[0], "--batch-sampler"), fields.size() == 2};
}

data::CollateChoice collate_config(const std::string& name) {
    if (name == "default") return data::CollateChoice::Default;
    if (name == "padding") return data::CollateChoice::Padding;
    if (name == "offsets") return data::CollateChoice::Offsets;
    throw UsageError("--collate expects default, padding or offsets, got '" + name + "'");
}

data::WorkerInitChoice worker_init_config(const std::string& name) {
    if (name == "none") return data::WorkerInitChoice::None;
    if (name == "seed-numpy") return data::WorkerInitChoice::SeedNumpy;
    throw UsageError("--worker-init-fn expects none or seed-numpy, got '" + name + "'");
}

} // namespace

const std::vector<std::string_view>& loader_config_options() {
    static const std::vector<std::string_view> names = {"dataset",
                                                        "split",
                                                        "subset-indices",
                                                        "subset-range",
                                                        "random-split",
                                                        "batch-size",
                                                        "shuffle",
                                                        "sampler",
                                                        "replacement",
                                                        "no-replacement",
                                                        "num-samples",
                                                        "subset",
                                                        "weights",
                                                        "num-replicas",
                                                        "rank",
                                                        "epoch",
                                                        "sampler-seed",
                                                        "no-sampler-shuffle",
                                                        "no-set-epoch",
                                                        "batch-sampler",
                                                        "drop-last",
                                                        "num-workers",
                                                        "collate",
                                                        "pin-memory",
                                                        "timeout",
                                                        "worker-init-fn",
                                                        "seed",
                                                        "prefetch-factor",
                                                        "persistent-workers",
                                                        "transform",
                                                        "epochs"};
    return names;
}

data::DataLoaderConfig loader_config_from_options(Args& args) {
    data::DataLoaderConfig config;
    config.dataset = args.option_or("dataset", "");
    if (config.dataset.empty())
        throw UsageError("loader needs --dataset range:N|fashion-mnist|mnist:PATH|ag-news:PATH "
                         "(or --config FILE.json)");
    const std::string split_name = args.option_or("split", "train");
    if (split_name != "train" && split_name != "test")
        throw UsageError("--split must be train or test, got '" + split_name + "'");
    config.test_split = split_name == "test";
    config.part = part_config(args);
    const long long batch_size = args.int_option_or("batch-size", 1);
    if (batch_size == 0)
        config.batch_size.reset();
    else
        config.batch_size = batch_size;
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
    sampler.no_set_epoch = args.flag("no-set-epoch");
    config.batch_sampler = batch_sampler_config(args);
    config.drop_last = args.flag("drop-last");
    config.sampler = sampler_config(sampler, config.drop_last);
    config.num_workers = static_cast<int>(args.int_option_or("num-workers", 0));
    config.collate_fn = collate_config(args.option_or("collate", "default"));
    config.pin_memory = args.flag("pin-memory");
    config.timeout = args.double_option_or("timeout", 0);
    config.worker_init_fn = worker_init_config(args.option_or("worker-init-fn", "none"));
    if (const auto seed = args.option("seed"))
        config.generator_seed = static_cast<std::uint64_t>(parse_int(*seed, "--seed"));
    config.prefetch_factor = static_cast<int>(args.int_option_or("prefetch-factor", 2));
    config.persistent_workers = args.flag("persistent-workers");
    config.transform = args.option_or("transform", "");
    config.epochs = args.int_option_or("epochs", 1);
    return config;
}

data::DataLoaderConfig loader_config_from_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw data::ConfigError(
            "config", data::ConfigError::literal(std::string("not valid JSON: ") + e.what()));
    }
    return data::loader_config_from_json(j);
}

std::string loader_option_of(std::string_view field) {
    // Fields whose option is not their own name; a prefix stands for the fields under it.
    static const std::pair<std::string_view, std::string_view> renamed[] = {
        {"subset.indices", "subset-indices"},
        {"subset.range", "subset-range"},
        {"subset.random_split", "random-split"},
        {"batch_sampler", "batch-sampler"},
        {"sampler.kind", "sampler"},
        {"sampler.indices", "subset"},
        {"sampler.range", "subset"},
        {"sampler.seed", "sampler-seed"},
        {"sampler.shuffle", "no-sampler-shuffle"},
        {"sampler.set_epoch", "no-set-epoch"},
        {"generator", "seed"},
        {"collate_fn", "collate"}};
    for (const auto& [prefix, option] : renamed)
        if (field.starts_with(prefix) &&
            (field.size() == prefix.size() || field[prefix.size()] == '.'))
            return "--" + std::string(option);
    std::string name(field.substr(field.rfind('.') + 1));
    for (char& c : name)
        if (c == '_') c = '-';
    return "--" + name;
}

data::ConfigError named_for_user(const data::ConfigError& e,
                                 const std::optional<std::string>& config_file) {
    using data::ConfigError;
    if (config_file)
        return ConfigError(e.field(),
                           ConfigError::literal(*config_file + ": " + e.field() + ": " + e.what()),
                           e.kind());
    // A {name} in the message is a field next to the error's own.
    const std::string_view field = e.field();
    const auto dot = field.rfind('.');
    const std::string parent(dot == std::string_view::npos ? "" : field.substr(0, dot + 1));
    const std::string option = loader_option_of(field);
    std::string text = e.message([&](std::string_view name) {
        return field.substr(parent.size()) == name ? option
                                                   : loader_option_of(parent + std::string(name));
    });
    if (text.find(option) == std::string::npos) text = option + ": " + text;
    return ConfigError(e.field(), ConfigError::literal(text), e.kind());
}

} // namespace nnscope::cli
