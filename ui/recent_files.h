#pragma once
// The Open Recent list: which remembered files to offer and how to label them.

#include <QString>
#include <QStringList>

namespace nnscope::ui {

// The files still there, newest first, without `excluded` (the bundled default model, which is
// opened when no file is given and is no file of the user's) and without repeats.
QStringList existingRecentFiles(const QStringList& files, const QString& excluded);

// For each path, its shortest tail of path components that no other path in the list ends with:
// "pytorch_model.bin" alone, but "a/pytorch_model.bin" and "b/pytorch_model.bin" side by side.
QStringList uniquePathTails(const QStringList& paths);

} // namespace nnscope::ui
