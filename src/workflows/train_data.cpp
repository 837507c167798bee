#include "workflows/train_data.h"

#include "data/config_error.h"
#include "data/dataset_spec.h"
#include "data/subset.h"
#include "data/text/ag_news.h"
#include "data/text/text_collate.h"

#include <numeric>

namespace nnscope::workflows {

data::DatasetPtr first_samples(data::DatasetPtr d, std::optional<std::int64_t> limit) {
    if (!limit || *limit >= d->size()) return d;
    std::vector<std::int64_t> idx(static_cast<std::size_t>(*limit));
    std::iota(idx.begin(), idx.end(), std::int64_t{0});
    return std::make_shared<data::Subset>(std::move(d), std::move(idx));
}

TrainData open_train_data(const std::string& spec, std::optional<std::int64_t> eval_limit) {
    const data::DatasetSpec parsed = data::parse_dataset_spec(spec);
    TrainData d;
    if (auto train = data::open_image_dataset(spec, data::Split::Train)) {
        d.train = train;
        d.test = data::open_image_dataset(spec, data::Split::Test);
        d.classes = 10;
        d.description = (parsed.kind == "mnist" ? "MNIST from " : "Fashion-MNIST from ") +
                        (parsed.argument.empty() ? data::MnistDataset::fashion_mnist_default_dir
                                                 : parsed.argument);
    } else if (parsed.kind == "ag-news") {
        if (parsed.argument.empty())
            throw data::ConfigError("dataset",
                                    "{dataset} ag-news:PATH needs the folder of the CSV files");
        const data::AgNewsSplits splits = data::open_ag_news(parsed.argument);
        d.train = splits.train;
        d.test = splits.test;
        d.classes = static_cast<std::int64_t>(data::ag_news_classes().size());
        d.description = "AG_NEWS from " + parsed.argument + ": " + splits.description;
        d.text = true;
    } else {
        throw data::ConfigError("dataset", "unknown {dataset} '" + spec +
                                               "' (fashion-mnist[:PATH], mnist:PATH, "
                                               "ag-news:PATH)");
    }
    d.test = first_samples(d.test, eval_limit);
    return d;
}

void set_text_collate(TrainData& d, const data::Dataset& train_rows,
                      std::shared_ptr<const data::Vocab> vocab) {
    if (!d.text) return;
    // The vocabulary comes from the training rows only, as in the torchtext tutorial, unless
    // the model brings the one it was trained with.
    d.vocab = vocab ? std::move(vocab)
                    : std::make_shared<const data::Vocab>(data::build_text_vocab(train_rows));
    d.collate = data::offsets_collate(d.vocab);
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

} // namespace nnscope::workflows
