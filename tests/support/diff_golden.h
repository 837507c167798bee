#pragma once
// The checkpoint-comparison goldens (tests/golden/diff, made by gen_diff.py with PyTorch 1.13),
// shared by the CLI and the Compare page tests.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QtGlobal>

namespace nnscope::test {

inline QString diff_golden(const char* file) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/diff/") + QString::fromLatin1(file);
}

// PyTorch's figures for the pairs of a.pt and b.pt and for the epochs folder.
inline QJsonObject diff_expected() {
    QFile file(diff_golden("expected.json"));
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read diff/expected.json");
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace nnscope::test
