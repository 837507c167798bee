// nnscope-cli diff A B [--json] [--sort change|name] [--top N] [--bins N]: two checkpoints compared
// tensor by tensor (workflows/checkpoint_diff.h); nnscope-cli diff DIR [--json] [--top N]: a folder
// of checkpoints as a sequence, each tensor's statistics per checkpoint
// (workflows/checkpoint_series.h). The text is aligned for people; the JSON holds every figure.
// Exit codes: 0 done, 2 usage, 1 a file or folder that cannot be read.

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "cli/thread_flags.h"
#include "workflows/checkpoint_diff.h"
#include "workflows/checkpoint_series.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;
using namespace workflows;

std::string number(double v, int precision = 4) {
    if (std::isnan(v)) return "-";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::ostringstream out;
    out << std::setprecision(precision) << v;
    return out.str();
}

// Columns padded to their widest cell; numbers right-aligned, the first column (and the last
// when `text_last`) left-aligned, no trailing blanks.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::string& indent = "", bool text_last = false) {
    std::vector<std::size_t> width;
    for (const auto& row : rows) {
        width.resize(std::max(width.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    }
    for (const auto& row : rows) {
        std::ostringstream line;
        line << indent;
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c > 0) line << "  ";
            const bool left = c == 0 || (text_last && c + 1 == row.size());
            line << (left ? std::left : std::right) << std::setw(static_cast<int>(width[c]))
                 << row[c];
        }
        std::string text = line.str();
        text.erase(text.find_last_not_of(' ') + 1);
        out << text << "\n";
    }
}

Json histogram_json(const stats::Histogram& h) {
    return {{"lo", h.lo}, {"hi", h.hi}, {"counts", h.counts}};
}

Json comparison_json(const TensorComparison& t) {
    Json j;
    j["name"] = t.name;
    j["status"] = to_string(t.status);
    j["shape_a"] = t.dtype_a.empty() ? Json(nullptr) : Json(t.shape_a);
    j["shape_b"] = t.dtype_b.empty() ? Json(nullptr) : Json(t.shape_b);
    j["dtype_a"] = t.dtype_a.empty() ? Json(nullptr) : Json(t.dtype_a);
    j["dtype_b"] = t.dtype_b.empty() ? Json(nullptr) : Json(t.dtype_b);
    j["dtype_changed"] = t.dtype_changed;
    if (!t.error.empty()) j["error"] = t.error;
    if (!t.diff) return j;
    const TensorDiff& d = *t.diff;
    j["numel"] = d.numel;
    j["compared"] = d.compared;
    j["differing"] = d.differing;
    j["nonfinite"] = {{"a", d.nonfinite_a},
                      {"b", d.nonfinite_b},
                      {"nan", d.difference.nan},
                      {"pos_inf", d.difference.pos_inf},
                      {"neg_inf", d.difference.neg_inf}};
    j["relative_change"] = d.relative_change; // inf dumps as null
    j["max_abs"] = d.max_abs;
    j["cosine"] = d.cosine;
    j["norm_a"] = d.norm_a;
    j["norm_b"] = d.norm_b;
    j["norm_diff"] = d.norm_diff;
    j["difference"] = {{"min", d.difference.min},
                       {"max", d.difference.max},
                       {"mean", d.difference.mean},
                       {"std", d.difference.std}};
    j["histogram"] = histogram_json(d.histogram);
    return j;
}

void print_pairs(const CheckpointDiff& diff, std::size_t top) {
    std::cout << "A: " << diff.file_a << (diff.stripped_a ? "  (\"module.\" stripped)" : "")
              << "\nB: " << diff.file_b << (diff.stripped_b ? "  (\"module.\" stripped)" : "")
              << "\n";
    std::cout << diff.count(PairStatus::Matched) << " matched, "
              << diff.count(PairStatus::ShapeMismatch) << " with another shape, "
              << diff.count(PairStatus::OnlyInA) << " only in A, "
              << diff.count(PairStatus::OnlyInB) << " only in B";
    if (const auto n = diff.count(PairStatus::Unreadable)) std::cout << ", " << n << " unreadable";
    std::cout << "\n\n";
    std::vector<std::vector<std::string>> rows{
        {"Tensor", "Shape", "Change", "Max|b-a|", "Cosine", "Differing", "Note"}};
    std::vector<std::string> others;
    std::size_t shown = 0;
    for (const TensorComparison& t : diff.tensors) {
        if (shown++ >= top) break;
        if (t.status == PairStatus::Matched && t.diff) {
            const TensorDiff& d = *t.diff;
            std::string note;
            if (t.dtype_changed) note = t.dtype_a + " -> " + t.dtype_b + ", compared as float64";
            if (d.compared < d.numel)
                note += std::string(note.empty() ? "" : "; ") +
                        std::to_string(d.numel - d.compared) + " NaN/Inf pair" +
                        (d.numel - d.compared == 1 ? "" : "s") + " left out";
            rows.push_back({t.name, shape_to_string(t.shape_a), number(d.relative_change),
                            number(d.max_abs), number(d.cosine, 6),
                            std::to_string(d.differing) + "/" + std::to_string(d.numel), note});
            continue;
        }
        std::string line = std::string(to_string(t.status)) + ": " + t.name;
        if (!t.dtype_a.empty()) line += "  A " + shape_to_string(t.shape_a) + " " + t.dtype_a;
        if (!t.dtype_b.empty()) line += "  B " + shape_to_string(t.shape_b) + " " + t.dtype_b;
        if (!t.error.empty()) line += "  (" + t.error + ")";
        others.push_back(line);
    }
    print_table(std::cout, rows, "", true);
    if (!others.empty()) std::cout << "\n";
    for (const std::string& line : others)
        std::cout << line << "\n";
    if (shown > top) std::cout << "(" << diff.tensors.size() - top << " more rows; see --top)\n";
}

// The options, claimed before the positionals (Args reads an item after an unclaimed "--x" as
// x's value).
struct DiffOptions {
    bool json = false;
    std::optional<std::string> sort;
    long long top = -1;
    long long bins = kUnset;
    static constexpr long long kUnset = std::numeric_limits<long long>::min();
};

int run_pair(const std::filesystem::path& a, const std::filesystem::path& b,
             const DiffOptions& options) {
    const bool json = options.json;
    const std::string sort = options.sort.value_or("change");
    const long long top = options.top;
    const long long bins = options.bins == DiffOptions::kUnset ? 64 : options.bins;
    if (sort != "change" && sort != "name")
        throw UsageError("--sort is change or name, not '" + sort + "'");
    if (bins < 1 || bins > 1 << 20) throw UsageError("--bins must be between 1 and 1048576");
    const CheckpointDiff diff = compare_checkpoints(
        a, b, static_cast<int>(bins), sort == "name" ? DiffOrder::Name : DiffOrder::Change);
    const std::size_t limit = top < 0 ? diff.tensors.size() : static_cast<std::size_t>(top);
    if (!json) {
        print_pairs(diff, limit);
        return 0;
    }
    Json j;
    j["a"] = diff.file_a;
    j["b"] = diff.file_b;
    j["stripped_prefix"] = {{"a", diff.stripped_a}, {"b", diff.stripped_b}};
    j["bins"] = diff.bins;
    Json tensors = Json::array();
    for (std::size_t i = 0; i < diff.tensors.size() && i < limit; ++i)
        tensors.push_back(comparison_json(diff.tensors[i]));
    j["tensors"] = std::move(tensors);
    std::cout << j.dump(2) << "\n";
    return 0;
}

int run_folder(const std::filesystem::path& dir, const DiffOptions& options) {
    if (options.sort || options.bins != DiffOptions::kUnset)
        throw UsageError("--sort and --bins apply to two checkpoints, not to a folder");
    const bool json = options.json;
    const long long top = options.top;
    SeriesBuilder builder(dir);
    while (!builder.done())
        builder.next();
    const CheckpointSeries series = builder.take();
    const std::size_t limit = top < 0 ? series.tensors.size() : static_cast<std::size_t>(top);
    if (json) {
        Json j;
        j["folder"] = dir.string();
        j["files"] = series.files;
        j["skipped"] = series.skipped;
        Json tensors = Json::array();
        for (std::size_t i = 0; i < series.tensors.size() && i < limit; ++i) {
            const TensorSeries& t = series.tensors[i];
            tensors.push_back({{"name", t.name},
                               {"mean", t.mean},
                               {"std", t.std},
                               {"min", t.min},
                               {"max", t.max},
                               {"norm", t.norm},
                               {"change", t.change}});
        }
        j["tensors"] = std::move(tensors);
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << series.files.size() << " checkpoints in " << dir.string() << "\n";
    for (const std::string& s : series.skipped)
        std::cout << "skipped " << s << "\n";
    for (std::size_t i = 0; i < series.tensors.size() && i < limit; ++i) {
        const TensorSeries& t = series.tensors[i];
        std::cout << "\n" << t.name << "\n";
        std::vector<std::vector<std::string>> rows{
            {"File", "Mean", "Std", "Min", "Max", "Norm", "Change"}};
        for (std::size_t f = 0; f < series.files.size(); ++f)
            rows.push_back({series.files[f], number(t.mean[f]), number(t.std[f]), number(t.min[f]),
                            number(t.max[f]), number(t.norm[f]), number(t.change[f])});
        print_table(std::cout, rows, "  ");
    }
    if (limit < series.tensors.size())
        std::cout << "\n(" << series.tensors.size() - limit << " more tensors; see --top)\n";
    return 0;
}

int run(Args args) {
    DiffOptions options;
    options.json = args.flag("json");
    options.sort = args.option("sort");
    options.top = args.int_option_or("top", -1);
    options.bins = args.int_option_or("bins", DiffOptions::kUnset);
    apply_threads(args);
    const std::filesystem::path first = args.positional("A (or a folder)");
    std::error_code ec;
    if (std::filesystem::is_directory(first, ec)) {
        args.finish();
        return run_folder(first, options);
    }
    const std::filesystem::path second = args.positional("B (the second checkpoint)");
    args.finish();
    return run_pair(first, second, options);
}

} // namespace

const Command& diff_command() {
    static const Command command{
        "diff",
        "compare two checkpoints tensor by tensor, or a folder of checkpoints as a sequence",
        {positional("A", "the first checkpoint (any model file summary reads), or a folder whose "
                         "model files are read in natural order (epoch_2 before epoch_10)"),
         Option{"B", {}, "the second checkpoint; absent when A is a folder", true, false, {}},
         flag("json", "every figure as JSON, with the histogram of b - a (torch.histc rules); "
                      "infinite or undefined values are null"),
         value("sort", "change|name",
               "matched pairs by change, largest first (the default), or by name"),
         value("top", "N", "only the first N rows (tensors, for a folder)"),
         value("bins", "N", "bins of the difference histogram in the JSON (default 64)"),
         threads_option()},
        "Names are matched after stripping the \"module.\" prefix of nn.DataParallel (from a "
        "file whose every name has it). For each pair of equal shape, over the elements where "
        "b - a is finite (NaN and Inf pairs are counted, not compared), in float64: change = "
        "||b - a|| / ||a|| (0 when both are 0, inf when only ||a|| is 0); max|b-a|, the largest "
        "absolute difference; cosine = a.b / (||a|| ||b||) (1 when both are zero, 0 when one "
        "is); differing, the elements with a != b.\nFor a folder, each tensor's mean, std, min, "
        "max, norm and change from the previous file are listed per file.",
        run};
    return command;
}

} // namespace nnscope::cli
