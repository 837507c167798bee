// The builder's starting model, the arguments a new module starts with, and what it hands on:
// Save, Open in browser / Train (through a native file in the app's data folder) and Export.

#include "engine/nn/registry.h"
#include "io/native_model.h"
#include "ui/pages/builder_page.h"
#include "workflows/pytorch_model_export.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <map>

namespace nnscope::ui {

namespace {

io::ModuleSpec leaf(const std::string& type, nn::Arguments arguments = {}) {
    return io::ModuleSpec{type, std::move(arguments), {}, {}};
}

// Values for required arguments that make a small working module.
nn::Value starterValue(const nn::ArgumentSpec& spec) {
    static const std::map<std::string, nn::Value> named = {
        {"in_channels", 3},     {"out_channels", 8},  {"kernel_size", 3},     {"output_size", 1},
        {"num_embeddings", 10}, {"embedding_dim", 8}, {"normalized_shape", 8}};
    if (auto it = named.find(spec.name); it != named.end()) return it->second;
    switch (spec.kind) {
    case nn::ArgumentKind::Int:
    case nn::ArgumentKind::IntOrTuple:
        return 8;
    case nn::ArgumentKind::Float:
        return 1.0;
    case nn::ArgumentKind::Bool:
        return false;
    case nn::ArgumentKind::String:
        return "";
    case nn::ArgumentKind::FloatList:
        return nn::Value::doubles({});
    }
    return {};
}

} // namespace

io::ModuleSpec BuilderPage::exampleSpec() {
    io::ModuleSpec root = leaf("Sequential");
    root.children = {{"0", leaf("Flatten")},
                     {"1", leaf("LazyLinear", {{"out_features", 32}})},
                     {"2", leaf("ReLU")},
                     {"3", leaf("Linear", {{"in_features", 32}, {"out_features", 10}})}};
    nn::TensorDeclaration temperature;
    temperature.name = "temperature";
    temperature.kind = nn::TensorDeclaration::Kind::Buffer;
    temperature.persistent = false;
    temperature.shape = {1};
    temperature.init = nn::TensorDeclaration::Init::Ones;
    root.tensors.push_back(temperature);
    return root;
}

io::ModuleSpec BuilderPage::starterModule(const QString& type) {
    io::ModuleSpec spec = leaf(type.toStdString());
    try {
        for (const nn::ArgumentSpec& argument : nn::module_argument_specs(spec.type))
            if (argument.required)
                spec.arguments.emplace_back(argument.name, starterValue(argument));
    } catch (const std::exception&) {
        // An unknown type: the tree shows it and the model's check says why it does not build.
    }
    return spec;
}

QString BuilderPage::openFrom(const QString& path) {
    try {
        const io::NativeModel model = io::load_native_model(path.toStdString());
        setSeed(model.seed);
        setSpec(model.architecture);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

void BuilderPage::chooseOpenFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                                      tr("Native model files (*.safetensors)"));
    if (path.isEmpty()) return;
    const QString why = openFrom(path);
    setStatusText(why.isEmpty() ? tr("Opened %1").arg(QFileInfo(path).fileName()) : why);
}

QString BuilderPage::saveTo(const QString& path) {
    if (!model_error_.isEmpty()) return tr("The model does not build: %1").arg(model_error_);
    try {
        const io::NativeModel built = io::build_native_model(spec(), seed());
        io::NativeSaveOptions options;
        options.seed = seed();
        // A LazyLinear has no weight to save before its first forward; the file then holds the
        // architecture and seed, which rebuild the same initial weights.
        for (const auto& [name, module] : built.module->named_modules())
            if (module->has_uninitialized_params()) options.with_tensors = false;
        io::save_native_model(path.toStdString(), *built.module, options);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString BuilderPage::exportTo(const QString& path) {
    if (!model_error_.isEmpty()) return tr("The model does not build: %1").arg(model_error_);
    std::string source;
    try {
        workflows::PytorchExportOptions options;
        options.seed = seed();
        options.origin = "a model made in nnscope's builder";
        source = workflows::pytorch_model_source(spec(), options);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(source.data(), static_cast<qint64>(source.size())) !=
            static_cast<qint64>(source.size()) ||
        !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

QString BuilderPage::saveForPage(const QString& name) {
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir)) dir = QDir::tempPath();
    const QString path = QDir(dir).filePath(name);
    if (const QString why = saveTo(path); !why.isEmpty()) {
        setStatusText(why);
        return {};
    }
    return path;
}

void BuilderPage::chooseSaveFile() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save model"), QStringLiteral("model.safetensors"),
                                     tr("Native model files (*.safetensors)"));
    if (path.isEmpty()) return;
    const QString why = saveTo(path);
    setStatusText(why.isEmpty() ? tr("Saved %1").arg(QFileInfo(path).fileName()) : why);
}

void BuilderPage::chooseExportFile() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export to PyTorch"), QStringLiteral("model.py"), tr("Python scripts (*.py)"));
    if (path.isEmpty()) return;
    const QString why = exportTo(path);
    setStatusText(why.isEmpty() ? tr("Wrote %1").arg(QFileInfo(path).fileName()) : why);
}

} // namespace nnscope::ui
