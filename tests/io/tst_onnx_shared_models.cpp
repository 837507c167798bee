// The ONNX files of ../shared/models/onnx (PROVENANCE.md), written by other tools, each run on the
// engine or are refused naming the unsupported nodes. Where the graph is small enough to
// re-compute in PyTorch from its own initializers (tests/golden/gen_onnx_shared.py), the outputs
// match; ONNX's "light" ResNet-50 and SqueezeNet (weights from ConstantOfShape) give softmax
// rows that sum to one; PyTorch 0.3's opset-6 Conv export runs (Conv did not change until opset
// 11) and gives the output ONNX's backend test data holds for it.

#include "engine/ops/reduce.h"
#include "io/onnx/onnx_graph_module.h"
#include "io/onnx/onnx_tensor_file.h"
#include "support/golden.h"

#include <QtTest>

using namespace nnscope;

namespace {

std::string shared_onnx(const char* file) {
    return (test::sharedDir() + QStringLiteral("/models/onnx/") + QLatin1String(file))
        .toStdString();
}

} // namespace

class TestOnnxSharedModels : public QObject {
    Q_OBJECT

private slots:
    void init() {
        if (!test::haveShared("models/onnx")) QSKIP("../shared/models/onnx is not here");
    }

    void matchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("outputs");
        QTest::newRow("burn mnist") << "burn_onnx_mnist"
                                    << "burn_onnx_mnist.onnx" << 1;
        QTest::newRow("wonnx mnist (CNTK, opset 8)") << "wonnx_opt-mnist"
                                                     << "wonnx_opt-mnist.onnx" << 1;
        QTest::newRow("tract keras (tf2onnx)") << "tract_keras_tf2_example"
                                               << "tract_keras_tf2_example.onnx" << 1;
        QTest::newRow("external data") << "external_data"
                                       << "external_data/external_data.onnx" << 1;
        QTest::newRow("burn lstm") << "burn_onnx_lstm"
                                   << "burn_onnx_lstm.onnx" << 3;
    }

    void matchesPyTorch() {
        QFETCH(QString, name);
        QFETCH(QString, file);
        QFETCH(int, outputs);
        const test::GoldenFile golden("onnx_shared/references.safetensors");
        const std::string key = name.toStdString();
        auto net = io::load_onnx_module(shared_onnx(file.toLatin1().constData()));
        net->call({golden.tensor(key + ".input")});
        const auto got = io::onnx_graph_outputs(*net).value();
        QCOMPARE(got.size(), std::size_t(outputs));
        for (int k = 0; k < outputs; ++k)
            NNSCOPE_COMPARE_TENSORS(got[k].detach(),
                                    golden.tensor(key + ".output" + std::to_string(k)), 1e-5, 1e-4);
    }

    void lightModelsRun_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("squeezenet") << "onnx_light_squeezenet.onnx";
        QTest::newRow("resnet50") << "onnx_light_resnet50.onnx";
    }

    void lightModelsRun() {
        QFETCH(QString, file);
        auto net = io::load_onnx_module(shared_onnx(file.toLatin1().constData()));
        const Tensor x = Tensor::full({1, 3, 224, 224}, 0.5);
        const Tensor y = net->call({x}).reshape({1, -1});
        QCOMPARE(y.size(1), std::int64_t(1000));
        QVERIFY(std::abs(sum(y).item() - 1.0) < 1e-4);
    }

    void opset6ConvExportRuns() {
        auto net = io::load_onnx_module(shared_onnx("onnx_pytorch-converted_test_Conv2d.onnx"));
        const std::string data =
            "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/test_data_set_0/";
        if (!QFileInfo::exists(QString::fromStdString(data)))
            QSKIP("libonnx-testdata is not installed: the opset-6 Conv loads, its output is "
                  "not checked");
        const Tensor y = net->call({io::read_onnx_tensor_file(data + "input_0.pb")});
        NNSCOPE_COMPARE_TENSORS(y, io::read_onnx_tensor_file(data + "output_0.pb"), 1e-7, 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestOnnxSharedModels)
#include "tst_onnx_shared_models.moc"
