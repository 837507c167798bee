#include "cli/loader_flags.h"

#include "data/loader_config_json.h"

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

std::vector<Option> loader_options(LoaderDialect dialect) {
    const bool train = dialect == LoaderDialect::Train;
    std::vector<Option> options;
    if (train)
        options.push_back(
            value("dataset", "SPEC", "fashion-mnist[:PATH], mnist:PATH or ag-news:PATH", true));
    else
        options.insert(
            options.end(),
            {value("dataset", "SPEC",
                   "range:N (indices 0..N-1), fashion-mnist[:PATH], mnist:PATH or ag-news:PATH",
                   true),
             value("split", "train|test", "which split (default train)")});
    options.insert(
        options.end(),
        {value("subset-indices", "I,J,...",
               "read Subset(dataset, [I, J, ...]) instead of the whole data set"),
         value("subset-range", "A:B", "read Subset(dataset, range(A, B))"),
         value("random-split", "LENGTHS[:SEED[:PART]]",
               "read random_split(dataset, [LENGTHS], generator=torch.Generator()."
               "manual_seed(SEED))[PART]; LENGTHS comma-separated counts, or fractions summing "
               "to 1 (SEED and PART default to 0)")});
    if (train)
        options.insert(options.end(),
                       {value("batch-size", "N", "batch size (default 64; 1 with --batch-sampler)"),
                        flag("no-shuffle", "shuffle=False (shuffled by default, unless a "
                                           "--sampler or --batch-sampler is given)")});
    else
        options.insert(options.end(),
                       {value("batch-size", "N", "batch_size; 0 is batch_size=None (default 1)"),
                        flag("shuffle", "shuffle=True")});
    options.insert(
        options.end(),
        {value("sampler", "NAME",
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
         flag("no-set-epoch",
              "distributed sampler: set_epoch is not called after the first epoch (the "
              "mistake: every epoch shuffles the same way)"),
         value("batch-sampler", "N[:drop_last]",
               "batch_sampler=BatchSampler(sampler, N, drop_last) over the sampler above "
               "(sequential without one); --batch-size must then stay 1"),
         flag("drop-last", "drop_last=True"),
         value("num-workers", "N", "num_workers (default 0)")});
    if (!train)
        options.push_back(
            value("collate", "NAME",
                  "collate_fn: default, or for ag-news padding (a padded token matrix) or offsets "
                  "(EmbeddingBag text + offsets)"));
    options.insert(
        options.end(),
        {flag("pin-memory", "pin_memory=True (no effect on the CPU: a warning says so)"),
         value("timeout", "S", "timeout in seconds for a worker's batch (default 0: no limit)"),
         value("worker-init-fn", "NAME",
               "worker_init_fn: none (default) or seed-numpy (numpy.random.seed("
               "torch.initial_seed() % 2**32) in each worker; changes no batch)")});
    if (train)
        options.push_back(value("loader-seed", "S",
                                "DataLoader(generator=torch.Generator().manual_seed(S)); without "
                                "it the loader draws from the default generator after --seed"));
    else
        options.push_back(value("seed", "S",
                                "generator=torch.Generator().manual_seed(S); the random, "
                                "subset-random and weighted samplers draw from it"));
    options.insert(
        options.end(),
        {value("prefetch-factor", "N", "prefetch_factor (default 2; needs --num-workers)"),
         flag("persistent-workers", "persistent_workers=True (needs --num-workers)"),
         train ? value("transform", "PIPELINE",
                       "a torchvision pipeline applied to each training image as it loads, e.g. "
                       "\"Compose([RandomCrop(28, padding=4), RandomHorizontalFlip()])\"; seeded "
                       "per worker as PyTorch seeds workers")
               : value("transform", "PIPELINE",
                       "the torchvision transform of image samples, e.g. 'Compose([RandomCrop(28, "
                       "padding=4), ToTensor()])'"),
         value("epochs", "N", train ? "epochs (default 1)" : "epochs to draw (default 1)")});
    return options;
}

std::vector<std::string_view> loader_config_options(LoaderDialect dialect) {
    std::vector<std::string_view> names;
    for (const Option& o : loader_options(dialect))
        names.push_back(o.name);
    return names;
}

data::DataLoaderConfig loader_config_from_options(Args& args, LoaderDialect dialect,
                                                  const data::DataLoaderConfig& defaults) {
    const bool train = dialect == LoaderDialect::Train;
    data::DataLoaderConfig config = defaults;
    config.dataset = args.option_or("dataset", "");
    if (config.dataset.empty())
        throw UsageError(train ? "train needs --dataset fashion-mnist|mnist:PATH|ag-news:PATH "
                                 "(or --config FILE.json)"
                               : "loader needs --dataset range:N|fashion-mnist|mnist:PATH|"
                                 "ag-news:PATH (or --config FILE.json)");
    if (!train) {
        const std::string split_name = args.option_or("split", "train");
        if (split_name != "train" && split_name != "test")
            throw UsageError("--split must be train or test, got '" + split_name + "'");
        config.test_split = split_name == "test";
    }
    config.part = part_config(args);
    const long long batch_size = args.int_option_or("batch-size", defaults.batch_size.value_or(0));
    if (batch_size == 0 && !train)
        config.batch_size.reset();
    else
        config.batch_size = batch_size;
    config.shuffle = train ? defaults.shuffle && !args.flag("no-shuffle") : args.flag("shuffle");
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
    if (!train) config.collate_fn = collate_config(args.option_or("collate", "default"));
    config.pin_memory = args.flag("pin-memory");
    config.timeout = args.double_option_or("timeout", 0);
    config.worker_init_fn = worker_init_config(args.option_or("worker-init-fn", "none"));
    const std::string seed_option = train ? "loader-seed" : "seed";
    if (const auto seed = args.option(seed_option))
        config.generator_seed = static_cast<std::uint64_t>(parse_int(*seed, "--" + seed_option));
    config.prefetch_factor = static_cast<int>(args.int_option_or("prefetch-factor", 2));
    config.persistent_workers = args.flag("persistent-workers");
    config.transform = args.option_or("transform", "");
    config.epochs = args.int_option_or("epochs", 1);
    return config;
}

std::string loader_option_of(std::string_view field, LoaderDialect dialect) {
    if (field == "generator" && dialect == LoaderDialect::Train) return "--loader-seed";
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
                                 const std::optional<std::string>& config_file,
                                 LoaderDialect dialect) {
    using data::ConfigError;
    if (config_file)
        return ConfigError(e.field(),
                           ConfigError::literal(*config_file + ": " + e.field() + ": " + e.what()),
                           e.kind());
    // A {name} in the message is a field next to the error's own.
    const std::string_view field = e.field();
    const auto dot = field.rfind('.');
    const std::string parent(dot == std::string_view::npos ? "" : field.substr(0, dot + 1));
    const std::string option = loader_option_of(field, dialect);
    std::string text = e.message([&](std::string_view name) {
        return field.substr(parent.size()) == name
                   ? option
                   : loader_option_of(parent + std::string(name), dialect);
    });
    if (text.find(option) == std::string::npos) text = option + ": " + text;
    return ConfigError(e.field(), ConfigError::literal(text), e.kind());
}

} // namespace nnscope::cli
