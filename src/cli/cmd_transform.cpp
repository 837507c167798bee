// nnscope-cli transform: one image of a data set before and after a torchvision-style
// pipeline, as PNG files, and what the random transforms drew, as one JSON line.
//
// workflows/transform_preview.h makes the preview; --seed S is torch.manual_seed(S) just before
// applying the pipeline.

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "data/dataset_spec.h"
#include "data/png_file.h"
#include "data/transforms/parse_transform.h"
#include "io/atomic_file.h"
#include "workflows/transform_preview.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;
using namespace nnscope::data;

Json drawn_json(const std::vector<Drawn>& drawn) {
    Json out = Json::array();
    for (const auto& d : drawn) {
        Json item = {{"transform", d.transform}};
        for (const auto& [key, value] : d.values)
            std::visit([&, &key = key](const auto& v) { item[key] = v; }, value);
        out.push_back(item);
    }
    return out;
}

int run(Args args) {
    const std::string spec = args.option_or("dataset", "fashion-mnist");
    const std::string split_name = args.option_or("split", "train");
    if (split_name != "train" && split_name != "test")
        throw UsageError("--split must be train or test, got '" + split_name + "'");
    const auto index_text = args.option("index");
    const long long index = args.int_option_or("index", 0);
    const auto pipeline = args.option("transform");
    const auto seed = static_cast<std::uint64_t>(
        args.int_option_or("seed", static_cast<long long>(Generator::default_seed)));
    const auto out_dir = args.option("out");
    args.finish();
    if (!index_text) throw UsageError("transform needs --index I");
    if (!pipeline) throw UsageError("transform needs --transform \"<pipeline>\"");
    if (!out_dir) throw UsageError("transform needs --out DIR");

    TransformPtr transform;
    try {
        transform = parse_transform(*pipeline);
    } catch (const TransformParseError& e) {
        throw UsageError(std::string("--transform: ") + e.what());
    }
    const Split split = split_name == "train" ? Split::Train : Split::Test;
    const auto dataset = open_image_dataset(spec, split);
    if (!dataset)
        throw UsageError("--dataset '" + spec +
                         "' holds no images; transform takes fashion-mnist[:PATH] or mnist:PATH");
    if (index < 0 || index >= dataset->size())
        throw UsageError("--index " + std::to_string(index) + " is out of range for " +
                         dataset->name() + " (" + split_name + ") of " +
                         std::to_string(dataset->size()) + " samples");

    const workflows::TransformPreview preview =
        workflows::preview_transform(*dataset, index, *transform, seed);
    const Tensor& before = preview.before;
    const Tensor& after = preview.after;

    std::filesystem::create_directories(*out_dir);
    const std::string before_path = (std::filesystem::path(*out_dir) / "before.png").string();
    const std::string after_path = (std::filesystem::path(*out_dir) / "after.png").string();
    io::write_file_atomically(before_path, encode_png(before));
    bool stretched = false;
    const Tensor shown = to_display_uint8(after, &stretched);
    io::write_file_atomically(after_path, encode_png(shown));

    Json line = {{"dataset", dataset->name()},
                 {"split", split_name},
                 {"index", index},
                 {"label", preview.label},
                 {"class", preview.class_name},
                 {"seed", seed},
                 {"transform", transform->repr()},
                 {"drawn", drawn_json(preview.drawn)},
                 {"before", {{"path", before_path}, {"shape", before.shape()}, {"dtype", "uint8"}}},
                 {"after",
                  {{"path", after_path},
                   {"shape", after.shape()},
                   {"dtype", std::string(dtype_name(after.dtype()))},
                   // PNG holds 0..255: floats in [0, 1] are scaled by 255, other ranges stretched.
                   {"png_scaling", after.dtype() == DType::UInt8 ? "none"
                                   : stretched                   ? "min-max"
                                                                 : "x255"}}}};
    std::cout << line.dump() << "\n";
    return 0;
}

} // namespace

const Command& transform_command() {
    static const Command command{
        "transform",
        "one image of a data set before and after a torchvision-style pipeline (PNG files) and "
        "the parameters its random transforms drew (one JSON line)",
        {value("dataset", "SPEC", "fashion-mnist[:PATH] or mnist:PATH (default fashion-mnist)"),
         value("split", "train|test", "which split (default train)"),
         value("index", "I", "the sample's index in the split", true),
         value("transform", "PIPELINE",
               "a torchvision pipeline, e.g. \"Compose([RandomCrop(28, padding=4), "
               "RandomHorizontalFlip()])\"",
               true),
         value("seed", "S",
               "torch.manual_seed(S) just before the pipeline runs (default "
               "PyTorch's default seed)"),
         value("out", "DIR", "the folder for before.png and after.png", true)},
        "",
        run};
    return command;
}

} // namespace nnscope::cli
