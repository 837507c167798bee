#include "io/pytorch_archive_detail.h"

namespace nnscope::io::detail {

using pickle::Kind;
using pickle::StorageRef;
using pickle::Value;
using pickle::ValuePtr;

StorageId parse_storage_id(const Value& pid, std::size_t arity) {
    if (pid.kind != Kind::Tuple || pid.items.empty())
        throw pickle::PickleError("persistent id must be a tuple");
    const auto type = pickle::as_text(*pid.items[0]);
    if (!type || *type != "storage")
        throw pickle::UnsafePickleError("persistent_load", "refused persistent id '" +
                                                               pickle::to_display(*pid.items[0]) +
                                                               "': only storages may be loaded");
    if (pid.items.size() != arity)
        throw pickle::PickleError("storage id has " + std::to_string(pid.items.size()) +
                                  " fields, expected " + std::to_string(arity));
    const Value& storage_type = *pid.items[1];
    if (storage_type.kind != Kind::Global || storage_type.global != pickle::GlobalId::StorageType)
        throw pickle::PickleError("storage id names " + pickle::to_display(storage_type) +
                                  " instead of a storage class");
    if (!storage_type.dtype)
        throw pickle::PickleError("storage type " + storage_type.text +
                                  " has no nnscope dtype (complex and quantized tensors are "
                                  "not supported)");
    const auto key = pickle::as_text(*pid.items[2]);
    const auto location = pickle::as_text(*pid.items[3]);
    const Value& numel = *pid.items[4];
    if (!key || !location || numel.kind != Kind::Int || numel.integer < 0)
        throw pickle::PickleError("malformed storage id " + pickle::to_display(pid));
    StorageId id{*storage_type.dtype, storage_type.text, *key, *location, numel.integer};
    if (arity > 5) id.view = pid.items[5].get();
    return id;
}

ValuePtr storage_value(std::shared_ptr<const StorageRef> ref) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Storage;
    v->storage = std::move(ref);
    return v;
}

} // namespace nnscope::io::detail
