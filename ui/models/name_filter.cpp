#include "ui/models/name_filter.h"

namespace nnscope::ui {

namespace {

bool contains(const std::string& haystack, const QString& needle) {
    return QString::fromStdString(haystack).contains(needle, Qt::CaseInsensitive);
}

} // namespace

NameFilter::NameFilter(session::DocumentSnapshotPtr document, const QString& text)
    : document_(std::move(document))
    , text_(text.trimmed()) {
    if (!document_ || text_.isEmpty()) return;
    const auto& modules = document_->modules;
    std::vector<char> module_matched(modules.size(), 0);
    for (std::size_t m = 0; m < modules.size(); ++m)
        module_matched[m] = contains(modules[m].path, text_) || contains(modules[m].type, text_);
    module_kept_ = module_matched;
    tensor_matched_.assign(document_->tensors.size(), 0);
    for (std::size_t m = 0; m < modules.size(); ++m)
        for (const int t : modules[m].tensors) {
            const auto ti = static_cast<std::size_t>(t);
            const bool by_name = contains(document_->tensors[ti].name, text_);
            tensor_matched_[ti] = by_name || module_matched[m];
            if (by_name) module_kept_[m] = 1;
        }
}

bool NameFilter::keepsModule(int module) const {
    if (text_.isEmpty()) return true;
    return module >= 0 && static_cast<std::size_t>(module) < module_kept_.size() &&
           module_kept_[static_cast<std::size_t>(module)];
}

bool NameFilter::matchesTensor(int tensor) const {
    if (text_.isEmpty()) return true;
    return tensor >= 0 && static_cast<std::size_t>(tensor) < tensor_matched_.size() &&
           tensor_matched_[static_cast<std::size_t>(tensor)];
}

} // namespace nnscope::ui
