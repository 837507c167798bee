// io::open_model: every format through one entry point, told apart by content, with the native
// model's real tree and a plain file's inferred one.

#include "io/open_model.h"
#include "io/safetensors.h"
#include "support/files.h"

#include <QtTest>
#include <filesystem>

using namespace nnscope;

namespace {

std::filesystem::path temp_file(const QTemporaryDir& dir, const char* name,
                                const std::string& bytes) {
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
    test::write_bytes(path.string(), bytes);
    return path;
}

} // namespace

class TestOpenModel : public QObject {
    Q_OBJECT
private slots:
    void nativeModelHasItsTree() {
        const io::ModelDocument doc =
            io::open_model(std::filesystem::path(NNSCOPE_RESOURCES_DIR) / "models/mlp.safetensors");
        QCOMPARE(doc.format, io::ModelFormat::Nnscope);
        QCOMPARE(doc.modules.size(), std::size_t(6));
        QCOMPARE(doc.modules[1].first, std::string("1"));
        QCOMPARE(doc.modules[1].second, std::string("Linear"));
        QCOMPARE(doc.modules[0].second, std::string("Flatten"));
        QCOMPARE(doc.module_arguments.at("1"),
                 std::string("in_features=784, out_features=512, bias=True"));
        QCOMPARE(doc.metadata.at("nnscope.root_type"), std::string("Sequential"));
        QCOMPARE(doc.tensors.size(), std::size_t(6));
        const io::TensorEntry* w = doc.find("3.weight");
        QVERIFY(w);
        QCOMPARE(w->shape, (Shape{256, 512}));
        QCOMPARE(w->role, io::TensorRole::Parameter);
        QVERIFY(!w->role_inferred);
        QVERIFY(w->requires_grad.value_or(false));
        // The stored value, not a re-initialisation.
        const Tensor stored = io::SafetensorsFile(std::filesystem::path(NNSCOPE_RESOURCES_DIR) /
                                                  "models/mlp.safetensors")
                                  .tensor("3.weight");
        QCOMPARE(w->load().to_vector(), stored.to_vector());
    }

    void plainSafetensorsInfersRoles() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "plain.safetensors";
        io::save_safetensors(path,
                             {{"features.0.weight", Tensor::ones({2, 3})},
                              {"features.1.running_mean", Tensor::zeros({3})},
                              {"features.1.num_batches_tracked", Tensor::zeros({}, DType::Int64)}},
                             {{"producer", "test"}});
        const io::ModelDocument doc = io::open_model(path);
        QCOMPARE(doc.format, io::ModelFormat::Safetensors);
        QCOMPARE(doc.metadata.at("producer"), std::string("test"));
        QCOMPARE(doc.modules.size(), std::size_t(3)); // features, features.0, features.1
        QCOMPARE(doc.modules[0].first, std::string("features"));
        QCOMPARE(doc.find("features.0.weight")->role, io::TensorRole::Parameter);
        QCOMPARE(doc.find("features.1.running_mean")->role, io::TensorRole::Buffer);
        QVERIFY(doc.find("features.1.running_mean")->role_inferred);
        QCOMPARE(doc.find("features.0.weight")->load().to_vector(), std::vector<double>(6, 1.0));
    }

    void pytorchFilesGoThroughTheArchiveReader() {
        const io::ModelDocument doc = io::open_model(std::filesystem::path(NNSCOPE_GOLDEN_DIR) /
                                                     "pytorch_files/state_dict.pt");
        QCOMPARE(doc.format, io::ModelFormat::PytorchZip);
        QVERIFY(!doc.tensors.empty());
        QCOMPARE(io::detect_model_format(std::filesystem::path(NNSCOPE_GOLDEN_DIR) /
                                         "pytorch_files/state_dict_legacy.pt"),
                 std::string("pytorch"));
    }

    void unknownFilesAreRefusedByName() {
        QTemporaryDir dir;
        const auto text = temp_file(dir, "notes.txt", "just some text, not a model");
        QCOMPARE(io::detect_model_format(text), std::string());
        try {
            io::open_model(text);
            QFAIL("a text file opened as a model");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("notes.txt") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("not a model file") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, io::open_model(dir.path().toStdString()));
        QVERIFY_THROWS_EXCEPTION(
            std::runtime_error,
            io::open_model(std::filesystem::path(dir.path().toStdString()) / "missing.pt"));
        // A safetensors-looking header whose length runs past the end is not safetensors.
        const auto bogus = temp_file(dir, "bogus.bin", std::string("\xff\xff\0\0\0\0\0\0{}", 10));
        QCOMPARE(io::detect_model_format(bogus), std::string());
    }
};

QTEST_GUILESS_MAIN(TestOpenModel)
#include "tst_open_model.moc"
