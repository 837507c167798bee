#include "cli/train_data.h"

#include "cli/commands.h"
#include "data/mnist.h"
#include "data/subset.h"
#include "data/text/ag_news.h"
#include "data/text/text_collate.h"

#include <numeric>

namespace nnscope::cli {

namespace {

data::DatasetPtr first_samples(data::DatasetPtr d, std::optional<std::int64_t> limit) {
    if (!limit || *limit >= d->size()) return d;
    std::vector<std::int64_t> idx(static_cast<std::size_t>(*limit));
    std::iota(idx.begin(), idx.end(), std::int64_t{0});
    return std::make_shared<data::Subset>(std::move(d), std::move(idx));
}

} // namespace

TrainData open_train_data(const std::string& spec, const TrainDataOptions& options) {
    const auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    const std::string path = colon == std::string::npos ? "" : spec.substr(colon + 1);
    TrainData d;
    if (kind == "fashion-mnist" || kind == "mnist") {
        if (kind == "mnist" && path.empty())
            throw UsageError("--dataset mnist:PATH needs the folder of the IDX files");
        const std::string folder =
            path.empty() ? data::MnistDataset::fashion_mnist_default_dir : path;
        auto open = [&](data::Split split) {
            return kind == "mnist" ? data::MnistDataset::mnist(folder, split)
                                   : data::MnistDataset::fashion_mnist(folder, split);
        };
        d.train = open(data::Split::Train);
        d.test = open(data::Split::Test);
        d.classes = 10;
        d.description = (kind == "mnist" ? "MNIST from " : "Fashion-MNIST from ") + folder;
    } else if (kind == "ag-news") {
        if (path.empty())
            throw UsageError("--dataset ag-news:PATH needs the folder of the CSV files");
        const data::AgNewsSplits splits = data::open_ag_news(path);
        d.train = splits.train;
        d.test = splits.test;
        d.classes = static_cast<std::int64_t>(data::ag_news_classes().size());
        d.description = "AG_NEWS from " + path + ": " + splits.description;
    } else {
        throw UsageError("unknown --dataset '" + spec +
                         "' (fashion-mnist[:PATH], mnist:PATH, ag-news:PATH)");
    }
    d.train = first_samples(d.train, options.limit);
    d.test = first_samples(d.test, options.limit);
    if (kind == "ag-news") {
        // The vocabulary comes from the training rows only, as in the torchtext tutorial, unless
        // the model brings the one it was trained with.
        auto vocab = options.vocab
                         ? options.vocab
                         : std::make_shared<const data::Vocab>(data::build_text_vocab(*d.train));
        d.vocab = vocab;
        d.collate = data::offsets_collate(vocab);
    }
    if (options.wrap_train) d.train = options.wrap_train(d.train);
    return d;
}

ModelBatch model_batch(const data::Sample& collated) {
    const auto& items = collated.items();
    if (items.size() == 3) // offsets_collate: (labels, ids, offsets)
        return {items[1].tensor(), items[2].tensor(), items[0].tensor()};
    if (items.size() == 2) // default_collate of (image, label)
        return {items[0].tensor(), Tensor(), items[1].tensor()};
    throw std::invalid_argument("train: a batch must be (inputs, labels) or (labels, ids, "
                                "offsets), got a tuple of " +
                                std::to_string(items.size()));
}

} // namespace nnscope::cli
