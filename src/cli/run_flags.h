#pragma once
// The options of `nnscope-cli run` for running an opened model on an input and printing its
// predictions (issue #16): --architecture, --preset / --mean / --std / --resize / --crop,
// --topk, --target / --label (backward), --saliency, --seed, --dataset / --sample (a data set
// sample as the input). cmd_run.cpp keeps the tensor-file
// mode (--input IN.safetensors --output OUT.safetensors) it had before.

#include "cli/commands.h"
#include "workflows/image_input.h"
#include "workflows/runnable_model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::cli {

struct PredictFlags {
    std::string architecture;          // "" without --architecture
    std::optional<std::string> preset; // --preset
    std::optional<std::vector<double>> mean, std;
    std::optional<std::int64_t> resize, crop;
    std::optional<std::int64_t> topk;          // --topk K
    std::optional<std::int64_t> target, label; // backward from a class score / the loss
    std::optional<std::string> saliency;       // OUT.png
    std::uint64_t seed = 0;                    // --input random
    std::optional<std::string> dataset;        // --dataset CONFIG.json (instead of --input)
    std::int64_t sample = 0;                   // --sample N of it
    bool asked = false;      // any option of this mode given (beyond --architecture)
    bool non_strict = false; // --non-strict: load_state_dict(strict=False)
};

// The table entries, in the order the help lists them.
std::vector<Option> predict_options();

// Reads them; UsageError for a bad number, --target with --label, --saliency without either,
// --sample without --dataset.
PredictFlags read_predict_flags(Args& args);

// How --architecture loads the state_dict (--non-strict).
workflows::StateDictLoad state_dict_load(const PredictFlags& flags);
// "load_state_dict(strict=False): _IncompatibleKeys(...)" when the model was loaded non-strictly;
// "" otherwise (a strict load that succeeded matched every key).
std::string load_report(const PredictFlags& flags, const workflows::RunnableModel& model);

// The preprocessing of an image input: the preset (imagenet for a 3-channel model, none for
// others, when not given) with --mean/--std/--resize/--crop over it.
workflows::ImagePreprocess image_preprocess(const PredictFlags& flags, std::int64_t channels);

} // namespace nnscope::cli
