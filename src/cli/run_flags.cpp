#include "cli/run_flags.h"

#include <charconv>
#include <stdexcept>

namespace nnscope::cli {

namespace {

std::vector<double> numbers(const std::string& option, const std::string& text) {
    std::vector<double> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string part = text.substr(start, comma - start);
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (part.empty() || used != part.size())
            throw UsageError("--" + option + ": '" + text +
                             "' is not a number or a comma-separated list of numbers");
        out.push_back(v);
        start = comma + 1;
    }
    return out;
}

std::optional<std::int64_t> integer(Args& args, const std::string& option, std::int64_t min) {
    const auto text = args.option(option);
    if (!text) return {};
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < min)
        throw UsageError("--" + option + ": '" + *text + "' is not a whole number of at least " +
                         std::to_string(min));
    return v;
}

} // namespace

std::vector<Option> predict_options() {
    return {
        value("architecture", "ARCH",
              "run a state_dict with this architecture: a native model file, or "
              "torchvision:NAME (torchvision:resnet18, ...)"),
        flag("non-strict",
             "with --architecture: load_state_dict(strict=False), reporting missing and "
             "unexpected keys as PyTorch's _IncompatibleKeys instead of refusing them"),
        value("preset", "NAME",
              "preprocessing of an image input: imagenet (resize 256, crop 224, torchvision's "
              "mean/std) or none; default imagenet for a 3-channel model, none otherwise"),
        value("mean", "M[,M,M]", "normalisation mean per channel (over the preset)"),
        value("std", "S[,S,S]", "normalisation std per channel (over the preset)"),
        value("resize", "N", "resize the shorter side of an image input to N (0: keep)"),
        value("crop", "N", "centre-crop an image input to NxN (0: keep)"),
        value("topk", "K", "print the K most likely classes (default 5 without --output)"),
        value("target", "CLASS", "backward from the score of class CLASS"),
        value("label", "L", "backward from the cross-entropy loss against label L"),
        value("saliency", "OUT.png",
              "after backward, write max |input gradient| over channels as a grey PNG"),
        value("seed", "S", "the seed of --input random (default 0)"),
        value("dataset", "CONFIG.json",
              "instead of --input: a sample of the data set a DataLoader configuration names "
              "(JSON as `loader --save-config` or the lab writes it), through its transform; "
              "its label is printed and the data set names the classes"),
        value("sample", "N", "the index of the --dataset sample (default 0)"),
    };
}

PredictFlags read_predict_flags(Args& args) {
    PredictFlags f;
    f.architecture = args.option_or("architecture", "");
    f.non_strict = args.flag("non-strict");
    if (f.non_strict && f.architecture.empty())
        throw UsageError("--non-strict applies to a state_dict loaded with --architecture");
    f.preset = args.option("preset");
    if (const auto m = args.option("mean")) f.mean = numbers("mean", *m);
    if (const auto s = args.option("std")) f.std = numbers("std", *s);
    f.resize = integer(args, "resize", 0);
    f.crop = integer(args, "crop", 0);
    f.topk = integer(args, "topk", 1);
    f.target = integer(args, "target", 0);
    f.label = integer(args, "label", 0);
    f.saliency = args.option("saliency");
    if (const auto seed = integer(args, "seed", 0)) f.seed = static_cast<std::uint64_t>(*seed);
    f.dataset = args.option("dataset");
    if (const auto sample = integer(args, "sample", 0)) {
        if (!f.dataset) throw UsageError("--sample N needs --dataset CONFIG.json");
        f.sample = *sample;
    }
    if (f.target && f.label) throw UsageError("--target and --label exclude each other");
    if (f.saliency && !f.target && !f.label)
        throw UsageError("--saliency needs a backward: give --target CLASS or --label L");
    if (f.preset) try {
            workflows::image_preset(*f.preset);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--preset: ") + e.what());
        }
    f.asked = f.preset || f.mean || f.std || f.resize || f.crop || f.topk || f.target || f.label ||
              f.saliency || f.dataset;
    return f;
}

workflows::StateDictLoad state_dict_load(const PredictFlags& flags) {
    workflows::StateDictLoad load;
    load.strict = !flags.non_strict;
    return load;
}

std::string load_report(const PredictFlags& flags, const workflows::RunnableModel& model) {
    if (!flags.non_strict || !model.loaded) return {};
    return "load_state_dict(strict=False): " + nn::repr(*model.loaded);
}

workflows::ImagePreprocess image_preprocess(const PredictFlags& flags, std::int64_t channels) {
    workflows::ImagePreprocess pre = workflows::image_preset(
        flags.preset ? *flags.preset : (channels == 3 ? "imagenet" : "none"));
    if (flags.mean) pre.mean = *flags.mean;
    if (flags.std) pre.std = *flags.std;
    if (flags.resize) pre.resize = *flags.resize;
    if (flags.crop) pre.crop = *flags.crop;
    return pre;
}

} // namespace nnscope::cli
