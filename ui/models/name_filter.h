#pragma once
// What a filter text matches in one document, decided once per text so the module tree and the
// tensor table agree: a module matches when its path or type contains the text, a tensor when its
// full name does or its module matches (case-insensitive). The tree keeps the modules that match
// or hold a tensor whose name matches (and, through recursive filtering, their ancestors); the
// table shows the matching tensors of the selected module.

#include "session/document_snapshot.h"

#include <QString>
#include <memory>
#include <vector>

namespace nnscope::ui {

class NameFilter {
public:
    NameFilter(session::DocumentSnapshotPtr document, const QString& text);

    const QString& text() const { return text_; }
    bool isEmpty() const { return text_.isEmpty(); }
    // Whether this filter was made for `document` (a filter for another file matches nothing).
    bool isFor(const session::DocumentSnapshotPtr& document) const { return document_ == document; }
    // Indices into the document's modules and tensors; everything matches an empty text.
    bool keepsModule(int module) const;
    bool matchesTensor(int tensor) const;

private:
    session::DocumentSnapshotPtr document_;
    QString text_;
    std::vector<char> module_kept_;    // per module
    std::vector<char> tensor_matched_; // per tensor
};

using NameFilterPtr = std::shared_ptr<const NameFilter>;

} // namespace nnscope::ui
