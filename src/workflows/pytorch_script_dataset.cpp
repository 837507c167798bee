// The data set half of the emitted script: nnscope's data sets written as small Dataset classes
// (or torchvision's reading of the same files), the Subset / random_split part and the transform.

#include "data/dataset_spec.h"
#include "data/text/ag_news.h"
#include "data/transforms/parse_transform.h"
#include "workflows/pytorch_script_writer.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace nnscope::workflows::pyscript {

namespace {

const char* const range_class = R"(class RangeDataset(Dataset):
    """range(n) as a data set: sample i is the integer i, which is also its label."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return index)";

const char* const labelled_range_class = R"(class LabelledRangeDataset(Dataset):
    """range(n) with class labels: sample i is the tuple (i, label)."""

    def __init__(self, targets):
        self.targets = targets

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return index, self.targets[index])";

const char* const read_idx_function = R"(def read_idx(path):
    """The dimensions and the bytes of an IDX file, plain or gzip-compressed."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    return struct.unpack(">%dI" % ndim, data[4 : 4 + 4 * ndim]), data[4 + 4 * ndim :])";

// Named as nnscope names the data set (MNIST or FashionMNIST), which the summary prints.
std::string idx_images_class(const std::string& name) {
    return "class " + name + R"((Dataset):
    """torchvision's )" +
           name +
           R"( read from its IDX files: sample i is (image, label), the image a
    float32 [1, 28, 28] tensor as ToTensor() makes it."""

    def __init__(self, images, labels, transform=None):
        (count, rows, cols), pixels = read_idx(images)
        self.images = torch.frombuffer(bytearray(pixels), dtype=torch.uint8)
        self.images = self.images.view(count, 1, rows, cols)
        self.targets = list(read_idx(labels)[1])
        self.transform = transform

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        image = self.images[index].float().div(255)
        if self.transform is not None:
            image = self.transform(image)
        return image, self.targets[index])";
}

const char* const ag_news_class = R"(class AG_NEWS(Dataset):
    """AG_NEWS from its CSV file: sample i is (title + " " + description, class index - 1), the
    labels 0-3 of the torchtext tutorial's label_pipeline."""

    def __init__(self, path, name):
        with open(path, newline="", encoding="utf-8") as f:
            rows = [row for row in csv.reader(f) if row]
        self.samples = [(title + " " + text, int(label) - 1) for label, title, text in rows]
        self.targets = [label for _, label in self.samples]
        self.name = name

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        return self.samples[index])";

const char* const with_index_class = R"(class WithIndex(Dataset):
    """Sample i of `data` as (i, sample), so that every batch carries its indices."""

    def __init__(self, data):
        self.data = data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return index, self.data[index])";

// range:N, range:N:mod=K or range:N:imbalanced=K. True when the samples have labels.
bool write_range(const std::string& argument, Script& s) {
    const auto colon = argument.find(':');
    const std::string n = argument.substr(0, colon);
    if (colon == std::string::npos) {
        s.helper(range_class);
        s.body += "dataset = RangeDataset(" + n + ")\n";
        return false;
    }
    s.helper(labelled_range_class);
    const std::string rule = argument.substr(colon + 1);
    const std::string k = rule.substr(rule.find('=') + 1);
    if (rule.starts_with("mod=")) {
        s.body += "# mod=" + k + ": label i % " + k + ", balanced classes interleaved\n";
        s.body += "dataset = LabelledRangeDataset([i % " + k + " for i in range(" + n + ")])\n";
        return true;
    }
    s.body += "# imbalanced=" + k + ": " + k +
              " classes in contiguous blocks, each about half the size of the one before\n";
    s.body += "sizes = [int(" + n + " * (float(2 ** (" + k + " - 1 - c)) / float(2 ** " + k +
              " - 1))) for c in range(" + k + ")]\n";
    s.body += "sizes[0] += " + n + " - sum(sizes)\n";
    s.body += "dataset = LabelledRangeDataset([c for c, size in enumerate(sizes) for _ in "
              "range(size)])\n";
    return true;
}

void write_images(const data::DataLoaderConfig& c, const std::string& kind,
                  const std::string& folder, Script& s) {
    const std::string name = kind == "mnist" ? "MNIST" : "FashionMNIST";
    const std::string prefix = c.test_split ? "t10k" : "train";
    s.modules.insert({"gzip", "struct"});
    s.helper(read_idx_function);
    s.helper(idx_images_class(name));
    std::string transform = "None";
    if (!c.transform.empty()) {
        s.torchvision = true;
        if (c.transform.find("ToTensor") != std::string::npos)
            s.body += "# ToTensor() becomes ConvertImageDtype(torch.float): the images are "
                      "tensors already\n";
        s.body += "transform = " + transform_expression(c.transform) + "\n";
        transform = "transform";
    }
    s.body += "dataset = " + name + "(\n    " +
              string(data::find_idx_file(folder, prefix + "-images-idx3-ubyte")) + ",\n    " +
              string(data::find_idx_file(folder, prefix + "-labels-idx1-ubyte")) + ",\n    " +
              transform + ",\n)\n";
}

// As data::open_ag_news reads the folder: train.csv and test.csv, or test.csv split 95/5.
void write_ag_news(const data::DataLoaderConfig& c, const std::string& folder, Script& s) {
    namespace fs = std::filesystem;
    s.modules.insert("csv");
    s.helper(ag_news_class);
    const auto csv = [&](const char* file) { return string((fs::path(folder) / file).string()); };
    if (fs::is_regular_file(fs::path(folder) / "train.csv")) {
        s.body += c.test_split ? "dataset = AG_NEWS(" + csv("test.csv") + ", \"AG_NEWS test\")\n"
                               : "dataset = AG_NEWS(" + csv("train.csv") + ", \"AG_NEWS train\")\n";
        return;
    }
    s.data_names.insert("random_split");
    const data::AgNewsOptions options; // what `loader` opens the folder with
    s.body +=
        "# no train.csv: test.csv is split as the torchtext tutorial splits its training set\n"
        "rows = AG_NEWS(" +
        csv("test.csv") +
        ", \"AG_NEWS test\")\n"
        "num_train = int(len(rows) * " +
        number(options.train_fraction) +
        ")\n"
        "train, test = random_split(\n"
        "    rows, [num_train, len(rows) - num_train], "
        "generator=torch.Generator().manual_seed(" +
        std::to_string(options.split_seed) +
        ")\n)\n"
        "dataset = " +
        std::string(c.test_split ? "test" : "train") + "\n";
}

struct WritePart {
    Script& s;
    void operator()(std::monostate) const {}
    void operator()(const data::SubsetArgs& a) const {
        s.data_names.insert("Subset");
        s.body += "dataset = Subset(dataset, " + indices(a.indices, a.range) + ")\n";
    }
    void operator()(const data::RandomSplitArgs& a) const {
        s.data_names.insert("random_split");
        const bool counts = std::all_of(a.lengths.begin(), a.lengths.end(), [](double l) {
            return l == static_cast<double>(static_cast<std::int64_t>(l));
        });
        std::vector<std::int64_t> whole(a.lengths.begin(), a.lengths.end());
        s.body += "dataset = random_split(\n    dataset, " +
                  (counts ? integers(whole) : numbers(a.lengths)) +
                  ", generator=torch.Generator().manual_seed(" + std::to_string(a.seed) + ")\n)[" +
                  std::to_string(a.part) + "]\n";
    }
};

} // namespace

DatasetCode write_dataset(const data::DataLoaderConfig& c, Script& s) {
    const auto [kind, argument] = data::parse_dataset_spec(c.dataset);
    bool labelled = true;
    if (kind == "range")
        labelled = write_range(argument, s);
    else if (kind == "ag-news")
        write_ag_news(c, argument, s);
    else
        write_images(c, kind,
                     argument.empty() ? data::MnistDataset::fashion_mnist_default_dir : argument,
                     s);
    std::visit(WritePart{s}, c.part);
    // A range data set's samples are their indices; any other sample carries them only wrapped.
    if (kind == "range" && std::holds_alternative<std::monostate>(c.part))
        return {"dataset", labelled ? "indices, labels = as_list(batch[0]), as_list(batch[1])"
                                    : "indices = labels = as_list(batch)"};
    s.helper(with_index_class);
    return {"WithIndex(dataset)", labelled
                                      ? "indices, labels = as_list(batch[0]), as_list(batch[1][1])"
                                      : "indices, labels = as_list(batch[0]), as_list(batch[1])"};
}

std::string transform_expression(const std::string& pipeline) {
    const auto known = data::known_transforms();
    std::string out;
    for (std::size_t i = 0; i < pipeline.size();) {
        const char ch = pipeline[i];
        if (ch == '"' || ch == '\'') { // a string: "nearest" / "bilinear" as the enum
            // the whole string, up to the end of the text when it is not closed
            const auto end = std::min(pipeline.find(ch, i + 1), pipeline.size());
            const std::string text = pipeline.substr(i + 1, end - i - 1);
            if (text == "nearest" || text == "bilinear") {
                std::string upper = text;
                std::transform(upper.begin(), upper.end(), upper.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                out += "T.InterpolationMode." + upper;
            } else {
                out += pipeline.substr(i, end - i + 1);
            }
            i = end + 1;
            continue;
        }
        if (!(std::isalpha(static_cast<unsigned char>(ch)) || ch == '_')) {
            out += ch;
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < pipeline.size() && (std::isalnum(static_cast<unsigned char>(pipeline[end])) ||
                                         pipeline[end] == '_' || pipeline[end] == '.'))
            ++end;
        std::string name = pipeline.substr(i, end - i);
        for (const char* prefix : {"transforms.", "T."})
            if (name.starts_with(prefix)) name = name.substr(std::string(prefix).size());
        i = end;
        if (name == "ToTensor") {
            const auto open = pipeline.find_first_not_of(' ', i);
            const auto close = pipeline.find_first_not_of(' ', open + 1);
            if (open != std::string::npos && pipeline[open] == '(' && close != std::string::npos &&
                pipeline[close] == ')') {
                out += "T.ConvertImageDtype(torch.float)";
                i = close + 1;
                continue;
            }
        }
        const bool torchvision_name = name.starts_with("InterpolationMode") ||
                                      std::find(known.begin(), known.end(), name) != known.end();
        out += (torchvision_name ? "T." : "") + name;
    }
    return out;
}

} // namespace nnscope::workflows::pyscript
