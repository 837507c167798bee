#include "io/pytorch_archive.h"

#include "io/file_source.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/unpickler.h"
#include "io/type_inference.h"
#include "io/zip_reader.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace nnscope::io {

namespace {

using pickle::Kind;
using pickle::StorageRef;
using pickle::Value;
using pickle::ValuePtr;

// A pickle larger than this is not a model's object tree.
constexpr std::uint64_t max_pickle_bytes = std::uint64_t(1) << 31;
constexpr std::uint64_t max_source_bytes = std::uint64_t(1) << 26;

// torch.serialization.MAGIC_NUMBER, 0x1950a86a20f9469cfc6c, as LONG1 stores it (little-endian).
constexpr unsigned char legacy_magic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                          0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t legacy_protocol_version = 1001;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
    throw std::runtime_error("PyTorch file '" + path.string() + "': " + problem);
}

// Runs `fn`, prefixing the message of a malformed-pickle error with the file and the part read.
// Refusals (UnsafePickleError) pass unchanged so that callers can tell them apart.
template <class Fn>
auto with_context(const std::filesystem::path& path, const std::string& part, Fn&& fn) {
    try {
        return fn();
    } catch (const pickle::UnsafePickleError& e) {
        throw pickle::UnsafePickleError(e.name(), "PyTorch file '" + path.string() + "', " + part +
                                                      ": " + e.what());
    } catch (const pickle::PickleError& e) {
        throw pickle::PickleError("PyTorch file '" + path.string() + "', " + part + ": " +
                                  e.what());
    }
}

void swap_bytes(std::byte* data, std::size_t nbytes, std::size_t width) {
    for (std::size_t i = 0; i + width <= nbytes; i += width)
        std::reverse(data + i, data + i + width);
}

// The parts of a ('storage', storage_type, key, location, numel[, view]) persistent id.
struct StorageId {
    DType dtype;
    std::string type_name;
    std::string key;
    std::string location;
    std::int64_t numel;
    const Value* view = nullptr; // legacy only: None or (view_key, offset, view_size)
};

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

// A storage of a type nnscope has no dtype for (complex, quantized) in a zip archive: a
// placeholder naming its class, key, location and size, so the tensors around it still open.
ValuePtr foreign_storage(const Value& pid) {
    if (pid.kind != Kind::Tuple || pid.items.size() != 5 ||
        pickle::as_text(*pid.items[0]) != "storage")
        return nullptr;
    const Value& type = *pid.items[1];
    if (type.kind != Kind::Global || type.global != pickle::GlobalId::StorageType || type.dtype)
        return nullptr;
    auto v = std::make_shared<Value>();
    v->kind = Kind::Placeholder;
    v->text = type.text;
    v->items.assign(pid.items.begin() + 2, pid.items.end());
    return v;
}

ValuePtr storage_value(std::shared_ptr<const StorageRef> ref) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Storage;
    v->storage = std::move(ref);
    return v;
}

// --- zip and TorchScript archives -----------------------------------------------------------

class ZipStorages : public pickle::StorageProvider {
public:
    ZipStorages(std::shared_ptr<const ZipReader> zip, bool swap)
        : zip_(std::move(zip))
        , swap_(swap) {}

    // StorageRef::key holds the entry's full name.
    std::shared_ptr<Storage> storage(const StorageRef& ref) const override {
        std::lock_guard lock(mutex_);
        if (auto cached = cache_[ref.key].lock()) return cached;
        const ZipEntry* entry = zip_->find(ref.key);
        std::shared_ptr<Storage> storage;
        if (!entry) { // only empty storages may be missing (checked when the pickle was read)
            storage = Storage::allocate(0);
        } else if (swap_) {
            storage = zip_->storage(*entry, 0);
            auto copy = Storage::allocate(storage->nbytes());
            std::memcpy(copy->data(), storage->data(), storage->nbytes());
            swap_bytes(copy->data(), copy->nbytes(), element_size(ref.dtype));
            storage = copy;
        } else {
            storage = zip_->storage(*entry, element_size(ref.dtype));
        }
        cache_[ref.key] = storage;
        return storage;
    }

private:
    std::shared_ptr<const ZipReader> zip_;
    bool swap_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::weak_ptr<Storage>> cache_;
};

// Reads one pickle of a zip archive whose storages live under `storage_dir`.
ValuePtr read_zip_pickle(const ZipReader& zip, const ZipEntry& entry,
                         const std::string& storage_dir, bool torchscript) {
    const std::vector<std::byte> bytes = zip.read(entry, max_pickle_bytes);
    std::unordered_map<std::string, std::shared_ptr<const StorageRef>> storages;
    pickle::UnpicklerOptions options;
    options.torchscript = torchscript;
    options.persistent_load = [&](const Value& pid) {
        if (ValuePtr foreign = foreign_storage(pid)) return foreign;
        const StorageId id = parse_storage_id(pid, 5);
        const std::string name = storage_dir + id.key;
        if (auto it = storages.find(name); it != storages.end()) {
            if (it->second->dtype != id.dtype || it->second->numel != id.numel)
                throw pickle::PickleError("storage '" + id.key + "' is used with two types");
            return storage_value(it->second);
        }
        const ZipEntry* data = zip.find(name);
        if (!data && id.numel > 0)
            throw pickle::PickleError("storage '" + id.key + "' has no record " + name);
        const std::uint64_t width = element_size(id.dtype);
        if (data && data->size / width < static_cast<std::uint64_t>(id.numel))
            throw pickle::PickleError("storage '" + id.key + "' needs " + std::to_string(id.numel) +
                                      " elements of " + std::to_string(width) + " bytes but " +
                                      name + " has " + std::to_string(data->size) + " bytes");
        auto ref = std::make_shared<StorageRef>();
        ref->type_name = id.type_name;
        ref->dtype = id.dtype;
        ref->key = name;
        ref->location = id.location;
        ref->numel = id.numel;
        storages.emplace(name, ref);
        return storage_value(std::move(ref));
    };
    return pickle::unpickle(bytes.data(), bytes.size(), options).value;
}

std::string trimmed_record(const ZipReader& zip, const ZipEntry* entry) {
    if (!entry) return "";
    const auto bytes = zip.read(*entry, 4096);
    std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

// TorchScript: looks classes up in code/ once each.
std::function<pickle::ScriptClassInfo(const std::string&)>
script_class_lookup(std::shared_ptr<const ZipReader> zip, const std::string& root) {
    auto cache = std::make_shared<std::unordered_map<std::string, pickle::ScriptClassInfo>>();
    return [zip, root, cache](const std::string& qualified) {
        if (auto it = cache->find(qualified); it != cache->end()) return it->second;
        pickle::ScriptClassInfo info;
        const std::size_t dot = qualified.rfind('.');
        if (dot != std::string::npos) {
            std::string file = qualified.substr(0, dot);
            std::replace(file.begin(), file.end(), '.', '/');
            if (const ZipEntry* entry = zip->find(root + "/code/" + file + ".py")) {
                const auto bytes = zip->read(*entry, max_source_bytes);
                const std::string_view source(reinterpret_cast<const char*>(bytes.data()),
                                              bytes.size());
                info = pickle::parse_script_class(source, qualified.substr(dot + 1));
            }
        }
        (*cache)[qualified] = info;
        return info;
    };
}

ModelDocument open_zip(const std::filesystem::path& path) {
    auto zip = std::make_shared<const ZipReader>(path);
    if (zip->entries().empty()) fail(path, "empty zip archive");
    const std::string& first = zip->entries().front().name;
    const std::string root = first.substr(0, first.find('/'));
    const ZipEntry* data_pkl = zip->find(root + "/data.pkl");
    if (!data_pkl) {
        if (zip->find(root + "/model.json") || zip->find("model.json"))
            fail(path, "TorchScript archive of PyTorch < 1.4 (model.json) is not supported");
        fail(path, "zip archive without " + root + "/data.pkl: not written by torch.save");
    }
    const bool torchscript =
        zip->find(root + "/constants.pkl") ||
        std::any_of(zip->entries().begin(), zip->entries().end(),
                    [&](const ZipEntry& e) { return e.name.starts_with(root + "/code/"); });

    ModelDocument document;
    document.format = torchscript ? ModelFormat::Torchscript : ModelFormat::PytorchZip;
    document.metadata["nnscope.archive_root"] = root;
    const std::string version = trimmed_record(*zip, zip->find(root + "/version"));
    if (!version.empty()) document.metadata["nnscope.archive_version"] = version;
    const std::string byteorder = trimmed_record(*zip, zip->find(root + "/byteorder"));
    if (!byteorder.empty()) document.metadata["nnscope.byteorder"] = byteorder;
    if (!byteorder.empty() && byteorder != "little" && byteorder != "big")
        fail(path, "unknown byteorder record '" + byteorder + "'");
    auto storages = std::make_shared<const ZipStorages>(zip, byteorder == "big");

    const ValuePtr data = with_context(path, "data.pkl", [&] {
        return read_zip_pickle(*zip, *data_pkl, root + "/data/", torchscript);
    });
    pickle::DocumentOptions options;
    options.torchscript = torchscript;
    if (torchscript) options.class_info = script_class_lookup(zip, root);
    pickle::add_to_document(document, *data, storages, options);

    if (const ZipEntry* constants = torchscript ? zip->find(root + "/constants.pkl") : nullptr) {
        const ValuePtr value = with_context(path, "constants.pkl", [&] {
            return read_zip_pickle(*zip, *constants, root + "/constants/", true);
        });
        pickle::DocumentOptions constant_options;
        constant_options.torchscript = true;
        constant_options.prefix = "constants";
        pickle::add_to_document(document, *value, storages, constant_options);
    }
    return document;
}

// --- legacy format ----------------------------------------------------------------------------

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

ModelDocument plain_pickle_document(const Value& root) {
    ModelDocument document;
    document.format = ModelFormat::PytorchLegacy;
    document.metadata["nnscope.note"] = "a plain Python pickle (pickle.dump), not torch.save's "
                                        "layout";
    pickle::add_to_document(document, root, std::make_shared<const NoStorages>(), {});
    return document;
}

// The legacy layout interleaves pickles and storages with no index, so the whole file is read into
// memory at open (one pread, checked against changes): storages are views of that copy. Files
// this old are small; large checkpoints are zip archives, which are read lazily.
ModelDocument open_legacy(const std::filesystem::path& path, const FileSource& source) {
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
        if (pos == size) return plain_pickle_document(*magic);
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

    ModelDocument document;
    document.format = ModelFormat::PytorchLegacy;
    document.metadata["nnscope.sys_info"] = pickle::to_display(*sys_info, 400);
    auto storages = std::make_shared<const LegacyStorages>(std::move(file), std::move(records));
    pickle::add_to_document(document, *root, storages, {});
    return document;
}

void finish(ModelDocument& document) {
    if (document.format == ModelFormat::Torchscript)
        return; // modules came from the objects themselves
    for (auto& entry : document.tensors)
        if (entry.role_inferred && entry.role != TensorRole::Unknown) // the shape counts too
            entry.role = infer_state_dict_role(entry.name, entry.dtype, entry.shape);
    if (document.modules.empty()) { // no pickled nn.Module gave the tree
        // Modules come from the names of module state only, not from optimizer state.
        std::vector<TensorEntry> module_state;
        for (const auto& entry : document.tensors)
            if (entry.role != TensorRole::Unknown) module_state.push_back(entry);
        document.modules = modules_from_tensor_names(module_state);
        infer_module_types(document); // guesses, only where the file gives no class
    }
    const bool dataparallel =
        !document.tensors.empty() &&
        std::all_of(document.tensors.begin(), document.tensors.end(),
                    [](const TensorEntry& e) { return e.name.starts_with("module."); });
    if (dataparallel) document.metadata["nnscope.dataparallel"] = "module.";
}

} // namespace

bool looks_like_pytorch_file(const std::filesystem::path& path) {
    const auto file = FileSource::open(path);
    const auto head = file->read(0, std::min<std::size_t>(file->size(), 4));
    if (ZipReader::looks_like_zip(head.data(), head.size())) return true;
    return file->size() >= 3 && std::to_integer<unsigned char>(head[0]) == 0x80;
}

ModelDocument open_pytorch_file(const std::filesystem::path& path) {
    auto file = FileSource::open(path);
    const auto head = file->read(0, std::min<std::size_t>(file->size(), 262));
    ModelDocument document;
    if (file->size() == 0) fail(path, "the file is empty (0 bytes)");
    if (ZipReader::looks_like_zip(head.data(), head.size())) {
        file.reset();
        document = open_zip(path);
    } else if (file->size() > 262 && std::memcmp(head.data() + 257, "ustar", 5) == 0) {
        fail(path, "tar-based format of PyTorch < 0.4 is not supported");
    } else if (head.size() >= 2 && std::to_integer<unsigned char>(head[0]) == 0x80) {
        document = open_legacy(path, *file);
    } else {
        fail(path, "neither a zip archive nor a pickle (torch.save writes one or the other)");
    }
    try {
        finish(document);
    } catch (const std::runtime_error& e) {
        fail(path, e.what());
    }
    return document;
}

} // namespace nnscope::io
