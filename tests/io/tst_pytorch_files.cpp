// PyTorch files: golden torch.save / torch.jit.save outputs (gen_pytorch_files.py) must open with
// the names, shapes, dtypes, roles, plain values and tensor values PyTorch reports; views keep
// sharing one storage; hostile files written by torch.save open with their calls as inert data;
// truncated and corrupted files fail with an exception, never a crash; every real-world file in
// ../shared/models/pytorch and ../shared/models/torchscript opens.

#include "io/pickle/globals.h"
#include "io/pytorch_archive.h"
#include "io/tensor_bytes.h"
#include "io/zip_reader.h"
#include "support/files.h"
#include "support/golden.h"
#include "support/memory_file.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace nnscope;
using nnscope::test::GoldenFile;
using nnscope::test::open_and_load_all;
using nnscope::test::read_bytes;
using nnscope::test::write_bytes;

namespace {

std::string golden_pt(const std::string& name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/pytorch_files/" + name + ".pt";
}

const std::pair<std::string, std::string>* find_module(const io::ModelDocument& document,
                                                       const std::string& path) {
    for (const auto& module : document.modules)
        if (module.first == path) return &module;
    return nullptr;
}

} // namespace

class TestPytorchFiles : public QObject {
    Q_OBJECT

private slots:
    void goldenFiles_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"state_dict", "state_dict_legacy", "dataparallel", "checkpoint",
                                 "dtypes", "dtypes_legacy", "views", "views_legacy", "bare_tensor",
                                 "rezipped", "big_endian", "torchscript", "traced_constant"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Everything PyTorch says about the file, checked entry by entry.
    void goldenFiles() {
        QFETCH(QString, name);
        const std::string stem = name.toStdString();
        const GoldenFile expected("pytorch_files/" + stem + "_expected.safetensors");
        const io::ModelDocument document = io::open_pytorch_file(golden_pt(stem));
        QCOMPARE(std::string(io::to_string(document.format)), expected.metadata("format"));

        std::vector<std::string> names;
        for (const auto& entry : document.tensors)
            names.push_back(entry.name);
        std::vector<std::string> expected_names = expected.names();
        if (expected.metadata("ordered") != "1") {
            std::sort(names.begin(), names.end());
            std::sort(expected_names.begin(), expected_names.end());
        }
        if (names != expected_names) {
            std::string got;
            for (const auto& n : names)
                got += n + " ";
            QFAIL(qPrintable(QString::fromStdString("tensor names differ; got: " + got)));
        }

        for (const std::string& tensor_name : expected.names()) {
            const io::TensorEntry* entry = document.find(tensor_name);
            QVERIFY(entry);
            const Tensor want = expected.tensor(tensor_name);
            QCOMPARE(entry->shape, want.shape());
            QCOMPARE(entry->dtype, want.dtype());
            QCOMPARE(std::string(io::to_string(entry->role)),
                     expected.metadata("role:" + tensor_name));
            QCOMPARE(entry->role_inferred, expected.metadata("inferred:" + tensor_name) == "1");
            NNSCOPE_COMPARE_TENSORS_EXACT(entry->load(), want);
        }

        for (const std::string key :
             {"epoch", "loss", "best_acc", "name", "finished", "note",
              "optimizer.param_groups.0.lr", "optimizer.param_groups.0.betas",
              "optimizer.param_groups.0.params", "optimizer.param_groups.0.amsgrad",
              "blocks.0.count"}) {
            if (!expected.hasMetadata("meta:" + key)) continue;
            const auto it = document.metadata.find(key);
            QVERIFY2(it != document.metadata.end(), key.c_str());
            QCOMPARE(it->second, expected.metadata("meta:" + key));
        }

        for (const auto& module : document.modules) {
            const std::string key = "module:" + module.first;
            if (expected.hasMetadata(key)) QCOMPARE(module.second, expected.metadata(key));
        }
        if (document.format ==
            io::ModelFormat::Torchscript) { // every module PyTorch lists, with its type
            for (const std::string path :
                 {"", "stem", "blocks", "blocks.0", "blocks.1", "heads", "heads.a", "heads.b"}) {
                if (!expected.hasMetadata("module:" + path)) continue;
                const auto* module = find_module(document, path);
                QVERIFY2(module, path.c_str());
            }
        }
    }

    void stateDictModulesFollowNames() {
        const auto document = io::open_pytorch_file(golden_pt("state_dict"));
        QVERIFY(find_module(document, "conv"));
        QVERIFY(find_module(document, "head.1"));
        QVERIFY(find_module(document, "head"));
        QVERIFY(!document.metadata.count("nnscope.dataparallel"));
        const auto dp = io::open_pytorch_file(golden_pt("dataparallel"));
        QCOMPARE(dp.metadata.at("nnscope.dataparallel"), std::string("module."));
        QVERIFY(find_module(dp, "module.conv"));
    }

    // Views come back as views: one shared storage, PyTorch's strides and offsets.
    void viewsShareStorage_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("zip") << QStringLiteral("views");
        QTest::newRow("legacy") << QStringLiteral("views_legacy");
    }
    void viewsShareStorage() {
        QFETCH(QString, name);
        const auto document = io::open_pytorch_file(golden_pt(name.toStdString()));
        const Tensor base = document.find("base")->load();
        const Tensor block = document.find("block")->load();
        const Tensor transposed = document.find("transposed")->load();
        QVERIFY(base.storage() == block.storage());
        QVERIFY(base.storage() == transposed.storage());
        QCOMPARE(block.offset(), std::int64_t(8));
        QCOMPARE(block.strides(), (Shape{6, 1}));
        QCOMPARE(transposed.strides(), (Shape{1, 6}));
        QCOMPARE(document.find("slice")->load().offset(), std::int64_t(5));
    }

    // A STORED zip entry is read at its aligned offset into memory of its own: changing it
    // reaches neither the file nor another read (tied names share through the document).
    void storedEntriesAreReadIntoOwnMemory() {
        const std::string path = golden_pt("state_dict");
        const io::ZipReader zip(path);
        const std::string bytes = read_bytes(path);
        int checked = 0;
        for (const auto& entry : zip.entries()) {
            if (entry.name.find("/data/") == std::string::npos || !entry.stored) continue;
            const std::uint64_t offset = zip.data_offset(entry);
            QCOMPARE(offset % 64, std::uint64_t(0)); // torch.save aligns storages
            const auto a = zip.storage(entry, 4);
            const auto b = zip.storage(entry, 4);
            QVERIFY(a->data() != b->data());
            QCOMPARE(std::memcmp(a->data(), bytes.data() + offset, entry.size), 0);
            if (entry.size) a->data()[0] = ~a->data()[0];
            QCOMPARE(std::memcmp(b->data(), bytes.data() + offset, entry.size), 0);
            ++checked;
        }
        QVERIFY(checked > 0);
    }

    // torch.save of objects whose pickle runs a command: the file opens, its tensor reads, the
    // call is shown as data naming the global, and the command's marker file never appears.
    void maliciousFilesStayInert_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("shown");
        QTest::newRow("os.system")
            << QStringLiteral("malicious_os_system") << QStringLiteral("payload")
            << QStringLiteral("<posix.system('touch nnscope_pwned_marker')>");
        QTest::newRow("eval legacy") // protocol 2 uses Python 2 names
            << QStringLiteral("malicious_eval_legacy") << QStringLiteral("payload")
            << QStringLiteral("<__builtin__.eval('__import__('os').system('touch "
                              "nnscope_pwned_marker')')>");
        QTest::newRow("Popen") << QStringLiteral("malicious_popen") << QStringLiteral("value")
                               << QStringLiteral(
                                      "[<commands.Popen(['touch', 'nnscope_pwned_marker'])>]");
    }
    void maliciousFilesStayInert() {
        QFETCH(QString, name);
        QFETCH(QString, key);
        QFETCH(QString, shown);
        QTemporaryDir dir;
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        io::ModelDocument document;
        try {
            document = io::open_pytorch_file(golden_pt(name.toStdString()));
        } catch (const std::exception& e) {
            QDir::setCurrent(previous);
            QFAIL(e.what());
        }
        QDir::setCurrent(previous);
        QCOMPARE(QString::fromStdString(document.metadata.at(key.toStdString())), shown);
        if (const io::TensorEntry* weight = document.find("weight"))
            QCOMPARE(weight->load().to_vector(), (std::vector<double>{1.0, 1.0}));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("nnscope_pwned_marker"))));
    }

    // Cut at every length (every third for the larger files; each open costs a few system
    // calls): always an exception with a message, never a crash or a hang.
    void truncatedFilesFail_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("step");
        QTest::newRow("bare_tensor") << QStringLiteral("bare_tensor") << 1;
        QTest::newRow("views_legacy") << QStringLiteral("views_legacy") << 1;
        QTest::newRow("state_dict_legacy") << QStringLiteral("state_dict_legacy") << 3;
        QTest::newRow("views") << QStringLiteral("views") << 3;
    }
    void truncatedFilesFail() {
        QFETCH(QString, name);
        QFETCH(int, step);
        const std::string bytes = read_bytes(golden_pt(name.toStdString()));
        test::MemoryFile file; // one file per byte position on disk took seconds of waiting
        for (std::size_t length = 0; length < bytes.size(); length += step) {
            const std::string error =
                open_and_load_all(file.write(bytes.substr(0, length)), io::open_pytorch_file);
            if (error.empty())
                QFAIL(qPrintable(QStringLiteral("a file cut to %1 bytes opened").arg(length)));
        }
        QCOMPARE(open_and_load_all(file.write(bytes), io::open_pytorch_file), std::string());
    }

    // Every byte overwritten in turn: each file either opens consistently or fails cleanly.
    void corruptedBytesNeverCrash_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"views_legacy", "bare_tensor"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void corruptedBytesNeverCrash() {
        QFETCH(QString, name);
        const std::string bytes = read_bytes(golden_pt(name.toStdString()));
        test::MemoryFile file;
        int failures = 0;
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            std::string bad = bytes;
            bad[i] = static_cast<char>(i % 2 ? 0xff : 0x00);
            failures += !open_and_load_all(file.write(bad), io::open_pytorch_file).empty();
        }
        QVERIFY(failures > 0);
    }

    void notPytorchFiles() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("x.pt")).toStdString();
        write_bytes(path, "hello world, not a model");
        QVERIFY(open_and_load_all(path, io::open_pytorch_file).find("neither a zip archive") !=
                std::string::npos);
        write_bytes(path, "");
        QVERIFY(!open_and_load_all(path, io::open_pytorch_file).empty());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, io::open_pytorch_file("/nonexistent.pt"));
    }

    // Real files written by other projects' tools.
    void sharedModels_data() {
        QTest::addColumn<QString>("path");
        if (!test::haveShared("models/pytorch")) return;
        for (const char* sub : {"models/pytorch", "models/torchscript"}) {
            const QDir dir(test::sharedDir() + QLatin1Char('/') + QLatin1String(sub));
            for (const QString& file : dir.entryList(QDir::Files, QDir::Name))
                QTest::newRow(qPrintable(file)) << dir.filePath(file);
        }
    }
    void sharedModels() {
        if (!test::haveShared("models/pytorch")) QSKIP("../shared/models is absent");
        QFETCH(QString, path);
        const std::string error = open_and_load_all(path.toStdString());
        QVERIFY2(error.empty(), error.c_str());
        const auto document = io::open_pytorch_file(path.toStdString());
        QVERIFY(!document.tensors.empty());
    }

    // Facts PROVENANCE.md states about some of them.
    void sharedModelFacts() {
        if (!test::haveShared("models/pytorch")) QSKIP("../shared/models is absent");
        const std::string dir = test::sharedDir().toStdString() + "/models/";
        const auto mnist = io::open_pytorch_file(dir + "pytorch/burn_mnist.pt");
        QCOMPARE(mnist.tensors.size(), std::size_t(20));
        QCOMPARE(mnist.metadata.at("nnscope.byteorder"), std::string("little"));

        const auto ckpt = io::open_pytorch_file(dir + "pytorch/burn_checkpoint.pt");
        QCOMPARE(ckpt.metadata.at("epoch"), std::string("42"));
        QCOMPARE(ckpt.metadata.at("loss"), std::string("0.123"));
        QCOMPARE(ckpt.tensors.size(), std::size_t(5));
        // Optimizer state is not module state, even without a param_groups entry.
        QCOMPARE(ckpt.find("optimizer_state_dict.state.0.momentum_buffer")->role,
                 io::TensorRole::Unknown);
        QCOMPARE(ckpt.find("model_state_dict.fc1.weight")->role, io::TensorRole::Parameter);
        QVERIFY(find_module(ckpt, "model_state_dict.fc1"));
        QVERIFY(!find_module(ckpt, "optimizer_state_dict.state"));

        const auto fortran = io::open_pytorch_file(dir + "pytorch/candle_fortran_tensor_3d.pth");
        const Tensor t = fortran.find("tensor_fortran")->load();
        QCOMPARE(t.shape(), (Shape{2, 3, 4}));
        QVERIFY(!t.is_contiguous());
        std::vector<std::int64_t> want(24);
        for (int i = 0; i < 24; ++i)
            want[i] = i + 1;
        auto got = t.to_int64_vector();
        std::sort(got.begin(), got.end());
        QCOMPARE(got, want);

        const auto views = io::open_pytorch_file(dir + "pytorch/burn_legacy_uncloned_views.pt");
        QCOMPARE(views.format, io::ModelFormat::PytorchLegacy);
        const Tensor a = views.find("tensor1")->load();
        const Tensor b = views.find("tensor2")->load();
        QVERIFY(a.storage() == b.storage());

        const auto distilbert =
            io::open_pytorch_file(dir + "pytorch/picklescan_tiny_distilbert_legacy.bin");
        QCOMPARE(distilbert.tensors.size(), std::size_t(38));

        const auto bare = io::open_pytorch_file(dir + "pytorch/picklescan_new_pytorch_model.bin");
        QCOMPARE(bare.tensors.size(), std::size_t(1));
        QCOMPARE(bare.tensors[0].shape, (Shape{3, 4}));

        const auto l1000 =
            io::open_pytorch_file(dir + "torchscript/torchsharp_l1000_100_10.script.pt");
        QCOMPARE(l1000.format, io::ModelFormat::Torchscript);
        QCOMPARE(l1000.tensors.size(), std::size_t(4));
        for (const auto& entry : l1000.tensors)
            QCOMPARE(entry.role, io::TensorRole::Parameter);

        const auto foo = io::open_pytorch_file(dir + "torchscript/tch_foo.pt");
        const io::TensorEntry* value = foo.find("value");
        QVERIFY(value);
        QCOMPARE(value->role, io::TensorRole::Buffer);
        QCOMPARE(value->load().to_vector(), std::vector<double>{42.0});
    }
};

QTEST_GUILESS_MAIN(TestPytorchFiles)
#include "tst_pytorch_files.moc"
