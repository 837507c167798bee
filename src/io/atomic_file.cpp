#include "io/atomic_file.h"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace nnscope::io {

namespace {

const std::string partial_marker = ".partial-";

std::filesystem::path folder_of(const std::filesystem::path& target) {
    const std::filesystem::path folder = target.parent_path();
    return folder.empty() ? std::filesystem::path(".") : folder;
}

// Removes "<name>.partial-<pid>-..." files in `folder` whose process no longer runs: what a
// save killed half-way left behind. A running pid (ours, or a reused one) keeps its files.
void remove_abandoned_temporaries(const std::filesystem::path& folder, const std::string& name) {
    const std::string prefix = name + partial_marker;
    std::error_code error;
    for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end;
         it.increment(error)) {
        const std::string entry = it->path().filename().string();
        if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
        const char* digits = entry.data() + prefix.size();
        const char* last = entry.data() + entry.size();
        pid_t pid = 0;
        const auto [next, parsed] = std::from_chars(digits, last, pid);
        if (parsed != std::errc() || next == last || *next != '-' || pid <= 0) continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
        std::error_code ignored;
        std::filesystem::remove(it->path(), ignored);
    }
}

std::string random_letters(std::size_t n) {
    static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    thread_local std::mt19937 generator{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, sizeof(letters) - 2);
    std::string text(n, 'a');
    for (char& c : text)
        c = letters[pick(generator)];
    return text;
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)) {
    // Saving through a symbolic link replaces the file it names, not the link.
    std::error_code link_error;
    if (std::filesystem::is_symlink(target_, link_error)) {
        const auto resolved = std::filesystem::weakly_canonical(target_, link_error);
        if (!link_error) target_ = resolved;
    }
    const std::filesystem::path folder = folder_of(target_);
    const std::string name = target_.filename().string();
    if (name.empty() || name == "." || name == "..") fail("not a file name", EISDIR);
    remove_abandoned_temporaries(folder, name);
    const std::string stem = name + partial_marker + std::to_string(::getpid()) + "-";
    for (int attempt = 0; fd_ < 0; ++attempt) {
        temporary_ = folder / (stem + random_letters(6));
        // O_EXCL: never write into a file someone else made; 0666 lets the umask decide, as for
        // any file the user creates.
        fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ < 0 && (errno != EEXIST || attempt > 100)) {
            const int error = errno;
            temporary_.clear();
            fail("cannot create a file in its folder", error);
        }
    }
    // A file saved again keeps its permissions (a private 0600 checkpoint stays private).
    struct stat existing {};
    if (::stat(target_.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
        ::fchmod(fd_, existing.st_mode & 07777);
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::fail(std::string_view what, int error) const {
    throw std::runtime_error("cannot save '" + target_.string() + "': " + std::string(what) + ": " +
                             std::strerror(error));
}

void AtomicFile::write(const void* data, std::size_t size) {
    if (fd_ < 0) throw std::logic_error("AtomicFile::write after release or commit");
    const char* bytes = static_cast<const char*>(data);
    while (size > 0) {
        // Linux writes at most ~2 GB per call; a short write is not an error.
        const ssize_t n = ::write(fd_, bytes, std::min<std::size_t>(size, std::size_t{1} << 30));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write failed", errno);
        }
        bytes += n;
        size -= static_cast<std::size_t>(n);
    }
}

void AtomicFile::release_to_path_writer() {
    if (fd_ >= 0 && ::close(fd_) != 0) {
        fd_ = -1;
        fail("write failed", errno);
    }
    fd_ = -1;
}

void AtomicFile::commit() {
    if (committed_) throw std::logic_error("AtomicFile::commit twice");
    if (fd_ < 0) { // a path writer wrote it: flush the file now under that name
        fd_ = ::open(temporary_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) fail("the temporary file vanished", errno);
    }
    // Without this flush a power cut after the rename can leave the target empty (ext4's
    // delayed allocation): the rename reaches the disk before the data.
    if (::fsync(fd_) != 0) fail("cannot flush to disk", errno);
    const int closing = ::close(fd_);
    fd_ = -1;
    if (closing != 0) fail("write failed", errno); // NFS reports a full disk at close
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail("cannot rename into place", errno);
    committed_ = true;
    const int folder = ::open(folder_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) { // the new name is in place; a folder that cannot be flushed loses nothing
        ::fsync(folder);
        ::close(folder);
    }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

} // namespace nnscope::io
