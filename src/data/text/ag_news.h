#pragma once
// AG_NEWS (torchtext.datasets.AG_NEWS, 0.14) from the original CSV files: each row is
// "class index 1-4","title","description"; torchtext yields (label, title + " " + description).
// Our samples are (text, label - 1): labels 0-3, as the torchtext tutorial's label_pipeline
// makes them, so that they index World, Sports, Business, Sci/Tech.
//
// A folder with train.csv and test.csv gives both splits. A folder with only test.csv (what
// ../shared/datasets/ag_news_csv holds) is split as the torchtext tutorial splits its training
// set into train and valid: num_train = int(len * 0.95), then
// random_split(dataset, [num_train, len - num_train], generator=Generator().manual_seed(seed)).

#include "data/dataset.h"
#include "data/mnist.h" // Split
#include "data/text/vocab.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::data {

const std::vector<std::string>& ag_news_classes(); // World, Sports, Business, Sci/Tech

struct AgNewsRow {
    std::int64_t label = 0; // 0-3
    std::string text;       // title + " " + description
};

// Throws CsvError naming the file, the line and the problem: a class index that is not an
// integer 1-4, a row without exactly 3 fields, an unterminated quote, invalid UTF-8. Empty lines
// are skipped.
std::vector<AgNewsRow> parse_ag_news_csv(std::string_view text, const std::string& source);
std::vector<AgNewsRow> read_ag_news_csv(const std::string& path);

class AgNewsDataset : public Dataset {
public:
    AgNewsDataset(std::vector<AgNewsRow> rows, std::string name = "AG_NEWS");
    std::int64_t size() const override { return static_cast<std::int64_t>(rows_.size()); }
    Sample get(std::int64_t index) const override; // (str text, int label 0-3)
    std::optional<std::int64_t> label(std::int64_t index) const override;
    std::string name() const override { return name_; }
    const AgNewsRow& row(std::int64_t index) const;
    const std::vector<std::string>& classes() const { return ag_news_classes(); }

private:
    std::vector<AgNewsRow> rows_;
    std::string name_;
};

struct AgNewsOptions {
    std::uint64_t split_seed = 0; // generator seed of the split when only test.csv is there
    double train_fraction = 0.95; // the tutorial's share of training rows
};

struct AgNewsSplits {
    DatasetPtr train, test;
    bool split_from_test = false; // true: both come from test.csv
    std::string description;      // where each split comes from, for the user
};

// Throws std::runtime_error when the folder has no test.csv (and no train.csv) or a file is
// malformed.
AgNewsSplits open_ag_news(const std::string& folder, const AgNewsOptions& options = {});

// The vocabulary of the texts of a dataset of (text, label) samples as the torchtext tutorial
// builds it: basic_english tokens, build_vocab_from_iterator(min_freq, specials=["<unk>",
// "<pad>"]), default index <unk>.
Vocab build_text_vocab(const Dataset& dataset, std::int64_t min_freq = 1);

} // namespace nnscope::data
