#include "io/pytorch_writer.h"

#include "io/pickle/globals.h"
#include "io/pickle/pickle_writer.h"
#include "io/tensor_bytes.h"
#include "io/zip_writer.h"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace nnscope::io {

namespace {

// One storage record of the archive and the tensors viewing it.
struct StorageRecord {
    std::shared_ptr<Storage> storage;
    DType dtype;
    std::string key;
};

struct TensorPlan {
    std::size_t record = 0;
    Tensor tensor; // the tensor as written (possibly a contiguous copy)
};

bool can_share(const Tensor& t) {
    return t.storage() && t.storage()->nbytes() % element_size(t.dtype()) == 0;
}

Tensor compact_copy(const Tensor& t) {
    Tensor copy = Tensor::empty(t.shape(), t.dtype());
    if (t.numel() > 0) copy_to_contiguous_bytes(t, copy.storage()->data());
    return copy;
}

} // namespace

std::string pytorch_storage_class(DType dtype) {
    return std::string(pickle::storage_class_name(dtype));
}

void save_pytorch_state_dict(const std::filesystem::path& path, const NamedTensors& tensors,
                             const PytorchSaveOptions& options) {
    const std::string target = path.string();
    auto invalid = [&](const std::string& problem) {
        throw std::invalid_argument("save_pytorch_state_dict '" + target + "': " + problem);
    };
    if (options.archive_name.empty() || options.archive_name.find('/') != std::string::npos)
        invalid("invalid archive name '" + options.archive_name + "'");

    // Storages in first-use order; tensors sharing one keep sharing it if their dtypes agree.
    std::vector<StorageRecord> records;
    std::unordered_map<const Storage*, std::size_t> record_of;
    std::vector<TensorPlan> plans;
    std::unordered_set<std::string> names;
    for (const auto& [name, tensor] : tensors) {
        if (name.empty()) invalid("empty tensor name");
        if (!names.insert(name).second) invalid("duplicate tensor name '" + name + "'");
        if (!tensor.defined()) invalid("tensor '" + name + "' is undefined");
        TensorPlan plan;
        plan.tensor = tensor;
        const auto found =
            tensor.storage() ? record_of.find(tensor.storage().get()) : record_of.end();
        if (options.keep_shared_storage && found != record_of.end() &&
            records[found->second].dtype == tensor.dtype()) {
            plan.record = found->second;
        } else {
            const bool share =
                options.keep_shared_storage && can_share(tensor) && found == record_of.end();
            if (!share) plan.tensor = compact_copy(tensor);
            plan.record = records.size();
            records.push_back(
                {plan.tensor.storage(), tensor.dtype(), std::to_string(records.size())});
            if (share) record_of.emplace(tensor.storage().get(), plan.record);
        }
        plans.push_back(std::move(plan));
    }

    pickle::PickleWriter pickle;
    pickle.ordered_dict(tensors.size(), [&](std::size_t i) {
        const Tensor& t = plans[i].tensor;
        const StorageRecord& record = records[plans[i].record];
        const std::size_t item = element_size(record.dtype);
        pickle.string(tensors[i].first);
        pickle.global("torch._utils", "_rebuild_tensor_v2");
        pickle.begin_tuple(6);
        // ('storage', torch.<Type>Storage, key, 'cpu', numel) as a persistent id.
        pickle.begin_tuple(5);
        pickle.string("storage");
        pickle.global("torch", pytorch_storage_class(record.dtype));
        pickle.string(record.key);
        pickle.string("cpu");
        pickle.integer(
            static_cast<std::int64_t>(record.storage ? record.storage->nbytes() / item : 0));
        pickle.end_tuple(5);
        pickle.persistent_id();
        pickle.integer(t.offset());
        pickle.begin_tuple(t.shape().size());
        for (const auto size : t.shape())
            pickle.integer(size);
        pickle.end_tuple(t.shape().size());
        pickle.begin_tuple(t.strides().size());
        for (const auto stride : t.strides())
            pickle.integer(stride);
        pickle.end_tuple(t.strides().size());
        pickle.boolean(false);      // requires_grad: a state_dict holds detached tensors
        pickle.ordered_dict(0, {}); // backward hooks
        pickle.end_tuple(6);
        pickle.reduce();
    });
    pickle.stop();

    const std::string& root = options.archive_name;
    ZipWriter zip(path);
    zip.add_copy(root + "/data.pkl", pickle.bytes());
    for (const auto& record : records)
        zip.add_view(root + "/data/" + record.key,
                     record.storage ? record.storage->data() : nullptr,
                     record.storage ? record.storage->nbytes() : 0);
    zip.add_copy(root + "/version", "3\n");
    zip.finish();
}

} // namespace nnscope::io
