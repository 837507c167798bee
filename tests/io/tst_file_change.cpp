// A model file changed on disk while it is open: truncated (to nothing, to half), rewritten in
// place (same size, other size) or replaced by rename, in every format. Loading a tensor never
// crashes (a memory mapping died with SIGBUS here) and never gives torn or silently new values:
// formats read lazily throw FileChangedError, formats read whole at open (legacy .pt, inline ONNX,
// native) keep the values they were opened with, and a rename leaves the old file's data intact
// where the file is kept open (not ONNX external data files, opened per load: they throw).

#include "io/file_source.h"
#include "io/open_model.h"
#include "io/safetensors.h"
#include "io/tensor_bytes.h"
#include "io/zip_reader.h"
#include "support/files.h"

#include <QtTest>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace nnscope;

namespace {

namespace fs = std::filesystem;

const fs::path golden = NNSCOPE_GOLDEN_DIR;

enum class Change { TruncateEmpty, TruncateHalf, SameSize, OtherSize, Rename };

// Every tensor's values, by name (entries of dtypes the engine lacks are left out).
std::map<std::string, std::vector<double>> all_values(const io::ModelDocument& document) {
    std::map<std::string, std::vector<double>> values;
    for (const auto& entry : document.tensors)
        if (entry.stored_dtype.empty()) values[entry.name] = io::to_double_values(entry.load());
    return values;
}

// The mtime moves only when the clock ticks (a few ms on some file systems): a change made in the
// same tick as the file's creation would be invisible to anyone, so the test waits one out.
void next_clock_tick() {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
}

// The bytes with their second half changed: same size, different contents.
std::string flipped(std::string bytes) {
    for (std::size_t i = bytes.size() / 2; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    return bytes;
}

void write_in_place(const fs::path& path, const std::string& bytes, bool truncate) {
    const int fd = ::open(path.c_str(), O_WRONLY | (truncate ? O_TRUNC : 0));
    QVERIFY(fd >= 0);
    QCOMPARE(::pwrite(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
    ::close(fd);
}

void apply(Change change, const fs::path& path) {
    next_clock_tick();
    const std::string bytes = test::read_bytes(path.string());
    switch (change) {
    case Change::TruncateEmpty:
        fs::resize_file(path, 0);
        break;
    case Change::TruncateHalf:
        fs::resize_file(path, bytes.size() / 2);
        break;
    case Change::SameSize:
        write_in_place(path, flipped(bytes), false);
        break;
    case Change::OtherSize: // what torch.save does: O_TRUNC, then the new contents
        write_in_place(path, flipped(bytes) + std::string(4096, '\1'), true);
        break;
    case Change::Rename: {
        const fs::path next = path.string() + ".tmp";
        test::write_bytes(next.string(), flipped(bytes));
        fs::rename(next, path);
        break;
    }
    }
}

fs::path copy_into(const QTemporaryDir& dir, const fs::path& source) {
    const fs::path target = fs::path(dir.path().toStdString()) / source.filename();
    fs::copy_file(source, target);
    return target;
}

} // namespace

class TestFileChange : public QObject {
    Q_OBJECT
private slots:
    void tensorsAfterChange_data() {
        QTest::addColumn<QString>("model");   // the file to open
        QTest::addColumn<QString>("changed"); // the file that changes ("" = the model)
        QTest::addColumn<bool>("lazy");       // tensor data read only when loaded
        QTest::addColumn<bool>("kept_open");  // a renamed-over file still reads the old inode
        QTest::addColumn<int>("change");

        const struct {
            const char* name;
            fs::path model;
            const char* changed;
            bool lazy;
            bool kept_open;
        } files[] = {
            {"zip", golden / "pytorch_files/state_dict.pt", "", true, true},
            {"torchscript", golden / "pytorch_files/torchscript.pt", "", true, true},
            {"legacy", golden / "pytorch_files/state_dict_legacy.pt", "", false, true},
            {"safetensors", "", "", true, true}, // written by the test
            {"native", fs::path(NNSCOPE_RESOURCES_DIR) / "models/mlp.safetensors", "", false, true},
            {"onnx", golden / "onnx/net_opset13.onnx", "", false, true},
            {"onnx external data", golden / "onnx/external.onnx", "external.onnx.data", true,
             false},
        };
        const struct {
            const char* name;
            Change change;
        } changes[] = {{"truncated to 0", Change::TruncateEmpty},
                       {"truncated to half", Change::TruncateHalf},
                       {"rewritten, same size", Change::SameSize},
                       {"rewritten, other size", Change::OtherSize},
                       {"replaced by rename", Change::Rename}};
        for (const auto& file : files)
            for (const auto& change : changes)
                QTest::newRow((std::string(file.name) + ", " + change.name).c_str())
                    << QString::fromStdString(file.model.string())
                    << QString::fromLatin1(file.changed) << file.lazy << file.kept_open
                    << static_cast<int>(change.change);
    }

    void tensorsAfterChange() {
        QFETCH(QString, model);
        QFETCH(QString, changed);
        QFETCH(bool, lazy);
        QFETCH(bool, kept_open);
        QFETCH(int, change);
        QTemporaryDir dir;
        fs::path path;
        if (model.isEmpty()) {
            path = fs::path(dir.path().toStdString()) / "plain.safetensors";
            io::save_safetensors(path, {{"fc.weight", Tensor::from_vector({1, 2, 3, 4}, {2, 2})},
                                        {"fc.bias", Tensor::from_vector({5, 6}, {2})}});
        } else {
            path = copy_into(dir, model.toStdString());
            if (!changed.isEmpty())
                copy_into(dir, fs::path(model.toStdString()).parent_path() / changed.toStdString());
        }
        const auto expected = all_values(io::open_model(path));
        QVERIFY(!expected.empty());

        const io::ModelDocument document = io::open_model(path);
        apply(static_cast<Change>(change),
              changed.isEmpty() ? path : path.parent_path() / changed.toStdString());

        const bool must_fail =
            lazy && (static_cast<Change>(change) != Change::Rename || !kept_open);
        for (const auto& entry : document.tensors) {
            if (!entry.stored_dtype.empty()) continue;
            try {
                const auto values = io::to_double_values(entry.load());
                QVERIFY2(!must_fail, ("loaded '" + entry.name + "' from a changed file").c_str());
                QVERIFY2(values == expected.at(entry.name),
                         ("'" + entry.name + "' is not the data the file was opened with").c_str());
            } catch (const io::FileChangedError& e) {
                QVERIFY2(must_fail, e.what());
                QVERIFY2(QByteArray(e.what()).contains("changed on disk after it was opened"),
                         e.what());
            }
        }
    }

    void messageSaysWhatChanged() {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "model.pt";
        test::write_bytes(path.string(), std::string(3 * 1024 * 1024, 'x'));
        const auto source = io::FileSource::open(path);
        fs::resize_file(path, 0);
        try {
            source->read(0, 16);
            QFAIL("read a truncated file");
        } catch (const io::FileChangedError& e) {
            QCOMPARE(QString::fromStdString(e.what()),
                     QStringLiteral("model.pt changed on disk after it was opened "
                                    "(size 3.0 MB -> 0 B); reload it"));
            QCOMPARE(e.path(), path);
        }
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, source->read(3 * 1024 * 1024, 1));
    }

    // A file truncated after its header or directory was read, i.e. while it is being opened.
    void truncatedAfterHeader() {
        QTemporaryDir dir;
        const fs::path st = fs::path(dir.path().toStdString()) / "a.safetensors";
        io::save_safetensors(st, {{"w", Tensor::ones({64, 64})}});
        const io::SafetensorsFile file(st);
        fs::resize_file(st, 100);
        QVERIFY_THROWS_EXCEPTION(io::FileChangedError, file.tensor("w"));

        const fs::path pt = copy_into(dir, golden / "pytorch_files/state_dict.pt");
        const io::ZipReader zip(pt);
        const io::ZipEntry* pickle = nullptr;
        for (const auto& entry : zip.entries())
            if (entry.name.ends_with("/data.pkl")) pickle = &entry;
        QVERIFY(pickle);
        fs::resize_file(pt, fs::file_size(pt) / 2);
        QVERIFY_THROWS_EXCEPTION(io::FileChangedError, zip.read(*pickle, 1 << 20));
    }

    // A loaded tensor is the file's data as it was: rewriting the file in place later does not
    // reach into it (the pages of a private mapping not yet copied did).
    void loadedTensorKeepsItsValues() {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "w.safetensors";
        io::save_safetensors(path, {{"w", Tensor::full({1024}, 1.0f)}});
        const Tensor w = io::open_model(path).find("w")->load();
        next_clock_tick();
        std::string bytes = test::read_bytes(path.string());
        write_in_place(path, flipped(bytes), false);
        QCOMPARE(io::to_double_values(w), std::vector<double>(1024, 1.0));
    }
};

QTEST_GUILESS_MAIN(TestFileChange)
#include "tst_file_change.moc"
