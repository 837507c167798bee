// The sampler half of the emitted script: the loader's generator, the configured sampler with its
// arguments (weights computed as nnscope resolves them) and the BatchSampler over it.

#include "workflows/pytorch_script_writer.h"

namespace nnscope::workflows::pyscript {

namespace {

const char* const labels_of_function = R"(def labels_of(data):
    """The label of every sample of `data`, without loading a sample."""
    if isinstance(data, Subset):
        labels = labels_of(data.dataset)
        return [labels[i] for i in data.indices]
    return data.targets)";

std::string generator_argument(const data::DataLoaderConfig& c) {
    return c.generator_seed ? ", generator=generator" : "";
}

std::string count_or_length(const std::optional<std::int64_t>& n) {
    return n ? std::to_string(*n) : "len(dataset)";
}

// `weights`, one per sample, as data::resolve_sample_weights makes them.
void write_weights(const data::SampleWeights& w, std::int64_t size, Script& s) {
    using Kind = data::SampleWeights::Kind;
    const bool per_sample =
        w.kind == Kind::PerSample ||
        (w.kind == Kind::Listed && static_cast<std::int64_t>(w.values.size()) == size);
    if (w.kind != Kind::ClassBalanced && per_sample) {
        s.body += "weights = " + numbers(w.values) + "\n";
        return;
    }
    s.data_names.insert("Subset");
    s.helper(labels_of_function);
    if (w.kind == Kind::ClassBalanced) {
        s.modules.insert("collections");
        s.body += "# class-balanced: each sample weighs 1 / (the number of samples of its class)\n"
                  "targets = labels_of(dataset)\n"
                  "class_counts = collections.Counter(targets)\n"
                  "weights = [1.0 / class_counts[y] for y in targets]\n";
        return;
    }
    s.body += "class_weights = " + numbers(w.values) + "  # one per class\n" +
              "weights = [class_weights[y] for y in labels_of(dataset)]\n";
}

struct WriteSampler {
    const data::DataLoaderConfig& c;
    std::int64_t size;
    Script& s;

    bool operator()(std::monostate) const { return false; }
    bool operator()(const data::SequentialSamplerArgs&) const {
        s.data_names.insert("SequentialSampler");
        s.body += "sampler = SequentialSampler(dataset)\n";
        return true;
    }
    bool operator()(const data::RandomSamplerArgs& a) const {
        s.data_names.insert("RandomSampler");
        s.body += "sampler = RandomSampler(\n    dataset, replacement=" + boolean(a.replacement) +
                  (a.num_samples ? ", num_samples=" + std::to_string(*a.num_samples) : "") +
                  generator_argument(c) + "\n)\n";
        return true;
    }
    bool operator()(const data::SubsetRandomSamplerArgs& a) const {
        s.data_names.insert("SubsetRandomSampler");
        s.body += "sampler = SubsetRandomSampler(" + indices(a.indices, a.range) +
                  generator_argument(c) + ")\n";
        return true;
    }
    bool operator()(const data::WeightedSamplerArgs& a) const {
        s.data_names.insert("WeightedRandomSampler");
        write_weights(a.weights, size, s);
        if (a.replacement)
            s.body += "# replacement=True: a heavy sample may be drawn again and again\n";
        s.body += "sampler = WeightedRandomSampler(\n    weights, num_samples=" +
                  count_or_length(a.num_samples) + ", replacement=" + boolean(a.replacement) +
                  generator_argument(c) + "\n)\n";
        return true;
    }
    bool operator()(const data::DistributedSamplerArgs& a) const {
        s.data_names.insert("DistributedSampler");
        s.body +=
            "# this process is rank " + std::to_string(a.rank) + " of " +
            std::to_string(a.num_replicas) +
            (a.drop_last ? "; drop_last=True cuts the tail that does not split evenly\n"
                         : "; without drop_last the ranks are padded\n# with repeated samples "
                           "to the same length\n");
        s.body += "sampler = DistributedSampler(\n    dataset,\n    num_replicas=" +
                  std::to_string(a.num_replicas) + ",\n    rank=" + std::to_string(a.rank) +
                  ",\n    shuffle=" + boolean(a.shuffle) + ",\n    seed=" + std::to_string(a.seed) +
                  ",\n    drop_last=" + boolean(a.drop_last) + ",\n)\n";
        return true;
    }
};

} // namespace

std::vector<std::string> write_sampler(const data::DataLoaderConfig& c,
                                       const data::BuiltLoader& built, Script& s) {
    if (c.generator_seed)
        s.body += "# the loader's generator: the sampler draws its order from it, and each "
                  "iter()\n# the workers' base seed\ngenerator = torch.Generator().manual_seed(" +
                  std::to_string(*c.generator_seed) + ")\n";
    const bool has_sampler = std::visit(WriteSampler{c, built.dataset->size(), s}, c.sampler);
    if (!c.batch_sampler)
        return has_sampler ? std::vector<std::string>{"sampler=sampler"}
                           : std::vector<std::string>{};
    s.data_names.insert("BatchSampler");
    if (!has_sampler) {
        s.data_names.insert("SequentialSampler");
        s.body += "sampler = SequentialSampler(dataset)\n";
    }
    s.body += "batch_sampler = BatchSampler(sampler, batch_size=" +
              std::to_string(c.batch_sampler->batch_size) +
              ", drop_last=" + boolean(c.batch_sampler->drop_last) + ")\n";
    return {"batch_sampler=batch_sampler"};
}

} // namespace nnscope::workflows::pyscript
