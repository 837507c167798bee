#include "ui/app_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QObject>

namespace nnscope::ui {

QString resourcesDir() {
    QStringList candidates;
    const QString env = qEnvironmentVariable("NNSCOPE_RESOURCES_DIR");
    if (!env.isEmpty()) candidates << env;
    const QString bin = QCoreApplication::applicationDirPath();
    candidates << bin + QStringLiteral("/resources") << bin + QStringLiteral("/../share/nnscope")
               << QStringLiteral(NNSCOPE_RESOURCES_DIR);
    for (const QString& dir : candidates)
        if (QFileInfo(dir + QStringLiteral("/models")).isDir()) return QDir::cleanPath(dir);
    return {};
}

QString defaultModelPath() {
    const QString dir = resourcesDir();
    return dir.isEmpty() ? QString() : dir + QStringLiteral("/models/mlp.safetensors");
}

QString modelFileFilters() {
    return QObject::tr("Model files (*.pt *.pth *.bin *.ckpt *.safetensors *.onnx);;"
                       "PyTorch (*.pt *.pth *.bin *.ckpt);;safetensors (*.safetensors);;"
                       "ONNX (*.onnx);;All files (*)");
}

} // namespace nnscope::ui
