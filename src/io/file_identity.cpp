#include "io/file_identity.h"

#include <cstdio>
#include <sys/stat.h>

namespace nnscope::io {

namespace {

FileIdentity from_stat(const struct stat& info) {
    return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
            static_cast<std::uint64_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

} // namespace

std::optional<FileIdentity> FileIdentity::of(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
    return from_stat(info);
}

std::optional<FileIdentity> FileIdentity::of_descriptor(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) return std::nullopt;
    return from_stat(info);
}

std::string human_size(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string describe_file_change(const std::filesystem::path& path, const FileIdentity& opened,
                                 const std::optional<FileIdentity>& now) {
    std::string how;
    if (!now)
        how = "deleted";
    else if (now->device != opened.device || now->inode != opened.inode)
        how = "replaced by another file";
    else if (now->size != opened.size)
        how = "size " + human_size(opened.size) + " -> " + human_size(now->size);
    else
        how = "rewritten";
    return path.filename().string() + " changed on disk after it was opened (" + how +
           "); reload it";
}

} // namespace nnscope::io
