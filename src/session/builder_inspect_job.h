#pragma once
// Job kind: the model builder's live inspector (issue #17). The request is a model spec as the
// builder holds it, a seed, an optional input shape and the apply rules; the answer is one
// immutable BuilderInspectionPtr:
//   - what the model registers and what state_dict() saves (workflows/registered_tensors.h);
//   - the apply(fn) steps in apply's order (workflows/apply_rules.h), each with the histograms
//     of the tensors it changed before and after, and the rules as PyTorch code;
//   - the dry-run forward table for the input shape (workflows/dry_run.h), on a second fresh
//     build, because a forward changes a lazy module.
// A spec that does not build (an unknown type, an impossible argument) comes back as
// `build_error` with the module's path, not as a crash; an input shape or rules the workflows
// refuse come back as `dry_run_error` / `apply_error` beside the rest.
//
// The work runs in steps (build and list, apply, dry run), so a newer request or a cancel ends
// it between two of them and sends nothing; the histograms' chunk loops also look at the flag.
// Order matters for the generator: the first build seeds it and apply draws from it right after,
// as `torch.manual_seed(seed); model = build(); model.apply(init)` does; the dry run's build (and
// a LazyLinear's draws on its first forward) come after.

#include "engine/stats/tensor_stats.h"
#include "io/architecture.h"
#include "session/job.h"
#include "workflows/apply_rules.h"
#include "workflows/dry_run.h"
#include "workflows/registered_tensors.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::session {

struct BuilderInspectRequest {
    io::ModuleSpec spec;
    std::uint64_t seed = 0;
    std::optional<Shape> input_shape;   // none: no dry run
    DType input_dtype = DType::Float32; // Float32 or Int64 (an index tensor for an Embedding)
    std::vector<workflows::InitRule> rules;
    int bins = 32;
};

// The values of one tensor as the histograms show them (engine/stats: torch.histc over
// [min, max] of its finite elements).
struct TensorValues {
    stats::TensorStats stats;
    stats::Histogram histogram;
};

// One tensor an apply step changed: the call that changed it (an index into the step's calls),
// its state_dict key, its values before and after.
struct AppliedTensor {
    std::size_t call = 0;
    std::string key;
    TensorValues before, after;
};

struct InspectedApplyStep {
    workflows::ApplyStep step;          // path, type, the calls made or skipped
    std::vector<AppliedTensor> tensors; // the tensors its calls changed, in call order
};

struct BuilderInspection {
    BuilderInspectRequest request; // what this answers

    std::optional<std::string> build_error; // the spec did not build: nothing else is filled

    std::vector<workflows::RegisteredTensor> tensors;
    workflows::SavedKeys saved;
    std::int64_t parameter_count = 0; // elements of model.parameters(), each tensor once
    std::int64_t trainable_count = 0; // of those that require grad

    // Every floating tensor with a shape (parameters and buffers), by state_dict key in
    // registration order, before apply and after it (equal when no rule changed it).
    std::vector<std::string> value_keys;
    std::vector<TensorValues> before, after;
    std::vector<InspectedApplyStep> steps;
    std::string apply_script;
    std::optional<std::string> apply_error;

    std::optional<workflows::DryRun> dry_run; // when the request had an input shape
    std::optional<std::string> dry_run_error; // the shape was refused

    // The index of `key` in value_keys, or -1.
    int valueIndex(const std::string& key) const;
};
using BuilderInspectionPtr = std::shared_ptr<const BuilderInspection>;

class BuilderInspectJob : public Job<BuilderInspectRequest, BuilderInspectionPtr> {
public:
    Step begin(const BuilderInspectRequest& request, const JobRun& run) override;
    Step step(const JobRun& run) override;
    void abandon() override;

private:
    enum class Phase { Apply, DryRun };
    Step finish(const JobRun& run);

    Phase phase_ = Phase::Apply;
    std::shared_ptr<BuilderInspection> result_;
    nn::ModulePtr model_;
};

// "1x1x28x28" (also "1, 1, 28, 28" or "[1, 1, 28, 28]") as a shape. Throws std::invalid_argument
// saying what is wrong: an empty text, a part that is not a whole number >= 0.
Shape parse_input_shape(const std::string& text);

} // namespace nnscope::session
