#include "io/pickle/unpickler.h"
#include "io/pytorch_archive_detail.h"

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace nnscope::io::detail {

namespace {

using pickle::Kind;
using pickle::StorageRef;
using pickle::Value;
using pickle::ValuePtr;

// torch.serialization.MAGIC_NUMBER, 0x1950a86a20f9469cfc6c, as LONG1 stores it (little-endian).
constexpr unsigned char legacy_magic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                          0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t legacy_protocol_version = 1001;

class LegacyStorages : public pickle::StorageProvider {
public:
    struct Record {
        DType dtype;
        std::int64_t numel;
        std::uint64_t offset = 0; // file offset of the bytes
        bool located = false;
    };

    LegacyStorages(std::shared_ptr<Storage> file, std::unordered_map<std::string, Record> records)
        : file_(std::move(file))
        , records_(std::move(records)) {}

    std::shared_ptr<Storage> storage(const StorageRef& ref) const override {
        std::lock_guard lock(mutex_);
        if (auto cached = cache_[ref.key].lock()) return cached;
        const Record& record = records_.at(ref.key);
        const std::size_t nbytes =
            static_cast<std::size_t>(record.numel) * element_size(record.dtype);
        std::byte* begin = file_->data() + record.offset;
        std::shared_ptr<Storage> storage;
        if (record.offset % element_size(record.dtype) == 0) {
            storage = Storage::wrap(begin, nbytes, file_);
        } else { // the legacy layout does not align storages: copy misaligned ones
            storage = Storage::allocate(nbytes);
            if (nbytes) std::memcpy(storage->data(), begin, nbytes);
        }
        cache_[ref.key] = storage;
        return storage;
    }

private:
    std::shared_ptr<Storage> file_; // the whole file, read at open
    std::unordered_map<std::string, Record> records_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::weak_ptr<Storage>> cache_;
};

// A file that is one pickle and nothing else (pickle.dump, a .pkl): its values and placeholders,
// and the tensors it carries itself (NumPy arrays). It cannot name storages outside itself.
class NoStorages : public pickle::StorageProvider {
public:
    std::shared_ptr<Storage> storage(const StorageRef& ref) const override {
        throw std::runtime_error("storage '" + ref.key + "' is not in this file");
    }
};

} // namespace

// The legacy layout interleaves pickles and storages with no index, so the whole file is read into
// memory at open (one pread, checked against changes): storages are views of that copy. Files
// this old are small; large checkpoints are zip archives, which are read lazily.
LegacyObject read_legacy_object(const std::filesystem::path& path, const FileSource& source) {
    auto file = source.read_storage(0, source.size());
    const std::byte* bytes = file->data();
    const std::size_t size = file->nbytes();
    std::size_t pos = 0;
    auto next = [&](const std::string& part, const pickle::UnpicklerOptions& options) {
        return with_context(path, part, [&] {
            const auto result = pickle::unpickle(bytes + pos, size - pos, options);
            pos += result.consumed;
            return result.value;
        });
    };

    const ValuePtr magic = next("pickle", {});
    if (magic->kind != Kind::BigInt || magic->text.size() != sizeof legacy_magic ||
        std::memcmp(magic->text.data(), legacy_magic, sizeof legacy_magic) != 0) {
        if (pos == size) return {magic, nullptr, std::make_shared<const NoStorages>(), true};
        fail(path, "a pickle followed by " + std::to_string(size - pos) +
                       " more bytes, but not torch.save's layout (its first pickle is " +
                       pickle::to_display(*magic, 60) + ")");
    }
    const ValuePtr protocol = next("protocol version", {});
    if (protocol->kind != Kind::Int || protocol->integer != legacy_protocol_version)
        fail(path, "unsupported legacy protocol version " + pickle::to_display(*protocol));
    const ValuePtr sys_info = next("sys_info", {});
    if (const Value* little = pickle::dict_find(*sys_info, "little_endian");
        little && little->kind == Kind::Bool && !little->boolean)
        fail(path, "big-endian legacy files are not supported");

    std::unordered_map<std::string, LegacyStorages::Record> records;
    pickle::UnpicklerOptions options;
    options.persistent_load = [&](const Value& pid) {
        // torch.save(model) in the legacy format names each module class as ('module', class,
        // source file, source); torch.load returns the class. The source is never looked at.
        if (pid.kind == Kind::Tuple && pid.items.size() == 4 &&
            pickle::as_text(*pid.items[0]) == "module" && pid.items[1]->kind == Kind::Global)
            return pid.items[1];
        const StorageId id = parse_storage_id(pid, 6);
        auto [it, inserted] =
            records.try_emplace(id.key, LegacyStorages::Record{id.dtype, id.numel});
        if (!inserted && (it->second.dtype != id.dtype || it->second.numel != id.numel))
            throw pickle::PickleError("storage '" + id.key + "' is used with two types");
        auto ref = std::make_shared<StorageRef>();
        ref->type_name = id.type_name;
        ref->dtype = id.dtype;
        ref->key = id.key;
        ref->location = id.location;
        ref->numel = id.numel;
        if (id.view && id.view->kind != Kind::None) { // (view_key, offset, view_size)
            const Value& view = *id.view;
            if (view.kind != Kind::Tuple || view.items.size() != 3 ||
                view.items[1]->kind != Kind::Int || view.items[2]->kind != Kind::Int)
                throw pickle::PickleError("malformed storage view " + pickle::to_display(view));
            const std::int64_t offset = view.items[1]->integer;
            const std::int64_t view_size = view.items[2]->integer;
            if (offset < 0 || view_size < 0 || offset > id.numel || view_size > id.numel - offset)
                throw pickle::PickleError("storage view " + pickle::to_display(view) +
                                          " lies outside its storage of " +
                                          std::to_string(id.numel) + " elements");
            ref->offset = offset;
            ref->numel = view_size;
        }
        return storage_value(std::move(ref));
    };
    const ValuePtr root = next("object pickle", options);
    const ValuePtr keys = next("storage keys", {});
    if (keys->kind != Kind::List) fail(path, "storage keys must be a list");

    for (const auto& key_value : keys->items) {
        const auto key = pickle::as_text(*key_value);
        if (!key) fail(path, "storage key " + pickle::to_display(*key_value) + " is not a string");
        const auto it = records.find(*key);
        if (it == records.end()) fail(path, "storage '" + *key + "' is never used");
        auto& record = it->second;
        if (record.located) fail(path, "storage '" + *key + "' is listed twice");
        if (size - pos < 8) fail(path, "truncated before the size of storage '" + *key + "'");
        std::uint64_t count = 0;
        for (int i = 7; i >= 0; --i)
            count = (count << 8) | std::to_integer<std::uint64_t>(bytes[pos + i]);
        pos += 8;
        if (count != static_cast<std::uint64_t>(record.numel))
            fail(path, "storage '" + *key + "' holds " + std::to_string(count) +
                           " elements, the pickle says " + std::to_string(record.numel));
        const std::uint64_t width = element_size(record.dtype);
        if (count > (size - pos) / width)
            fail(path, "truncated inside storage '" + *key + "' (" + std::to_string(count) +
                           " elements of " + std::to_string(width) + " bytes)");
        record.offset = pos;
        record.located = true;
        pos += count * width;
    }
    for (const auto& [key, record] : records)
        if (!record.located) fail(path, "storage '" + key + "' is missing from the storage list");

    auto storages = std::make_shared<const LegacyStorages>(std::move(file), std::move(records));
    return {root, sys_info, std::move(storages), false};
}

} // namespace nnscope::io::detail
