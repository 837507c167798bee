#include "io/pytorch_archive.h"

#include "io/file_source.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/unpickler.h"
#include "io/pytorch_archive_detail.h"
#include "io/type_inference.h"
#include "io/zip_reader.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace nnscope::io {

namespace {

using detail::fail;
using detail::max_pickle_bytes;
using detail::parse_storage_id;
using detail::storage_value;
using detail::StorageId;
using detail::with_context;
using pickle::Kind;
using pickle::StorageRef;
using pickle::Value;
using pickle::ValuePtr;

constexpr std::uint64_t max_source_bytes = std::uint64_t(1) << 26;

void swap_bytes(std::byte* data, std::size_t nbytes, std::size_t width) {
    for (std::size_t i = 0; i + width <= nbytes; i += width)
        std::reverse(data + i, data + i + width);
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

// TorchScript: the source of the code/ file that defines a class, read once per file.
std::function<std::string(const std::string&)>
script_source_lookup(std::shared_ptr<const ZipReader> zip, const std::string& root) {
    auto cache = std::make_shared<std::unordered_map<std::string, std::string>>();
    auto mutex = std::make_shared<std::mutex>();
    return [zip, root, cache, mutex](const std::string& qualified) {
        const std::size_t dot = qualified.rfind('.');
        if (dot == std::string::npos) return std::string();
        std::string file = qualified.substr(0, dot);
        std::replace(file.begin(), file.end(), '.', '/');
        std::lock_guard lock(*mutex);
        if (auto it = cache->find(file); it != cache->end()) return it->second;
        std::string source;
        if (const ZipEntry* entry = zip->find(root + "/code/" + file + ".py")) {
            const auto bytes = zip->read(*entry, max_source_bytes);
            source.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        }
        (*cache)[file] = source;
        return source;
    };
}

// An opened zip archive written by torch.save or torch.jit.save.
struct ZipArchive {
    std::shared_ptr<const ZipReader> zip;
    std::string root; // the folder every record is in
    bool torchscript = false;
    std::string version;
    std::string byteorder;
    std::shared_ptr<const ZipStorages> storages;
    const ZipEntry* data_pkl = nullptr;
};

ZipArchive open_archive(const std::filesystem::path& path) {
    ZipArchive archive;
    archive.zip = std::make_shared<const ZipReader>(path);
    const ZipReader& zip = *archive.zip;
    if (zip.entries().empty()) fail(path, "empty zip archive");
    const std::string& first = zip.entries().front().name;
    const std::string root = first.substr(0, first.find('/'));
    archive.root = root;
    archive.data_pkl = zip.find(root + "/data.pkl");
    if (!archive.data_pkl) {
        if (zip.find(root + "/model.json") || zip.find("model.json"))
            fail(path, "TorchScript archive of PyTorch < 1.4 (model.json) is not supported");
        fail(path, "zip archive without " + root + "/data.pkl: not written by torch.save");
    }
    archive.torchscript =
        zip.find(root + "/constants.pkl") ||
        std::any_of(zip.entries().begin(), zip.entries().end(),
                    [&](const ZipEntry& e) { return e.name.starts_with(root + "/code/"); });
    archive.version = trimmed_record(zip, zip.find(root + "/version"));
    archive.byteorder = trimmed_record(zip, zip.find(root + "/byteorder"));
    if (!archive.byteorder.empty() && archive.byteorder != "little" && archive.byteorder != "big")
        fail(path, "unknown byteorder record '" + archive.byteorder + "'");
    archive.storages = std::make_shared<const ZipStorages>(archive.zip, archive.byteorder == "big");
    return archive;
}

ValuePtr read_data_pickle(const std::filesystem::path& path, const ZipArchive& archive) {
    return with_context(path, "data.pkl", [&] {
        return read_zip_pickle(*archive.zip, *archive.data_pkl, archive.root + "/data/",
                               archive.torchscript);
    });
}

ModelDocument open_zip(const std::filesystem::path& path) {
    const ZipArchive archive = open_archive(path);
    ModelDocument document;
    document.format = archive.torchscript ? ModelFormat::Torchscript : ModelFormat::PytorchZip;
    document.metadata["nnscope.archive_root"] = archive.root;
    if (!archive.version.empty()) document.metadata["nnscope.archive_version"] = archive.version;
    if (!archive.byteorder.empty()) document.metadata["nnscope.byteorder"] = archive.byteorder;

    const ValuePtr data = read_data_pickle(path, archive);
    pickle::DocumentOptions options;
    options.torchscript = archive.torchscript;
    if (archive.torchscript) {
        auto source = script_source_lookup(archive.zip, archive.root);
        options.class_info = [source](const std::string& qualified) {
            const std::size_t dot = qualified.rfind('.');
            const std::string text = source(qualified);
            if (text.empty() || dot == std::string::npos) return pickle::ScriptClassInfo{};
            return pickle::parse_script_class(text, qualified.substr(dot + 1));
        };
    }
    pickle::add_to_document(document, *data, archive.storages, options);

    const ZipEntry* constants =
        archive.torchscript ? archive.zip->find(archive.root + "/constants.pkl") : nullptr;
    if (constants) {
        const ValuePtr value = with_context(path, "constants.pkl", [&] {
            return read_zip_pickle(*archive.zip, *constants, archive.root + "/constants/", true);
        });
        pickle::DocumentOptions constant_options;
        constant_options.torchscript = true;
        constant_options.prefix = "constants";
        pickle::add_to_document(document, *value, archive.storages, constant_options);
    }
    return document;
}

// --- legacy format ----------------------------------------------------------------------------

ModelDocument open_legacy(const std::filesystem::path& path, const FileSource& source) {
    const detail::LegacyObject object = detail::read_legacy_object(path, source);
    ModelDocument document;
    document.format = ModelFormat::PytorchLegacy;
    if (object.plain)
        document.metadata["nnscope.note"] = "a plain Python pickle (pickle.dump), not torch.save's "
                                            "layout";
    else
        document.metadata["nnscope.sys_info"] = pickle::to_display(*object.sys_info, 400);
    pickle::add_to_document(document, *object.root, object.storages, {});
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

PytorchObject read_pytorch_object(const std::filesystem::path& path) {
    auto file = FileSource::open(path);
    if (file->size() == 0) fail(path, "the file is empty (0 bytes)");
    const auto head = file->read(0, std::min<std::size_t>(file->size(), 4));
    PytorchObject object;
    if (ZipReader::looks_like_zip(head.data(), head.size())) {
        file.reset();
        const ZipArchive archive = open_archive(path);
        object.root = read_data_pickle(path, archive);
        object.storages = archive.storages;
        object.torchscript = archive.torchscript;
        if (archive.torchscript)
            object.class_source = script_source_lookup(archive.zip, archive.root);
    } else if (head.size() >= 2 && std::to_integer<unsigned char>(head[0]) == 0x80) {
        detail::LegacyObject legacy = detail::read_legacy_object(path, *file);
        object.root = std::move(legacy.root);
        object.storages = std::move(legacy.storages);
    } else {
        fail(path, "neither a zip archive nor a pickle (torch.save writes one or the other)");
    }
    return object;
}

} // namespace nnscope::io
