// The four torchvision models of issue #16 rebuilt from the files PyTorch wrote
// (NNSCOPE_VISION_MODELS: M.pickle.pt, M.trace.pt, M.script.pt; gen_vision_models.py) as engine
// modules: the output and the input's gradient must be PyTorch 1.13's (tests/golden/vision/
// M.safetensors) within 1e-4 of their scale. mobilenet_v2's input gradient in float32 flips a
// few entries at ReLU6 kinks, so it is compared in float64 against PyTorch's float64 gradient
// (tests/golden/vision/mobilenet_v2.float64.safetensors, gen_vision_float64.py).

#include "io/module_rebuild.h"
#include "vision_golden.h"

#include <QtTest>
#include <filesystem>

using namespace nnscope;

namespace {

const char* const kModels[] = {"resnet18", "mobilenet_v2", "squeezenet1_1", "efficientnet_b0"};

std::filesystem::path model_file(const QString& name, const QString& format) {
    return std::filesystem::path(NNSCOPE_VISION_MODELS) /
           (name + "." + format + ".pt").toStdString();
}

} // namespace

class TestModuleRebuildVision : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("format");
        for (const char* name : kModels)
            for (const char* format : {"pickle", "trace", "script"})
                QTest::addRow("%s.%s", name, format) << name << format;
    }
    void matchesPyTorch() {
        QFETCH(QString, name);
        QFETCH(QString, format);
        const auto file = model_file(name, format);
        if (!std::filesystem::exists(file))
            QSKIP(qPrintable(QStringLiteral("%1 is missing: the vision_models fixture (PyTorch) "
                                            "did not write it")
                                 .arg(QString::fromStdString(file.string()))));
        const auto model = io::rebuild_pytorch_module(file);
        QVERIFY(!model->is_training());
        const test::GoldenFile golden("vision/" + name.toStdString() + ".safetensors");
        Tensor x = golden.tensor("input").clone();
        x.requires_grad_(true);
        const Tensor y = (*model)(x);
        NNSCOPE_COMPARE_TO_SCALE(y, golden.tensor("output"), 1e-4);
        if (name == "mobilenet_v2") return; // its gradient: mobilenetGradientFloat64
        y.backward(golden.tensor("grad_output"));
        NNSCOPE_COMPARE_TO_SCALE(x.grad(), golden.tensor("grad.input"), 1e-4);
    }

    void mobilenetGradientFloat64_data() {
        QTest::addColumn<QString>("format");
        for (const char* format : {"pickle", "trace", "script"})
            QTest::newRow(format) << format;
    }
    void mobilenetGradientFloat64() {
        QFETCH(QString, format);
        const auto file = model_file("mobilenet_v2", format);
        if (!std::filesystem::exists(file))
            QSKIP(qPrintable(QStringLiteral("%1 is missing: the vision_models fixture (PyTorch) "
                                            "did not write it")
                                 .arg(QString::fromStdString(file.string()))));
        const auto model = io::rebuild_pytorch_module(file);
        test::to_float64(*model);
        const test::GoldenFile golden("vision/mobilenet_v2.safetensors");
        Tensor x = golden.tensor("input").to(DType::Float64);
        x.requires_grad_(true);
        (*model)(x).backward(golden.tensor("grad_output").to(DType::Float64));
        const test::GoldenFile wide("vision/mobilenet_v2.float64.safetensors");
        NNSCOPE_COMPARE_TO_SCALE(x.grad(), wide.tensor("grad.input"), 1e-4);
    }

    // A block rebuilt alone by module path is torchvision's block.
    void submoduleByPath() {
        const auto file = model_file("resnet18", "pickle");
        if (!std::filesystem::exists(file)) QSKIP("resnet18.pickle.pt is missing");
        const auto block = io::rebuild_pytorch_module(file, "layer2.0");
        QCOMPARE(block->type_name(), std::string("BasicBlock"));
        QVERIFY(block->child("downsample"));
    }
};

QTEST_GUILESS_MAIN(TestModuleRebuildVision)
#include "tst_module_rebuild_vision.moc"
