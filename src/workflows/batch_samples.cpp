#include "workflows/batch_samples.h"

#include "data/mnist.h"
#include "workflows/loader_simulation.h"

#include <set>
#include <stdexcept>

namespace nnscope::workflows {

namespace {

std::string sample_text(const data::Sample& s) {
    if (s.is_int()) return std::to_string(s.integer());
    if (s.is_float()) return std::to_string(s.number());
    if (s.is_text()) return s.text();
    if (s.is_tensor()) {
        const Tensor& t = s.tensor();
        if (t.numel() == 1) return std::to_string(t.to_vector().front());
        std::string shape;
        for (auto d : t.shape())
            shape += (shape.empty() ? "" : ", ") + std::to_string(d);
        return "tensor [" + shape + "]";
    }
    return s.kind();
}

// The collated data split back into what the view shows per sample.
void unpack(const data::Sample& data, bool batched, BatchSamples& out) {
    const auto n = static_cast<std::int64_t>(out.indices.size());
    const data::Sample& x = data.is_tuple() && !data.items().empty() ? data[0] : data;
    if (out.collate != data::CollateChoice::Default) {
        // (labels, ids, lengths) or (labels, ids, offsets): text_collate.h
        out.ids = data[1].tensor();
        (out.collate == data::CollateChoice::Padding ? out.lengths : out.offsets) =
            data[2].tensor();
        return;
    }
    if (x.is_tensor() && x.tensor().dim() >= 2 + (batched ? 1 : 0)) {
        for (std::int64_t k = 0; k < n; ++k)
            out.images.push_back(batched ? x.tensor().select(0, k) : x.tensor());
        return;
    }
    if (!batched) {
        out.values.push_back(sample_text(x));
        return;
    }
    if (x.is_tensor())
        for (std::int64_t k = 0; k < n; ++k)
            out.values.push_back(sample_text(data::Sample(x.tensor().select(0, k))));
    else if (x.is_tuple())
        for (const auto& item : x.items())
            out.values.push_back(sample_text(item));
}

} // namespace

std::vector<std::int64_t> BatchSamples::tokens(std::size_t row) const {
    std::vector<std::int64_t> out;
    const auto r = static_cast<std::int64_t>(row);
    if (collate == data::CollateChoice::Padding && ids.defined()) {
        const auto all = ids.select(0, r).to_int64_vector();
        const auto length = lengths.defined() ? lengths.to_int64_vector()[row]
                                              : static_cast<std::int64_t>(all.size());
        out.assign(all.begin(), all.begin() + length);
    } else if (collate == data::CollateChoice::Offsets && ids.defined()) {
        const auto starts = offsets.to_int64_vector();
        const auto flat = ids.to_int64_vector();
        const auto begin = starts[row];
        const auto end =
            row + 1 < starts.size() ? starts[row + 1] : static_cast<std::int64_t>(flat.size());
        out.assign(flat.begin() + begin, flat.begin() + end);
    }
    return out;
}

BatchSamplesPtr load_batch_samples(const BatchSamplesRequest& request,
                                   const std::atomic<bool>* cancel) {
    data::DataLoaderConfig config = request.config;
    config.epochs = std::max(config.epochs, request.epoch + 1);
    LoaderSimulation simulation(config);
    while (true) {
        if (cancel && cancel->load()) return nullptr;
        const auto batch = simulation.next();
        if (!batch || batch->epoch > request.epoch)
            throw std::out_of_range("the loader has no batch " + std::to_string(request.batch) +
                                    " in epoch " + std::to_string(request.epoch));
        if (batch->epoch != request.epoch || batch->batch != request.batch) continue;

        auto out = std::make_shared<BatchSamples>();
        out->epoch = batch->epoch;
        out->batch = batch->batch;
        out->indices = batch->indices;
        out->labels = batch->labels;
        out->collate = config.collate_fn;
        const data::BuiltLoader& built = simulation.loader();
        out->vocab = built.vocab;
        if (const auto* images = dynamic_cast<const data::MnistDataset*>(built.source.get()))
            out->class_names = images->classes();
        unpack(simulation.last_data(), config.batch_size.has_value(), *out);
        return out;
    }
}

std::vector<SampleMark> batch_marks(const LoaderAnalysis& analysis, std::size_t epoch,
                                    std::size_t batch) {
    if (epoch >= analysis.epochs.size()) return {};
    const EpochDraw& e = analysis.epochs[epoch];
    if (batch >= e.batch_sizes.size()) return {};
    std::size_t start = 0;
    for (std::size_t b = 0; b < batch; ++b)
        start += static_cast<std::size_t>(e.batch_sizes[b]);
    std::set<std::int64_t> seen(e.order.begin(), e.order.begin() + static_cast<long>(start));
    std::vector<SampleMark> marks;
    for (std::size_t k = start; k < start + static_cast<std::size_t>(e.batch_sizes[batch]); ++k) {
        SampleMark m;
        m.padding = k < e.padding.size() && e.padding[k] != 0;
        m.repeat = !seen.insert(e.order[k]).second;
        marks.push_back(m);
    }
    return marks;
}

} // namespace nnscope::workflows
