// nnscope-cli loader: runs a torch.utils.data-style DataLoader over a data set and prints the
// indices and labels of every batch, so that its order can be compared with PyTorch's.
// --seed S is DataLoader(generator=torch.Generator().manual_seed(S)); the random, subset-random
// and weighted samplers draw from that same generator. --batch-size 0 is batch_size=None.

#include "cli/commands.h"
#include "cli/dataset_spec.h"
#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "data/distributed_sampler.h"
#include "data/mnist.h"
#include "data/random_sampler.h"
#include "data/sequential_sampler.h"
#include "data/subset_random_sampler.h"
#include "data/text/ag_news.h"
#include "data/weighted_random_sampler.h"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;
using namespace nnscope::data;

std::int64_t parse_int(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(what + " expects an integer, got '" + text + "'");
}

// --weights class-balanced (1 / count of the sample's class), one weight per sample, or one
// per class of a labelled data set.
std::vector<double> sample_weights(const std::string& spec, const Dataset& d) {
    const std::int64_t n = d.size();
    auto label_of = [&](std::int64_t i) {
        const auto l = d.label(i);
        if (!l) throw UsageError("--weights per class needs a data set with labels");
        return *l;
    };
    std::vector<double> w;
    if (spec == "class-balanced") {
        std::map<std::int64_t, std::int64_t> counts;
        for (std::int64_t i = 0; i < n; ++i)
            ++counts[label_of(i)];
        for (std::int64_t i = 0; i < n; ++i)
            w.push_back(1.0 / static_cast<double>(counts[label_of(i)]));
        return w;
    }
    std::vector<double> given;
    std::stringstream in(spec);
    for (std::string item; std::getline(in, item, ',');) {
        try {
            given.push_back(std::stod(item));
        } catch (const std::exception&) {
            throw UsageError("--weights: '" + item + "' is not a number");
        }
    }
    if (static_cast<std::int64_t>(given.size()) == n) return given;
    for (std::int64_t i = 0; i < n; ++i) {
        const auto l = label_of(i);
        if (l < 0 || l >= static_cast<std::int64_t>(given.size()))
            throw UsageError("--weights gives " + std::to_string(given.size()) +
                             " weights: neither one per sample (" + std::to_string(n) +
                             ") nor one per class (class " + std::to_string(l) + " has none)");
        w.push_back(given[static_cast<std::size_t>(l)]);
    }
    return w;
}

std::vector<std::int64_t> labels_of(const Batch& b, const Dataset& d) {
    const Sample& data = b.data;
    const Sample* label = data.is_tuple() && data.items().size() > 1 ? &data[1] : &data;
    if (label->is_tensor()) return label->tensor().to_int64_vector();
    if (label->is_int()) return {label->integer()};
    std::vector<std::int64_t> out;
    for (auto i : b.indices)
        out.push_back(d.label(i).value_or(-1));
    return out;
}

} // namespace

int run_loader(Args args) {
    const std::string spec = args.option_or("dataset", "");
    if (spec.empty())
        throw UsageError("loader needs --dataset range:N|fashion-mnist|mnist:PATH|ag-news:PATH");
    const std::string split_name = args.option_or("split", "train");
    if (split_name != "train" && split_name != "test")
        throw UsageError("--split must be train or test, got '" + split_name + "'");
    const long long batch_size = args.int_option_or("batch-size", 1);
    const bool shuffle = args.flag("shuffle");
    const auto sampler_name = args.option("sampler");
    const bool replacement = args.flag("replacement");       // random (default off)
    const bool no_replacement = args.flag("no-replacement"); // weighted (default on)
    const auto num_samples = args.option("num-samples");
    const auto subset = args.option("subset");
    const auto weights = args.option("weights");
    const long long replicas = args.int_option_or("num-replicas", 1);
    const long long rank = args.int_option_or("rank", 0);
    const long long first_epoch = args.int_option_or("epoch", 0);
    const long long sampler_seed = args.int_option_or("sampler-seed", 0);
    const bool no_sampler_shuffle = args.flag("no-sampler-shuffle");
    const bool drop_last = args.flag("drop-last");
    const long long workers = args.int_option_or("num-workers", 0);
    const auto seed = args.option("seed");
    const long long epochs = args.int_option_or("epochs", 1);
    const bool json = args.flag("json");
    args.finish();

    const DatasetPtr dataset =
        open_dataset(spec, split_name == "train" ? Split::Train : Split::Test);
    DataLoaderOptions o;
    if (batch_size == 0)
        o.batch_size.reset();
    else
        o.batch_size = batch_size;
    o.shuffle = shuffle;
    o.drop_last = drop_last;
    o.num_workers = static_cast<int>(workers);
    if (seed)
        o.generator =
            std::make_shared<Generator>(static_cast<std::uint64_t>(parse_int(*seed, "--seed")));
    std::optional<std::int64_t> count;
    if (num_samples) count = parse_int(*num_samples, "--num-samples");
    std::shared_ptr<DistributedSampler> distributed;
    if (sampler_name) {
        const std::string& s = *sampler_name;
        if (s == "sequential") {
            o.sampler = std::make_shared<SequentialSampler>(dataset->size());
        } else if (s == "random") {
            o.sampler =
                std::make_shared<RandomSampler>(dataset->size(), replacement, count, o.generator);
        } else if (s == "subset-random") {
            std::int64_t a = 0, b = dataset->size();
            if (subset) {
                const auto colon = subset->find(':');
                if (colon == std::string::npos) throw UsageError("--subset expects A:B");
                a = parse_int(subset->substr(0, colon), "--subset");
                b = parse_int(subset->substr(colon + 1), "--subset");
            }
            std::vector<std::int64_t> idx;
            for (std::int64_t i = a; i < b; ++i)
                idx.push_back(i);
            o.sampler = std::make_shared<SubsetRandomSampler>(idx, o.generator);
        } else if (s == "weighted") {
            o.sampler = std::make_shared<WeightedRandomSampler>(
                sample_weights(weights.value_or("class-balanced"), *dataset),
                count.value_or(dataset->size()), !no_replacement, o.generator);
        } else if (s == "distributed") {
            distributed = std::make_shared<DistributedSampler>(
                dataset->size(), replicas, rank, !no_sampler_shuffle, sampler_seed, drop_last);
            o.sampler = distributed;
        } else {
            throw UsageError("unknown --sampler '" + s +
                             "' (sequential, random, subset-random, weighted, distributed)");
        }
    }
    DataLoader loader(dataset, o);
    for (const auto& w : loader.warnings())
        std::cerr << "warning: " << w << "\n";

    std::map<std::int64_t, std::int64_t> per_class;
    std::int64_t batches = 0, samples = 0, duplicates = 0;
    for (long long e = 0; e < epochs; ++e) {
        if (distributed) distributed->set_epoch(first_epoch + e);
        std::set<std::int64_t> seen;
        auto it = loader.iter();
        std::int64_t b = 0;
        while (auto batch = it->next()) {
            const auto labels = labels_of(*batch, *dataset);
            for (auto i : batch->indices)
                if (!seen.insert(i).second) ++duplicates;
            for (auto l : labels)
                ++per_class[l];
            samples += static_cast<std::int64_t>(batch->indices.size());
            if (json) {
                std::cout << Json{{"epoch", e},
                                  {"batch", b},
                                  {"indices", batch->indices},
                                  {"labels", labels}}
                                 .dump()
                          << "\n";
            } else {
                std::cout << "epoch " << e << " batch " << b << ": indices "
                          << Json(batch->indices).dump() << " labels " << Json(labels).dump()
                          << "\n";
            }
            ++b;
        }
        batches += b;
    }
    Json classes = Json::object();
    for (const auto& [label, n] : per_class)
        classes[std::to_string(label)] = n;
    Json summary = {{"dataset", dataset->name()}, {"dataset_size", dataset->size()},
                    {"epochs", epochs},           {"batches", batches},
                    {"samples", samples},         {"duplicates", duplicates},
                    {"per_class", classes},       {"warnings", loader.warnings()}};
    if (json)
        std::cout << Json{{"summary", summary}}.dump() << "\n";
    else
        std::cout << "summary: " << summary.dump() << "\n";
    return 0;
}

} // namespace nnscope::cli
