#include "data/text/ag_news.h"

#include "data/random_split.h"
#include "data/text/basic_english.h"
#include "data/text/csv_reader.h"

#include <cmath>
#include <filesystem>

namespace nnscope::data {

namespace {

// Python's int() on the field, restricted to what a class index can be: optional blanks, an
// optional '+', decimal digits.
std::optional<std::int64_t> parse_class_index(const std::string& field) {
    std::size_t i = 0, end = field.size();
    auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f';
    };
    while (i < end && blank(field[i]))
        ++i;
    while (end > i && blank(field[end - 1]))
        --end;
    if (i < end && field[i] == '+') ++i;
    if (i == end || end - i > 9) return std::nullopt;
    std::int64_t v = 0;
    for (; i < end; ++i) {
        if (field[i] < '0' || field[i] > '9') return std::nullopt;
        v = v * 10 + (field[i] - '0');
    }
    return v;
}

} // namespace

const std::vector<std::string>& ag_news_classes() {
    static const std::vector<std::string> names = {"World", "Sports", "Business", "Sci/Tech"};
    return names;
}

std::vector<AgNewsRow> parse_ag_news_csv(std::string_view text, const std::string& source) {
    std::vector<AgNewsRow> rows;
    for (auto& record : parse_csv(text, source)) {
        if (record.fields.empty()) continue;
        if (record.fields.size() != 3)
            throw CsvError(source, record.line,
                           "expected 3 fields (class index, title, description), got " +
                               std::to_string(record.fields.size()));
        const auto index = parse_class_index(record.fields[0]);
        if (!index || *index < 1 || *index > 4)
            throw CsvError(source, record.line,
                           "bad class index '" + record.fields[0] + "' (expected 1-4)");
        rows.push_back({*index - 1, record.fields[1] + " " + record.fields[2]});
    }
    return rows;
}

std::vector<AgNewsRow> read_ag_news_csv(const std::string& path) {
    return parse_ag_news_csv(read_text_file(path), path);
}

AgNewsDataset::AgNewsDataset(std::vector<AgNewsRow> rows, std::string name)
    : rows_(std::move(rows))
    , name_(std::move(name)) {}

const AgNewsRow& AgNewsDataset::row(std::int64_t index) const {
    check_index(index);
    return rows_[static_cast<std::size_t>(index)];
}

Sample AgNewsDataset::get(std::int64_t index) const {
    const AgNewsRow& r = row(index);
    return Sample::tuple({Sample(r.text), Sample(r.label)});
}

std::optional<std::int64_t> AgNewsDataset::label(std::int64_t index) const {
    return row(index).label;
}

AgNewsSplits open_ag_news(const std::string& folder, const AgNewsOptions& options) {
    namespace fs = std::filesystem;
    const fs::path dir(folder);
    const fs::path train_csv = dir / "train.csv", test_csv = dir / "test.csv";
    const bool has_train = fs::is_regular_file(train_csv), has_test = fs::is_regular_file(test_csv);
    if (!has_test)
        throw std::runtime_error("AG_NEWS: no test.csv in '" + folder + "'" +
                                 (has_train ? " (train.csv alone is not enough)" : ""));
    AgNewsSplits s;
    auto test =
        std::make_shared<AgNewsDataset>(read_ag_news_csv(test_csv.string()), "AG_NEWS test");
    if (has_train) {
        s.train =
            std::make_shared<AgNewsDataset>(read_ag_news_csv(train_csv.string()), "AG_NEWS train");
        s.test = test;
        s.description = "train.csv (" + std::to_string(s.train->size()) + " rows), test.csv (" +
                        std::to_string(s.test->size()) + " rows)";
        return s;
    }
    if (!(options.train_fraction > 0 && options.train_fraction < 1))
        throw std::invalid_argument("AG_NEWS: the training share of test.csv must be in (0, 1)");
    const std::int64_t n = test->size();
    const auto n_train =
        static_cast<std::int64_t>(std::floor(static_cast<double>(n) * options.train_fraction));
    Generator gen(options.split_seed);
    const auto parts = random_split(test, {n_train, n - n_train}, gen);
    s.train = parts[0];
    s.test = parts[1];
    s.split_from_test = true;
    s.description = "no train.csv: test.csv (" + std::to_string(n) + " rows) split " +
                    std::to_string(n_train) + "/" + std::to_string(n - n_train) +
                    " by random_split with seed " + std::to_string(options.split_seed);
    return s;
}

Vocab build_text_vocab(const Dataset& dataset, std::int64_t min_freq) {
    TokenCounter counter;
    for (std::int64_t i = 0; i < dataset.size(); ++i)
        counter.update(basic_english_tokenize(dataset.get(i)[0].text()));
    VocabOptions options;
    options.min_freq = min_freq;
    options.specials = {"<unk>", "<pad>"};
    Vocab vocab = build_vocab(counter, options);
    vocab.set_default_index(vocab["<unk>"]);
    return vocab;
}

} // namespace nnscope::data
