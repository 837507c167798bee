// The four torchvision models exported with torch.onnx (gen_vision_models.py, opsets 11, 13, 15,
// 17) run on the engine as ONNX graphs: the output and the input gradient of
// sum(output * grad_output) match PyTorch 1.13's (tests/golden/vision/M.safetensors) within 1e-4
// relative to each tensor's scale. Every node is a module of its own, so hooks fire per node.

#include "engine/autograd/grad_mode.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "io/onnx/onnx_graph_module.h"
#include "support/golden.h"

#include <QFileInfo>
#include <QtTest>
#include <cmath>

using namespace nnscope;

namespace {

// max |a - b| <= rtol * max |b| + tiny: relative to the tensor's scale.
void compare_scaled(const Tensor& actual, const Tensor& expected, double rtol, const char* what) {
    QCOMPARE(actual.shape(), expected.shape());
    const auto a = actual.to_vector(), b = expected.to_vector();
    double scale = 0, worst = 0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        scale = std::max(scale, std::abs(b[i]));
        if (!(std::abs(a[i] - b[i]) <= worst)) {
            worst = std::abs(a[i] - b[i]);
            at = i;
        }
    }
    if (!(worst <= rtol * scale + 1e-12))
        QFAIL(qPrintable(QStringLiteral("%1: max error %2 at %3 (got %4, want %5), scale %6")
                             .arg(QLatin1String(what))
                             .arg(worst)
                             .arg(at)
                             .arg(a[at])
                             .arg(b[at])
                             .arg(scale)));
}

} // namespace

class TestOnnxVision : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("float64Gradient");
        QTest::newRow("resnet18") << QStringLiteral("resnet18") << false;
        // ReLU6 (Clip) kinks: a few float32 pre-activations sit on 0 or 6 and flip.
        QTest::newRow("mobilenet_v2") << QStringLiteral("mobilenet_v2") << true;
        QTest::newRow("squeezenet1_1") << QStringLiteral("squeezenet1_1") << false;
        QTest::newRow("efficientnet_b0") << QStringLiteral("efficientnet_b0") << false;
    }

    void matchesPyTorch() {
        QFETCH(QString, model);
        QFETCH(bool, float64Gradient);
        const QString file = QStringLiteral(NNSCOPE_VISION_MODELS "/") + model + ".onnx";
        if (!QFileInfo::exists(file))
            QSKIP(qPrintable(file + " is missing: the vision_models fixture makes it (PyTorch)"));
        const test::GoldenFile golden("vision/" + model.toStdString() + ".safetensors");
        const Tensor input = golden.tensor("input");
        const Tensor grad_output = golden.tensor("grad_output");

        auto net = io::load_onnx_module(file.toStdString());
        net->eval();
        std::size_t fired = 0;
        for (const auto& child : net->children())
            child->register_forward_hook(
                [&fired](nn::Module&, const std::vector<Tensor>&, const Tensor&) {
                    ++fired;
                    return Tensor();
                });
        Tensor x = input.clone().detach();
        x.requires_grad_(true);
        const Tensor y = net->call({x});
        QCOMPARE(fired, net->children().size());
        compare_scaled(y.detach(), golden.tensor("output"), 1e-4, "output");
        if (!float64Gradient) {
            sum(mul(y, grad_output)).backward();
            compare_scaled(x.grad(), golden.tensor("grad.input"), 1e-4, "grad.input");
            return;
        }
        auto net64 = io::load_onnx_module(file.toStdString(), {.float64 = true});
        Tensor x64 = input.to(DType::Float64);
        x64.requires_grad_(true);
        const Tensor y64 = net64->call({x64});
        QCOMPARE(y64.dtype(), DType::Float64);
        sum(mul(y64, grad_output.to(DType::Float64))).backward();
        compare_scaled(x64.grad(), golden.tensor("grad.input").to(DType::Float64), 1e-4,
                       "grad.input (float64)");
    }

    void nodesAreModulesWithTheirScope() {
        const QString file = QStringLiteral(NNSCOPE_VISION_MODELS "/resnet18.onnx");
        if (!QFileInfo::exists(file)) QSKIP("resnet18.onnx is missing");
        auto net = io::load_onnx_module(file.toStdString());
        QCOMPARE(net->children().size(), std::size_t(49));
        const auto children = net->named_children();
        QCOMPARE(children.front().second->type_name(), std::string("Conv"));
        QCOMPARE(io::onnx_node_scope(*children.front().second),
                 std::optional<std::string>("conv1"));
        QCOMPARE(io::onnx_node_scope(*net), std::nullopt);
        // torch.onnx folded each BatchNorm into its Conv: 21 weights and biases.
        // fc.weight and fc.bias are parameters of the Gemm node's module.
        const nn::Module& gemm = *children.back().second;
        QCOMPARE(gemm.type_name(), std::string("Gemm"));
        QCOMPARE(gemm.parameters().size(), std::size_t(2));
        QCOMPARE(net->parameters().size(), std::size_t(42));
    }
};

QTEST_GUILESS_MAIN(TestOnnxVision)
#include "tst_onnx_vision.moc"
