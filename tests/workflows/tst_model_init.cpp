// A training run's initialisation and loss against real PyTorch 1.13
// (tests/golden/gen_train_init.py): the bundled mlp and cnn built after manual_seed(seed) and
// then model.apply(init) for every scheme give PyTorch's parameters, and the DataLoader made
// afterwards shuffles in PyTorch's order (so each init draws exactly as much from the generator
// as PyTorch's). A TrainingRun applies the init where the script does; the losses of
// train_loss.h are PyTorch's on a fixed batch.

#include "data/config_error.h"
#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "data/dataset_spec.h"
#include "engine/generator.h"
#include "engine/ops/activation.h"
#include "io/architecture.h"
#include "io/native_model.h"
#include "workflows/default_models.h"
#include "workflows/learnable_data.h"
#include "workflows/model_init.h"
#include "workflows/train_loss.h"
#include "workflows/training_run.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::workflows;
using Json = nlohmann::json;

namespace {

const Json& golden() {
    static const Json doc = [] {
        std::ifstream in(std::string(NNSCOPE_GOLDEN_DIR) + "/train_init/train_init.json");
        return Json::parse(in);
    }();
    return doc;
}

// The bundled model built after manual_seed(seed) and initialised, on the generator that is
// the default meanwhile.
io::NativeModel initialised(const std::string& name, std::uint64_t seed, const InitConfig& init) {
    io::NativeModel model =
        io::build_native_model(io::parse_architecture(*default_model_architecture(name)), seed);
    apply_init(*model.module, init);
    return model;
}

// Each parameter's sum and first values against PyTorch's.
void compareParameters(nn::Module& model, const Json& expected, const QString& what) {
    const auto state = model.state_dict();
    QCOMPARE(state.size(), expected.size());
    for (const auto& [key, tensor] : state) {
        const Json& e = expected.at(key);
        const auto values = tensor.to_vector();
        double sum = 0;
        for (const double v : values)
            sum += v;
        const double want = e.at("sum").get<double>();
        QVERIFY2(std::abs(sum - want) <= 1e-9 + 1e-9 * std::abs(want),
                 qPrintable(what + " " + QString::fromStdString(key) + ": sum " +
                            QString::number(sum, 'g', 17) + " vs " +
                            QString::number(want, 'g', 17)));
        for (std::size_t i = 0; i < e.at("first").size(); ++i)
            QCOMPARE(values[i], e.at("first")[i].get<double>());
    }
}

// DataLoader(range(64), batch_size=16, shuffle=True): the first epoch's order.
std::vector<std::int64_t> shuffledOrder() {
    data::DataLoaderOptions o;
    o.batch_size = 16;
    o.shuffle = true;
    data::DataLoader loader(data::open_dataset("range:64", data::Split::Train), o);
    std::vector<std::int64_t> order;
    auto it = loader.iter();
    while (auto batch = it->next())
        order.insert(order.end(), batch->indices.begin(), batch->indices.end());
    return order;
}

} // namespace

class TestModelInit : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<int>("index");
        const Json& cases = golden().at("inits");
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Json& c = cases[i];
            const std::string row = c.at("model").get<std::string>() + " seed " +
                                    std::to_string(c.at("seed").get<int>()) + " " +
                                    c.at("scheme").get<std::string>();
            QTest::newRow(row.c_str()) << static_cast<int>(i);
        }
    }
    void matchesPyTorch() {
        QFETCH(int, index);
        const Json& c = golden().at("inits")[static_cast<std::size_t>(index)];
        Generator generator;
        DefaultGeneratorScope scope(generator);
        const InitConfig init{c.at("scheme").get<std::string>(), c.at("std").get<double>()};
        const io::NativeModel model =
            initialised(c.at("model").get<std::string>(), c.at("seed").get<std::uint64_t>(), init);
        compareParameters(*model.module, c.at("parameters"), QTest::currentDataTag());
        QCOMPARE(shuffledOrder(), c.at("order").get<std::vector<std::int64_t>>());
    }

    // Zeros leaves nothing but zeros; default leaves the model as built.
    void zerosAndDefault() {
        Generator a, b;
        io::NativeModel zeros, plain;
        {
            DefaultGeneratorScope scope(a);
            zeros = initialised("cnn", 3, {"zeros", 0.01});
        }
        for (const auto& p : zeros.module->parameters())
            for (const double v : p.to_vector())
                QCOMPARE(v, 0.0);
        {
            DefaultGeneratorScope scope(b);
            plain = initialised("cnn", 3, {});
        }
        const io::NativeModel built =
            io::build_native_model(io::parse_architecture(*default_model_architecture("cnn")), 3);
        QCOMPARE(plain.module->state_dict().at("0.weight").to_vector(),
                 built.module->state_dict().at("0.weight").to_vector());
    }

    // The run initialises right after building the model, before the optimizer and the loader.
    void trainingRunAppliesIt() {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("idx")));
        test::write_learnable_data(dir.path().toStdString());
        TrainingConfig c;
        c.loader.dataset = "mnist:" + dir.filePath("idx").toStdString();
        c.seed = 7;
        c.init = {"kaiming_normal", 0.01};
        TrainingRun run(c);
        for (const Json& g : golden().at("inits"))
            if (g.at("model") == "mlp" && g.at("seed") == 7 && g.at("scheme") == "kaiming_normal")
                compareParameters(run.model(), g.at("parameters"), "run");
        QVERIFY(run.step().has_value());
        c.init.scheme = "zeros";
        TrainingRun zero(c);
        QVERIFY(std::isfinite(zero.step()->loss)); // ln(10) at first: every logit is 0
    }

    void init_errors() {
        Generator generator;
        DefaultGeneratorScope scope(generator);
        io::NativeModel model = initialised("mlp", 0, {});
        QVERIFY_THROWS_EXCEPTION(data::ConfigError, apply_init(*model.module, {"orthogonal", 0}));
        QVERIFY_THROWS_EXCEPTION(data::ConfigError, apply_init(*model.module, {"normal", -1}));
    }

    void callsAsPyTorchText() {
        QCOMPARE(init_call({"default", 0.01}), std::string());
        QCOMPARE(init_call({"xavier_uniform", 0.01}),
                 std::string("nn.init.xavier_uniform_(m.weight)"));
        QCOMPARE(init_call({"kaiming_normal", 0.01}),
                 std::string("nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\")"));
        QCOMPARE(init_call({"normal", 0.02}), std::string("nn.init.normal_(m.weight, 0.0, 0.02)"));
        QCOMPARE(loss_call({}), std::string("nn.CrossEntropyLoss()"));
        QCOMPARE(loss_call({"cross_entropy", 0.1}),
                 std::string("nn.CrossEntropyLoss(label_smoothing=0.1)"));
        QCOMPARE(loss_call({"nll", 0}), std::string("nn.NLLLoss()"));
    }

    void lossesMatchPyTorch() {
        const Json& g = golden().at("losses");
        Generator generator;
        DefaultGeneratorScope scope(generator);
        const io::NativeModel model = initialised("mlp", g.at("seed").get<std::uint64_t>(), {});
        std::vector<double> pixels(16 * 28 * 28);
        for (std::size_t i = 0; i < pixels.size(); ++i)
            pixels[i] = static_cast<float>(std::sin(static_cast<double>(i) * 1.37 + 0.3));
        const Tensor x = Tensor::from_vector(pixels, {16, 1, 28, 28});
        const Tensor labels =
            Tensor::from_int64(g.at("labels").get<std::vector<std::int64_t>>(), {16});
        const Tensor logits = (*model.module)(x);
        auto near = [](double a, double e) { return std::abs(a - e) <= 1e-6 * std::abs(e) + 1e-7; };
        QVERIFY(near(compute_loss({}, logits, labels).item(), g.at("cross_entropy")));
        QVERIFY(near(compute_loss({"cross_entropy", 0.1}, logits, labels).item(),
                     g.at("cross_entropy_smoothed")));
        QVERIFY(near(compute_loss({"nll", 0}, logits, labels).item(), g.at("nll_logits")));
        QVERIFY(near(compute_loss({"nll", 0}, log_softmax(logits, 1), labels).item(),
                     g.at("nll_log_softmax")));
        QVERIFY_THROWS_EXCEPTION(data::ConfigError, compute_loss({"mse", 0}, logits, labels));
    }
};

QTEST_GUILESS_MAIN(TestModelInit)
#include "tst_model_init.moc"
