#pragma once
// The readers take paths and memory-map their files, so a fuzz input goes into one in-memory
// file (tests/support/memory_file.h, shared with the tests that cut files byte by byte).

#include "engine/tensor.h"
#include "io/model_document.h"
#include "io/tensor_bytes.h"
#include "support/memory_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

namespace nnscope::fuzz {

// The same in-memory file for every input of a run, holding exactly the input's bytes.
class InputFile {
public:
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        return file_.write({reinterpret_cast<const char*>(data), size});
    }

private:
    test::MemoryFile file_;
};

inline InputFile& input_file() {
    static InputFile file;
    return file;
}

// For readers that look at the file's name or folder (ONNX: the extension picks the format,
// external data is resolved next to the model): the input as `name` alone in a fresh private
// folder, so that whatever external data a file names can only be the input itself or missing.
class NamedInputFile {
public:
    explicit NamedInputFile(const std::string& name) {
        std::string folder = (std::filesystem::temp_directory_path() / "nnscope-fuzz-XXXXXX");
        if (!::mkdtemp(folder.data())) std::abort();
        folder_ = folder;
        path_ = (folder_ / name).string();
    }
    ~NamedInputFile() {
        std::error_code ec;
        std::filesystem::remove_all(folder_, ec);
    }
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out) std::abort();
        return path_;
    }

private:
    std::filesystem::path folder_;
    std::string path_;
};

// Reads every element, so that a view reaching outside its storage shows up under ASan. Tensors
// whose shape alone is huge (stride-0 views are legal) are left untouched: walking them would be
// the fuzz target's own allocation, not the reader's.
inline void touch(const Tensor& t) {
    if (t.numel() <= (std::int64_t(1) << 22)) io::to_double_values(t);
}

// Loads and reads every tensor of a document, as the window does; a tensor that fails to load
// with a clear error is fine.
inline void load_all(const io::ModelDocument& document) {
    for (const auto& entry : document.tensors) {
        try {
            touch(entry.load());
        } catch (const std::exception&) {
        }
    }
}

} // namespace nnscope::fuzz
