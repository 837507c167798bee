#include "workflows/lab_presets.h"

namespace nnscope::workflows {

namespace {

data::DataLoaderConfig ranged(const std::string& dataset, std::int64_t batch_size,
                              std::int64_t epochs) {
    data::DataLoaderConfig c;
    c.dataset = dataset;
    c.batch_size = batch_size;
    c.epochs = epochs;
    return c;
}

LabPreset distributed_padding() {
    LabPreset p;
    p.name = "distributed-padding";
    p.title = "DistributedSampler padding skews validation";
    p.explanation =
        "DistributedSampler gives every rank the same number of samples: 10,000 samples on 3 "
        "ranks become 3,334 per rank, and the 2 missing ones are repeats of the first samples "
        "(padding), so a validation metric averaged over the ranks counts them twice "
        "(pytorch#25162). PyTorch 1.13 offers drop_last=True, which drops the tail instead "
        "(no sample twice, but up to num_replicas - 1 never seen), or validating on one rank "
        "with a plain sampler over the whole set; a data set size divisible by the number of "
        "ranks needs neither.";
    data::DistributedSamplerArgs d;
    d.num_replicas = 3;
    d.rank = 2; // the rank that gets the padding (index 1 again)
    d.shuffle = false;
    p.mistake = ranged("range:10000:mod=10", 100, 1);
    p.mistake.sampler = d;
    d.drop_last = true;
    p.fix = p.mistake;
    p.fix.sampler = d;
    p.tab = "Rank";
    return p;
}

LabPreset forgotten_set_epoch() {
    LabPreset p;
    p.name = "forgotten-set-epoch";
    p.title = "Forgetting set_epoch";
    p.explanation =
        "DistributedSampler shuffles with the seed plus the epoch it was given by "
        "sampler.set_epoch(epoch). A training loop that never calls set_epoch gets the same "
        "order in every epoch on every rank, as in A; B calls set_epoch(epoch) at the start of "
        "each epoch, as PyTorch's documentation asks.";
    data::DistributedSamplerArgs d;
    d.num_replicas = 2;
    d.rank = 0;
    d.shuffle = true;
    d.seed = 0;
    d.set_epoch = false;
    p.mistake = ranged("range:40:mod=4", 4, 3);
    p.mistake.sampler = d;
    d.set_epoch = true;
    p.fix = p.mistake;
    p.fix.sampler = d;
    p.tab = "Order";
    return p;
}

LabPreset unseeded_numpy() {
    LabPreset p;
    p.name = "numpy-per-worker";
    p.title = "numpy not reseeded per worker";
    p.explanation =
        "Each DataLoader worker seeds torch's generator with base_seed + worker id, and since "
        "PyTorch 1.9 numpy's global state too; but a numpy RandomState the data set made in the "
        "parent (self.rng = numpy.random.RandomState(0)) is copied into every forked worker as "
        "it is: every worker, and every epoch, draws the same \"random\" augmentations "
        "(pytorch#5059). A has no worker_init_fn; B reseeds numpy in each worker from "
        "torch.initial_seed() % 2**32, as PyTorch's documentation shows (a data set's own "
        "generator needs the same seed in its worker_init_fn).";
    p.mistake = ranged("range:64:mod=4", 4, 2);
    p.mistake.shuffle = true;
    p.mistake.generator_seed = 0;
    p.mistake.num_workers = 4;
    p.fix = p.mistake;
    p.fix.worker_init_fn = data::WorkerInitChoice::SeedNumpy;
    p.tab = "Worker";
    return p;
}

LabPreset weighted_repeats() {
    LabPreset p;
    p.name = "weighted-repeats";
    p.title = "WeightedRandomSampler repeats rare samples";
    p.explanation =
        "WeightedRandomSampler with class-balanced weights and replacement=True draws every class "
        "equally often, so the few samples of a rare class come back again and again in one "
        "epoch (here the 66 samples of class 3 about four times each) and the model sees little "
        "new data from it. B draws without replacement: no sample twice in an epoch, balanced "
        "classes only as long as the rare class lasts (num_samples four times its size). More "
        "data of the rare class, or augmenting it, is the other fix.";
    data::WeightedSamplerArgs w;
    w.replacement = true;
    p.mistake = ranged("range:1000:imbalanced=4", 20, 1);
    p.mistake.generator_seed = 0;
    p.mistake.sampler = w;
    w.replacement = false;
    w.num_samples = 264;
    p.fix = p.mistake;
    p.fix.sampler = w;
    p.tab = "Draw";
    return p;
}

LabPreset lost_tail() {
    LabPreset p;
    p.name = "drop-last";
    p.title = "drop_last loses the tail";
    p.explanation =
        "drop_last=True throws away the last incomplete batch of every epoch. Without shuffling "
        "it is the same samples each time: here 1,000 samples in batches of 64 leave the last 40 "
        "never seen (A). B keeps the smaller last batch; when a fixed batch size matters "
        "(batch norm, compiled shapes), shuffle so that a different tail is dropped each epoch.";
    p.mistake = ranged("range:1000:mod=10", 64, 2);
    p.mistake.drop_last = true;
    p.fix = p.mistake;
    p.fix.drop_last = false;
    p.tab = "Batch";
    return p;
}

} // namespace

const std::vector<LabPreset>& lab_presets() {
    static const std::vector<LabPreset> presets = {distributed_padding(), forgotten_set_epoch(),
                                                   unseeded_numpy(), weighted_repeats(),
                                                   lost_tail()};
    return presets;
}

const LabPreset* find_lab_preset(const std::string& name) {
    for (const auto& p : lab_presets())
        if (p.name == name) return &p;
    return nullptr;
}

} // namespace nnscope::workflows
