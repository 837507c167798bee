#include "workflows/evaluation.h"

#include "data/dataloader_iterator.h"
#include "engine/autograd/grad_mode.h"
#include "engine/ops/reduce.h"
#include "workflows/train_loss.h"
#include "workflows/train_model.h"

namespace nnscope::workflows {

Evaluation evaluate(nn::Module& model, const TrainData& data, std::int64_t batch_size,
                    std::optional<std::int64_t> max_samples, const std::function<bool()>& cancelled,
                    const LossConfig& loss) {
    autograd::NoGradGuard no_grad;
    model.eval();
    const data::DatasetPtr test = first_samples(data.test, max_samples);
    data::DataLoaderOptions o;
    o.batch_size = batch_size;
    o.collate_fn = data.collate;
    data::DataLoader loader(test, o);
    Evaluation e;
    e.classes = data.classes;
    e.confusion.assign(static_cast<std::size_t>(e.classes * e.classes), 0);
    std::int64_t correct = 0;
    double loss_sum = 0;
    auto it = loader.iter();
    while (auto batch = it->next()) {
        const ModelBatch b = model_batch(batch->data);
        const Tensor logits = forward_batch(model, b);
        const std::int64_t n = b.labels.numel();
        loss_sum += compute_loss(loss, logits, b.labels).item() * static_cast<double>(n);
        const auto predicted = argmax(logits, 1).to_int64_vector();
        const auto labels = b.labels.to_int64_vector();
        for (std::size_t i = 0; i < labels.size(); ++i) {
            correct += predicted[i] == labels[i];
            if (labels[i] >= 0 && labels[i] < e.classes && predicted[i] >= 0 &&
                predicted[i] < e.classes)
                ++e.confusion[static_cast<std::size_t>(labels[i] * e.classes + predicted[i])];
        }
        e.samples += n;
        if (cancelled && cancelled()) {
            e.complete = e.samples == test->size();
            break;
        }
    }
    model.train();
    if (e.samples > 0) {
        e.accuracy = static_cast<double>(correct) / static_cast<double>(e.samples);
        e.loss = loss_sum / static_cast<double>(e.samples);
    }
    return e;
}

} // namespace nnscope::workflows
