// io::open_model: every format through one entry point, told apart by content, with the native
// model's real tree and a plain file's inferred one; bad files are described as a person would
// (empty, truncated, a plain pickle), naming the file once.

#include "io/open_model.h"
#include "io/safetensors.h"
#include "support/files.h"

#include <QtTest>
#include <filesystem>

using namespace nnscope;
using namespace std::string_literals;

namespace {

// How often `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1))
        ++n;
    return n;
}

std::string open_error(const std::filesystem::path& path) {
    try {
        io::open_model(path);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

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

    // Each message names the problem in words a person uses and names the file exactly once.
    void badFilesAreDescribed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const std::string zip =
            test::read_bytes(std::string(NNSCOPE_GOLDEN_DIR) + "/pytorch_files/state_dict.pt");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("the file is empty (0 bytes)");
        // Cut inside the central directory: 436 bytes are missing, at least 22 of them known.
        QTest::newRow("zip cut in its directory")
            << QByteArray::fromStdString(zip.substr(0, zip.size() - 436))
            << QStringLiteral("is a truncated zip archive: it ends after %1 bytes, inside the "
                              "archive's directory; at least 401 bytes are missing")
                   .arg(zip.size() - 436);
        QTest::newRow("zip cut in its end record")
            << QByteArray::fromStdString(zip.substr(0, zip.size() - 6))
            << QStringLiteral("at least 6 bytes are missing");
        QTest::newRow("zip cut in an entry")
            << QByteArray::fromStdString(zip.substr(0, 40))
            << QStringLiteral("is a truncated zip archive: it ends after 40 bytes, inside an "
                              "entry's header");
        // A pickle with bytes after it that are not torch.save's: not a "magic number" problem.
        QTest::newRow("pickle and more")
            << QByteArray("\x80\x02K\x07.junk", 9)
            << QStringLiteral("a pickle followed by 4 more bytes, but not torch.save's layout "
                              "(its first pickle is 7)");
    }
    void badFilesAreDescribed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const auto path = temp_file(dir, "bad.pt", bytes.toStdString());
        const std::string error = open_error(path);
        QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.find("magic") == std::string::npos, error.c_str());
        QVERIFY2(occurrences(error, "bad.pt") == 1, error.c_str());
    }

    // A file that is one plain pickle (pickle.dump, a .pkl) opens with its values.
    void plainPickleOpens() {
        QTemporaryDir dir;
        // {'a': 1, 'path': pathlib.PosixPath('/data')} as pickle.dump writes it (protocol 4).
        const std::string bytes = "\x80\x04\x95"s + "9" + std::string(7, '\0') + "}\x94(\x8c\x01" +
                                  "a\x94K\x01\x8c\x04" + "path\x94\x8c\x07" + "pathlib\x94\x8c\t" +
                                  "PosixPath\x94\x93\x94\x8c\x01/\x94\x8c\x04" +
                                  "data\x94\x86\x94R\x94u.";
        const auto path = temp_file(dir, "values.pkl", bytes);
        QCOMPARE(io::detect_model_format(path), std::string("pytorch"));
        const io::ModelDocument doc = io::open_model(path);
        QCOMPARE(doc.metadata.at("a"), std::string("1"));
        QCOMPARE(doc.metadata.at("path"), std::string("PosixPath('/data')"));
        QVERIFY(doc.metadata.at("nnscope.note").find("plain Python pickle") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestOpenModel)
#include "tst_open_model.moc"
