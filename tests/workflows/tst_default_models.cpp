// The built-in models of the workflows: the bundled files in resources/models (written by
// PyTorch, generate.py) hold exactly what load_model builds for mlp and cnn from the
// architecture and seed 0; textcls is the torchtext tutorial's model; forward_batch and
// model_batch feed images and text batches, with errors for what they cannot feed.

#include "engine/nn/linear.h"
#include "io/safetensors.h"
#include "support/errors.h"
#include "support/golden.h"
#include "workflows/default_models.h"
#include "workflows/train_model.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::workflows;

class TestDefaultModels : public QObject {
    Q_OBJECT

private slots:
    void bundledFilesMatchBuiltIn_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("mlp") << QStringLiteral("mlp");
        QTest::newRow("cnn") << QStringLiteral("cnn");
    }
    // The file's tensors are PyTorch's init after manual_seed(0); the built-in model must draw
    // the very same values from the architecture and the seed.
    void bundledFilesMatchBuiltIn() {
        QFETCH(QString, name);
        const std::string file =
            NNSCOPE_RESOURCES_DIR "/models/" + name.toStdString() + ".safetensors";
        const io::NativeModel built = load_model(name.toStdString());
        QCOMPARE(built.seed, std::uint64_t{0});
        const auto state = built.module->state_dict();
        io::SafetensorsFile stored(file);
        QCOMPARE(state.size(), stored.names().size());
        for (const auto& key : stored.names())
            NNSCOPE_COMPARE_TENSORS_EXACT(state.at(key), stored.tensor(key));
        // A path loads the file itself.
        const io::NativeModel loaded = load_model(file);
        NNSCOPE_COMPARE_TENSORS_EXACT(loaded.module->state_dict().at(stored.names().front()),
                                      stored.tensor(stored.names().front()));
        QVERIFY(!default_model_architecture(file).has_value());
    }

    void textClassifier() {
        const io::NativeModel m = build_text_classifier(50, 4, 3);
        const auto state = m.module->state_dict();
        QCOMPARE(state.at("embedding.weight").shape(), (Shape{50, 64}));
        QCOMPARE(state.at("fc.weight").shape(), (Shape{4, 64}));
        for (const char* key : {"embedding.weight", "fc.weight"})
            for (double v : state.at(key).to_vector())
                QVERIFY(v >= -0.5 && v <= 0.5);
        for (double v : state.at("fc.bias").to_vector())
            QCOMPARE(v, 0.0);
        // Seeded: the same seed builds the same weights.
        QCOMPARE(build_text_classifier(50, 4, 3).module->state_dict().at("fc.weight").to_vector(),
                 state.at("fc.weight").to_vector());

        // Offsets batches: ids [N] with one bag per offset.
        ModelBatch b{Tensor::from_vector({1, 2, 3, 4, 5}, {5}, DType::Int64),
                     Tensor::from_vector({0, 2}, {2}, DType::Int64),
                     Tensor::from_vector({0, 3}, {2}, DType::Int64)};
        QCOMPARE(forward_batch(*m.module, b).shape(), (Shape{2, 4}));
    }

    void feedingErrors() {
        nn::Linear linear(3, 2);
        ModelBatch text{Tensor::zeros({3}), Tensor::zeros({1}), Tensor::zeros({1})};
        QCOMPARE(test::errorOf([&] { forward_batch(linear, text); }),
                 QStringLiteral("train: text batches need a Sequential whose first module is an "
                                "EmbeddingBag, got Linear"));
        const data::Sample one = data::Sample::tuple({data::Sample(Tensor::zeros({2}))});
        QCOMPARE(test::errorOf([&] { model_batch(one); }),
                 QStringLiteral("train: a batch must be (inputs, labels) or (labels, ids, "
                                "offsets), got a tuple of 1"));
    }
};

QTEST_GUILESS_MAIN(TestDefaultModels)
#include "tst_default_models.moc"
