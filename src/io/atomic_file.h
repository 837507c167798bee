#pragma once
// Saving a file so that a crash, a kill or a full disk at any moment leaves either the old file
// or the complete new one under the target's name, never a torn one: the bytes go to a temporary
// file in the target's folder (a rename is atomic only within one file system), are flushed to
// the disk (fsync), and the temporary is renamed over the target, then the folder is flushed so
// that the rename itself survives a power cut. Until commit() the target is untouched; an
// AtomicFile destroyed without commit() removes its temporary.
//
// The temporary is named "<target name>.partial-<pid>-<6 random letters>" (libzip, writing it
// by path, adds its own ".XXXXXX" behind that). A process killed while saving leaves it behind;
// the next save of the same target removes those whose process is gone (the pid is not running
// on this machine), so leftovers do not pile up. Every error is a std::runtime_error naming the
// target and the system's reason ("No space left on device", "Permission denied").

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace nnscope::io {

class AtomicFile {
public:
    // Creates the temporary: with the mode of the file it replaces, else 0666 less the umask
    // as a plain open would. A symbolic link target saves to the file the link names.
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& target() const { return target_; }
    const std::filesystem::path& temporary() const { return temporary_; }

    void write(const void* data, std::size_t size);
    void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }

    // For a writer that can only write to a path (libzip, QPdfWriter): closes this handle, the
    // caller then (re)writes temporary() by its name, and commit() flushes what is there.
    void release_to_path_writer();

    // Flushes the temporary, renames it over the target and flushes the folder.
    void commit();

private:
    [[noreturn]] void fail(std::string_view what, int error) const;

    std::filesystem::path target_;
    std::filesystem::path temporary_;
    int fd_ = -1;
    bool committed_ = false;
};

// `bytes` as the whole content of `path`, atomically (AtomicFile).
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// For a writer that only takes a file name (QImage::save, QPdfWriter, QCustomPlot's savePng):
// `write(temporary)` writes the temporary file by name and says whether it could; the target is
// replaced only then. Returns what `write` returned; AtomicFile's own failures throw.
template <typename Write>
bool write_through_path(const std::filesystem::path& path, Write&& write) {
    AtomicFile file(path);
    file.release_to_path_writer();
    if (!write(file.temporary())) return false;
    file.commit();
    return true;
}

} // namespace nnscope::io
