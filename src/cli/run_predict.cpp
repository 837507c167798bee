// nnscope-cli run FILE (--input IMAGE.png|IMAGE.jpg|IN.safetensors|random | --dataset CONFIG.json
// [--sample N]) [--topk K] [--target C | --label L] [--saliency OUT.png]
// [--output OUT.safetensors]: any runnable model (workflows/runnable_model.h) on an input, its
// top-k predictions printed with class names, and optionally one backward.

#include "cli/run_predict.h"

#include "cli/loader_flags.h"
#include "data/config_error.h"
#include "data/loader_config_json.h"
#include "data/png_file.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "workflows/predictions.h"
#include "workflows/run_input.h"
#include "workflows/run_model.h"
#include "workflows/runnable_model.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace nnscope::cli {

namespace fs = std::filesystem;

namespace {

// $NNSCOPE_RESOURCES_DIR, else an installation's share/nnscope, else the source tree's.
fs::path resources_dir() {
    if (const char* env = std::getenv("NNSCOPE_RESOURCES_DIR"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path share = exe.parent_path() / ".." / "share" / "nnscope";
        if (fs::is_regular_file(share / "imagenet_classes.txt", ec)) return share;
    }
    return NNSCOPE_RESOURCES_DIR;
}

std::string lower_extension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

workflows::RunInput read_input(const std::optional<std::string>& given, const PredictFlags& flags,
                               const workflows::RunnableModel& model) {
    if (flags.dataset) {
        if (given)
            throw UsageError("--input and --dataset exclude each other: the input is one or the "
                             "other");
        try {
            return workflows::dataset_run_input(data::loader_config_from_file(*flags.dataset),
                                                flags.sample);
        } catch (const data::ConfigError& e) { // "CONFIG.json: field: message"
            throw named_for_user(e, *flags.dataset);
        }
    }
    const std::string& input = *given; // run_predict checked that one is given
    const auto& shape = model.input_shape;
    if (input == "random") {
        if (!shape)
            throw std::invalid_argument("--input random: the model's input shape is unknown; "
                                        "give a tensor file instead");
        return workflows::random_run_input(*shape, flags.seed);
    }
    if (lower_extension(input) == ".safetensors")
        return workflows::safetensors_run_input(input, {}, shape);
    // Anything else is an image, PNG or JPEG by its first bytes (whatever its name says).
    const std::int64_t channels = shape && shape->size() == 4 ? (*shape)[1] : 3;
    return workflows::image_run_input(input, image_preprocess(flags, channels), channels);
}

void print_predictions(const std::vector<workflows::Prediction>& top) {
    std::printf("rank  probability  class  name\n");
    int rank = 0;
    for (const auto& p : top)
        std::printf("%4d  %11.6f  %5lld%s%s\n", ++rank, p.probability,
                    static_cast<long long>(p.index), p.name.empty() ? "" : "  ", p.name.c_str());
}

} // namespace

int run_predict(const std::string& file, const std::optional<std::string>& input,
                const std::optional<std::string>& output, const PredictFlags& flags) {
    if (!input && !flags.dataset)
        throw UsageError("missing --input: an image (PNG or JPEG), a tensor file (.safetensors) "
                         "or random; or --dataset CONFIG.json --sample N");
    workflows::RunnableModel model =
        workflows::open_runnable_model(file, flags.architecture, state_dict_load(flags));
    const workflows::RunInput in = read_input(input, flags, model);

    workflows::RunRequest request;
    if (flags.target) {
        request.backward = workflows::BackwardFrom::ClassScore;
        request.target = *flags.target;
    } else if (flags.label) {
        request.backward = workflows::BackwardFrom::Loss;
        request.target = *flags.label;
    }
    request.max_bytes = 0; // the CLI prints predictions only: no module's tensors are kept
    const workflows::RunResult result = workflows::run_model(*model.module, in.input, request);

    std::cout << "model: " << file << " (" << model.kind << ")\n";
    if (const std::string report = load_report(flags, model); !report.empty())
        std::cout << report << "\n";
    std::cout << "input: " << in.description << ", " << shape_to_string(in.input.shape()) << "\n";
    if (in.label) {
        const auto label = static_cast<std::size_t>(*in.label);
        std::cout << "label: " << *in.label
                  << (label < in.class_names.size() ? " (" + in.class_names[label] + ")" : "")
                  << "\n";
    }
    std::cout << "output: " << shape_to_string(result.output.shape()) << "\n";
    if (result.output.dim() == 2 || result.output.dim() == 1) {
        const std::int64_t classes = result.output.size(-1);
        const auto names = workflows::class_names_for(classes, in.class_names, resources_dir());
        print_predictions(workflows::top_k(result.output, flags.topk.value_or(5), names));
    }
    if (result.objective) {
        if (flags.target)
            std::cout << "score of class " << *flags.target << ": " << *result.objective << "\n";
        else
            std::cout << "loss against label " << *flags.label << ": " << *result.objective << "\n";
    }
    if (flags.saliency) {
        if (!result.input_grad.defined())
            throw std::invalid_argument("--saliency: the input has no gradient (it is not "
                                        "floating point)");
        const Tensor map = workflows::saliency_map(result.input_grad);
        io::write_file_atomically(*flags.saliency,
                                  data::encode_png(workflows::saliency_image(map)));
        std::cout << "saliency: " << *flags.saliency << " (" << map.size(1) << "x" << map.size(0)
                  << ")\n";
    }
    if (output) {
        io::NamedTensors written{{"output", result.output}};
        if (result.input_grad.defined()) written.emplace_back("grad.input", result.input_grad);
        io::save_safetensors(*output, written);
    }
    std::cout.flush();
    return 0;
}

} // namespace nnscope::cli
