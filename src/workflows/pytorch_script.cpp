#include "workflows/pytorch_script.h"

#include "data/config_error.h"
#include "engine/generator.h"
#include "workflows/dataset_cache.h"
#include "workflows/pytorch_script_writer.h"

namespace nnscope::workflows {

namespace {

using namespace pyscript;

const char* const as_list_function = R"(def as_list(x):
    """A collated tensor as a list; one sample's int (batch_size=None) as a list of one."""
    return x.tolist() if torch.is_tensor(x) else [x])";

const char* const dump_function = R"(def dump(line):
    """One JSON line as nlohmann's dump() writes it: no spaces."""
    print(json.dumps(line, separators=(",", ":"), ensure_ascii=False)))";

const char* const seed_numpy_function = R"(def seed_numpy(worker_id):
    """numpy's global RandomState is copied into every worker as it is, so each worker would draw
    the same numbers: reseed it from the seed torch gave this worker (base_seed + worker_id)."""
    numpy.random.seed(torch.initial_seed() % 2**32))";

// DataLoader's keyword arguments that differ from its defaults (batch_size always, unless a
// batch_sampler stands for it).
std::vector<std::string> loader_arguments(const data::DataLoaderConfig& c, Script& s) {
    std::vector<std::string> args;
    if (!c.batch_sampler)
        args.push_back("batch_size=" + (c.batch_size ? std::to_string(*c.batch_size) : "None"));
    if (c.shuffle) args.push_back("shuffle=True");
    if (c.drop_last) args.push_back("drop_last=True");
    if (c.num_workers > 0) args.push_back("num_workers=" + std::to_string(c.num_workers));
    if (c.pin_memory) args.push_back("pin_memory=True");
    if (c.timeout > 0) args.push_back("timeout=" + number(c.timeout));
    if (c.worker_init_fn == data::WorkerInitChoice::SeedNumpy) {
        s.modules.insert("numpy");
        s.helper(seed_numpy_function);
        args.push_back("worker_init_fn=seed_numpy");
    }
    if (c.generator_seed) args.push_back("generator=generator");
    if (c.prefetch_factor != 2)
        args.push_back("prefetch_factor=" + std::to_string(c.prefetch_factor));
    if (c.persistent_workers) args.push_back("persistent_workers=True");
    return args;
}

// Whether anything draws from torch's default generator: the sampler and the workers' base
// seed without a loader generator, a transform in the main process.
bool uses_default_generator(const data::DataLoaderConfig& c) {
    return !c.generator_seed || (!c.transform.empty() && c.num_workers == 0);
}

std::string imports(const Script& s) {
    std::string out;
    for (const auto& m : s.modules)
        if (m != "numpy") out += "import " + m + "\n";
    out += "import warnings\n\n";
    if (s.modules.count("numpy")) out += "import numpy\n";
    out += "import torch\n";
    if (s.torchvision) out += "from torchvision import transforms as T\n";
    out += "from torch.utils.data import ";
    bool first = true;
    for (const auto& name : s.data_names) {
        out += (first ? "" : ", ") + name;
        first = false;
    }
    return out + "\n";
}

std::string loop(const data::DataLoaderConfig& c, const DatasetCode& d,
                 const std::vector<std::string>& args) {
    std::string out = "batches = samples = duplicates = 0\nper_class = {}\n"
                      "with warnings.catch_warnings(record=True) as caught:\n"
                      "    warnings.simplefilter(\"always\")\n"
                      "    loader = DataLoader(\n        " +
                      d.loader_input + ",\n";
    for (const auto& a : args)
        out += "        " + a + ",\n";
    out += "    )\n    for epoch in range(" + std::to_string(c.epochs) + "):\n";
    if (const auto* dist = std::get_if<data::DistributedSamplerArgs>(&c.sampler)) {
        if (dist->set_epoch)
            out += "        # set_epoch: without it every epoch shuffles the same way\n"
                   "        sampler.set_epoch(" +
                   (dist->epoch ? std::to_string(dist->epoch) + " + epoch" : std::string("epoch")) +
                   ")\n";
        else if (dist->epoch)
            out += "        # set_epoch is called with the same value every epoch, as a loop that\n"
                   "        # forgets it: every epoch shuffles the same way\n"
                   "        sampler.set_epoch(" +
                   std::to_string(dist->epoch) + ")\n";
        else
            out += "        # set_epoch is never called: every epoch shuffles the same way\n";
    }
    out += "        seen = set()  # this epoch's indices: drawing one again is a duplicate\n"
           "        for batch_index, batch in enumerate(loader):\n"
           "            " +
           d.unpack_batch +
           "\n"
           "            dump({\"epoch\": epoch, \"batch\": batch_index, \"indices\": indices, "
           "\"labels\": labels})\n"
           "            for i in indices:\n"
           "                duplicates += i in seen\n"
           "                seen.add(i)\n"
           "            for y in labels:\n"
           "                per_class[y] = per_class.get(y, 0) + 1\n"
           "            samples += len(indices)\n"
           "            batches += 1\n";
    return out;
}

std::string summary(const data::DataLoaderConfig& c) {
    return "dump(\n    {\n        \"summary\": {\n"
           "            \"dataset\": getattr(dataset, \"name\", type(dataset).__name__),\n"
           "            \"dataset_size\": len(dataset),\n"
           "            \"epochs\": " +
           std::to_string(c.epochs) +
           ",\n"
           "            \"batches\": batches,\n"
           "            \"samples\": samples,\n"
           "            \"duplicates\": duplicates,\n"
           "            \"per_class\": {str(y): n for y, n in sorted(per_class.items())},\n"
           "            \"warnings\": list(dict.fromkeys(str(w.message) for w in caught)),\n"
           "        }\n    }\n)\n";
}

} // namespace

std::string pytorch_script(const data::DataLoaderConfig& config) {
    if (config.collate_fn != data::CollateChoice::Default)
        throw data::ConfigError("collate_fn", "--emit-pytorch writes the default collate_fn only, "
                                              "not {collate_fn} " +
                                                  data::collate_choice_name(config.collate_fn));
    Generator own; // building may draw (a random_split): never from the caller's generator
    const data::BuiltLoader built = build_fresh_loader(config, own, DatasetSource::Cached);
    Script s;
    s.modules.insert("json");
    s.data_names.insert({"DataLoader", "Dataset"});
    if (uses_default_generator(config))
        s.body += "# nnscope's default generator starts from torch's default seed: seed torch's "
                  "the same way, so\n# that what is drawn without the loader's generator (the "
                  "order, the workers' base seed,\n# transforms in the main process) matches\n"
                  "torch.manual_seed(" +
                  std::to_string(Generator::default_seed) + ")\n";
    const DatasetCode dataset = write_dataset(config, s);
    const std::vector<std::string> sampler_args = write_sampler(config, built, s);
    std::vector<std::string> args = sampler_args;
    for (auto& a : loader_arguments(config, s))
        args.push_back(std::move(a));
    s.helper(as_list_function);
    s.helper(dump_function);

    std::string out = "# A torch.utils.data.DataLoader as nnscope configures it, for PyTorch 1.13 "
                      "and torchvision 0.14:\n# it prints one JSON line per batch and a summary, "
                      "the lines `nnscope-cli loader --json` prints.\n";
    out += imports(s) + "\n";
    for (const auto& h : s.helpers)
        out += "\n" + h + "\n\n";
    out += "\n" + s.body + "\n" + loop(config, dataset, args) + summary(config);
    return out;
}

} // namespace nnscope::workflows
