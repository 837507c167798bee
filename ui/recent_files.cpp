#include "ui/recent_files.h"

#include <QDir>
#include <QFileInfo>

namespace nnscope::ui {

namespace {

QString canonical(const QString& path) {
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(path) : resolved;
}

// The last `count` components of `parts`, joined with '/'.
QString tail(const QStringList& parts, qsizetype count) {
    return parts.mid(parts.size() - count).join(QLatin1Char('/'));
}

} // namespace

QStringList existingRecentFiles(const QStringList& files, const QString& excluded) {
    const QString skip = excluded.isEmpty() ? QString() : canonical(excluded);
    QStringList kept;
    QStringList seen;
    for (const QString& file : files) {
        if (!QFileInfo(file).isFile()) continue;
        const QString key = canonical(file);
        if (key == skip || seen.contains(key)) continue;
        seen << key;
        kept << file;
    }
    return kept;
}

QStringList uniquePathTails(const QStringList& paths) {
    QList<QStringList> parts;
    for (const QString& path : paths)
        parts << QDir::cleanPath(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QStringList labels;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        qsizetype count = 1;
        for (; count < parts[i].size(); ++count) {
            const QString mine = tail(parts[i], count);
            bool shared = false;
            for (qsizetype j = 0; j < parts.size() && !shared; ++j)
                shared = j != i && parts[j].size() >= count && tail(parts[j], count) == mine;
            if (!shared) break;
        }
        labels << tail(parts[i], count);
    }
    return labels;
}

} // namespace nnscope::ui
