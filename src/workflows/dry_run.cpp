#include "workflows/dry_run.h"

#include "engine/autograd/grad_mode.h"
#include "workflows/forward_context.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace nnscope::workflows {

namespace {

bool is_weight_product(const std::string& type) {
    return type == "Linear" || (type.starts_with("Conv") && !type.starts_with("ConvTranspose"));
}

// Output elements per output channel times the weight's elements.
std::int64_t mult_adds_of(const nn::Module& m, const Tensor& output) {
    if (!is_weight_product(m.type_name()) || !output.defined()) return 0;
    const auto& params = m.parameter_dict();
    if (!params.contains("weight")) return 0;
    const Tensor w = m.parameter("weight");
    if (!w.defined() || w.dim() == 0 || w.size(0) == 0) return 0;
    // Linear's weight is [out, in], a convolution's [out, in / groups, k...]: dim 0 is the
    // output channel either way.
    return output.numel() / w.size(0) * w.numel();
}

bool is_container_without_forward(const std::string& type) {
    return type == "ModuleList" || type == "ModuleDict";
}

std::string shapes_text(const std::vector<Shape>& shapes) {
    std::string out;
    for (const auto& s : shapes)
        out += (out.empty() ? "" : ", ") + shape_to_string(s);
    return out;
}

std::string with_commas(std::int64_t n) {
    std::string digits = std::to_string(n), out;
    const int lead = static_cast<int>(digits.size()) % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (static_cast<int>(i) - lead) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

DryRun dry_run(nn::Module& model, const Shape& input_shape, DType dtype) {
    if (input_shape.empty())
        throw std::invalid_argument("dry run: give the input's shape, batch first");
    for (std::int64_t d : input_shape)
        if (d < 0)
            throw std::invalid_argument("dry run: the input shape " + shape_to_string(input_shape) +
                                        " has a negative size");
    DryRun run;
    run.input_shape = input_shape;
    const auto modules = model.named_modules();
    std::unordered_map<const nn::Module*, std::size_t> index;
    std::vector<bool> was_lazy;
    for (const auto& [path, module] : modules) {
        index[module] = run.rows.size();
        DryRunRow row;
        row.path = path;
        row.depth =
            path.empty() ? 0 : 1 + static_cast<int>(std::count(path.begin(), path.end(), '.'));
        row.type = module->type_name();
        run.rows.push_back(std::move(row));
        was_lazy.push_back(module->has_uninitialized_params());
    }

    std::vector<HookHandle> handles;
    for (const auto& [path, module] : modules) {
        handles.push_back(module->register_forward_pre_hook(
            [&](nn::Module& m, const std::vector<Tensor>& inputs) {
                DryRunRow& row = run.rows[index.at(&m)];
                row.input_shapes.clear();
                for (const Tensor& t : inputs)
                    row.input_shapes.push_back(t.defined() ? t.shape() : Shape{});
                return std::vector<Tensor>{};
            }));
        handles.push_back(module->register_forward_hook(
            [&](nn::Module& m, const std::vector<Tensor>&, const Tensor& output) {
                DryRunRow& row = run.rows[index.at(&m)];
                ++row.calls;
                row.output_shape = output.defined() ? output.shape() : Shape{};
                row.mult_adds += mult_adds_of(m, output);
                return Tensor();
            }));
    }
    const bool training = model.is_training();
    model.eval();
    try {
        autograd::NoGradGuard no_grad;
        ForwardContext context(model);
        const Tensor input = Tensor::zeros(input_shape, dtype);
        const Tensor output = context.run(model, input);
        run.output_shape = output.defined() ? output.shape() : Shape{};
    } catch (const std::exception& e) {
        run.error = e.what();
    }
    for (auto& h : handles)
        h.remove();
    model.train(training);

    // Counts after the run: a lazy module has its parameters now.
    for (std::size_t i = 0; i < modules.size(); ++i) {
        const nn::Module& m = *modules[i].second;
        DryRunRow& row = run.rows[i];
        row.type = m.type_name();
        for (const Tensor& p : m.parameters(false))
            row.own_parameters += p.numel();
        for (const Tensor& p : m.parameters(true)) {
            row.parameters += p.numel();
            row.trainable = row.trainable || p.requires_grad();
        }
        run.total_mult_adds += row.mult_adds;
        if (was_lazy[i] && !m.has_uninitialized_params() && m.parameter_dict().contains("weight")) {
            const Tensor w = m.parameter("weight");
            row.note = "Lazy" + row.type + ": in_features fixed to " + std::to_string(w.size(-1)) +
                       " by its first input " + shapes_text(row.input_shapes);
        } else if (was_lazy[i]) {
            row.note = "lazy: in_features is fixed by the first input, which it has not seen";
        }
        if (is_container_without_forward(row.type)) {
            row.note = row.type + " has no forward: it keeps modules, and they run only where a "
                                  "forward calls them";
        } else if (row.calls == 0 && row.note.empty()) {
            const std::string& parent_path = row.path.find('.') == std::string::npos
                                                 ? std::string()
                                                 : row.path.substr(0, row.path.rfind('.'));
            const auto parent =
                std::find_if(run.rows.begin(), run.rows.end(),
                             [&](const DryRunRow& r) { return r.path == parent_path; });
            if (run.error)
                row.note = "did not run: the forward stopped first";
            else if (parent != run.rows.end() && is_container_without_forward(parent->type))
                row.note =
                    "not called: its " + parent->type + " only keeps it; a forward must call it";
            else
                row.note = "not called by its parent's forward";
        }
    }
    for (const Tensor& p : model.parameters()) {
        run.total_parameters += p.numel();
        if (p.requires_grad()) run.trainable_parameters += p.numel();
    }
    return run;
}

std::vector<std::string> dry_run_layer_labels(const DryRun& run) {
    std::vector<std::string> labels;
    std::vector<int> index_at_depth(1, 0);
    for (const auto& row : run.rows) {
        if (static_cast<int>(index_at_depth.size()) <= row.depth)
            index_at_depth.resize(row.depth + 1, 0);
        const int idx = ++index_at_depth[static_cast<std::size_t>(row.depth)];
        std::fill(index_at_depth.begin() + row.depth + 1, index_at_depth.end(), 0);
        const std::string name =
            row.path.empty() ? std::string() : row.path.substr(row.path.rfind('.') + 1);
        labels.push_back(row.depth == 0
                             ? row.type
                             : name + " (" + row.type + ": " + std::to_string(row.depth) + "-" +
                                   std::to_string(idx) + ")");
    }
    return labels;
}

std::string format_dry_run(const DryRun& run) {
    struct Line {
        std::string layer, in, out, params, macs, trainable;
    };
    std::vector<Line> lines{{"Layer (type:depth-idx)", "Input Shape", "Output Shape", "Param #",
                             "Mult-Adds", "Trainable"}};
    const std::vector<std::string> labels = dry_run_layer_labels(run);
    for (std::size_t r = 0; r < run.rows.size(); ++r) {
        const DryRunRow& row = run.rows[r];
        std::string layer = std::string(static_cast<std::size_t>(row.depth) * 2, ' ') + labels[r];
        const bool ran = row.calls > 0;
        lines.push_back({layer, ran ? shapes_text(row.input_shapes) : "--",
                         ran ? shape_to_string(row.output_shape) : "--",
                         row.parameters ? with_commas(row.parameters) : "--",
                         row.mult_adds ? with_commas(row.mult_adds) : "--",
                         row.parameters ? (row.trainable ? "True" : "False") : "--"});
    }
    std::vector<std::size_t> widths(6, 0);
    for (const auto& l : lines) {
        const std::string* cells[] = {&l.layer, &l.in, &l.out, &l.params, &l.macs, &l.trainable};
        for (std::size_t c = 0; c < 6; ++c)
            widths[c] = std::max(widths[c], cells[c]->size());
    }
    std::ostringstream out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        const std::string* cells[] = {&l.layer, &l.in, &l.out, &l.params, &l.macs, &l.trainable};
        std::string text;
        for (std::size_t c = 0; c < 6; ++c) {
            std::string cell = *cells[c];
            if (c + 1 < 6) cell.resize(widths[c] + 2, ' ');
            text += cell;
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out << text << '\n';
        if (i > 0 && !run.rows[i - 1].note.empty())
            out << std::string(static_cast<std::size_t>(run.rows[i - 1].depth) * 2 + 4, ' ')
                << "note: " << run.rows[i - 1].note << '\n';
    }
    out << "Total params: " << with_commas(run.total_parameters) << '\n'
        << "Trainable params: " << with_commas(run.trainable_parameters) << '\n'
        << "Non-trainable params: " << with_commas(run.total_parameters - run.trainable_parameters)
        << '\n'
        << "Total mult-adds: " << with_commas(run.total_mult_adds) << '\n';
    if (run.error)
        out << "The forward stopped: " << *run.error << '\n';
    else
        out << "Output shape: " << shape_to_string(run.output_shape) << '\n';
    return out.str();
}

} // namespace nnscope::workflows
