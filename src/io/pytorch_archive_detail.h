#pragma once
// Internal to the PyTorch file readers (pytorch_archive.cpp, pytorch_legacy.cpp): the error
// helpers and storage persistent ids both formats share, and the legacy format's reader.

#include "io/file_source.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/globals.h"
#include "io/pytorch_archive.h"

#include <filesystem>
#include <memory>
#include <string>

namespace nnscope::io::detail {

// A pickle larger than this is not a model's object tree.
constexpr std::uint64_t max_pickle_bytes = std::uint64_t(1) << 31;

[[noreturn]] inline void fail(const std::filesystem::path& path, const std::string& problem) {
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

// The parts of a ('storage', storage_type, key, location, numel[, view]) persistent id.
struct StorageId {
    DType dtype;
    std::string type_name;
    std::string key;
    std::string location;
    std::int64_t numel;
    const pickle::Value* view = nullptr; // legacy only: None or (view_key, offset, view_size)
};

StorageId parse_storage_id(const pickle::Value& pid, std::size_t arity);

pickle::ValuePtr storage_value(std::shared_ptr<const pickle::StorageRef> ref);

// The object of a legacy-format file (or of a plain pickle, `plain`), with its storages.
struct LegacyObject {
    pickle::ValuePtr root;
    pickle::ValuePtr sys_info; // null for a plain pickle
    std::shared_ptr<const pickle::StorageProvider> storages;
    bool plain = false;
};
LegacyObject read_legacy_object(const std::filesystem::path& path, const FileSource& source);

} // namespace nnscope::io::detail
