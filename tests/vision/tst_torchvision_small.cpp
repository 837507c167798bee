// MobileNetV3, ShuffleNetV2 and DenseNet (the families beyond tst_torchvision_golden's four)
// against PyTorch 1.13 on a small input, in float64: weights drawn as
// tests/golden/gen_torchvision_small.py draws them (the engine's generator and uniform_ are
// PyTorch's, bit for bit), then the output and the input's gradient within 1e-4 of their scale.

#include "engine/generator.h"
#include "engine/nn/init.h"
#include "engine/random.h"
#include "vision/torchvision_models.h"
#include "vision_golden.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;

namespace {

// gen_torchvision_small.py's fill(): every state_dict tensor, in order, from one generator.
void fill(nn::Module& model, std::uint64_t seed) {
    Generator gen(seed);
    for (auto& [key, t] : model.state_dict()) {
        Tensor target = t;
        if (key.ends_with("num_batches_tracked")) continue;
        if (key.ends_with("running_mean")) {
            uniform_(target, -0.1, 0.1, gen);
        } else if (key.ends_with("running_var")) {
            uniform_(target, 0.5, 1.5, gen);
        } else if (t.dim() > 1) {
            const auto fan_in = static_cast<double>(t.numel() / t.shape()[0]);
            const double bound = std::sqrt(3.0 / fan_in) * (t.dim() == 4 ? std::sqrt(2.0) : 1.0);
            uniform_(target, -bound, bound, gen);
        } else if (key.ends_with("weight")) {
            uniform_(target, 0.5, 1.5, gen);
        } else {
            uniform_(target, -0.1, 0.1, gen);
        }
    }
}

} // namespace

class TestTorchvisionSmall : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("seed");
        QTest::newRow("mobilenet_v3_small") << QStringLiteral("mobilenet_v3_small") << 1701;
        QTest::newRow("shufflenet_v2_x0_5") << QStringLiteral("shufflenet_v2_x0_5") << 1702;
        QTest::newRow("densenet121") << QStringLiteral("densenet121") << 1703;
    }

    void matchesPyTorch() {
        QFETCH(QString, name);
        QFETCH(int, seed);
        std::shared_ptr<nn::Module> model;
        {
            nn::init::SkipInitGuard skip; // every tensor is drawn by fill()
            model = vision::build_torchvision_model(name.toStdString());
        }
        fill(*model, static_cast<std::uint64_t>(seed));
        test::to_float64(*model);
        model->eval();
        const test::GoldenFile golden("vision/small.safetensors");
        const std::string key = name.toStdString();
        Tensor x = golden.tensor("input").to(DType::Float64);
        x.requires_grad_(true);
        const Tensor y = (*model)(x);
        QCOMPARE(y.dtype(), DType::Float64);
        NNSCOPE_COMPARE_TO_SCALE(y, golden.tensor(key + ".output"), 1e-4);
        y.backward(golden.tensor(key + ".grad_output").to(DType::Float64));
        NNSCOPE_COMPARE_TO_SCALE(x.grad(), golden.tensor(key + ".grad.input"), 1e-4);
    }
};

QTEST_GUILESS_MAIN(TestTorchvisionSmall)
#include "tst_torchvision_small.moc"
