// nnscope-cli export-pytorch: writes model.py where -o / --output says, and refuses with the
// file's name what it cannot export. What the script holds is tst_pytorch_model_export's concern.

#include "cli/cli_runner.h"
#include "io/native_model.h"
#include "support/files.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using test::run_cli;

namespace {

// A native model file whose architecture is `json`, tensors left to the seeded init.
void write_native(const QString& path, const std::string& json) {
    io::SafetensorsMetadata metadata;
    metadata[std::string(io::architecture_metadata_key)] = json;
    metadata[std::string(io::seed_metadata_key)] = "12";
    io::save_safetensors(path.toStdString(), {}, metadata);
}

} // namespace

class TestCliExportPytorch : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void writesTheScript_data() {
        QTest::addColumn<QString>("option");
        QTest::newRow("-o") << QStringLiteral("-o");
        QTest::newRow("--output") << QStringLiteral("--output");
    }

    void writesTheScript() {
        QFETCH(QString, option);
        const QString model = dir_.filePath(QStringLiteral("mlp.safetensors"));
        write_native(model, "{\"type\":\"Sequential\",\"children\":[[\"0\",{\"type\":\"Linear\","
                            "\"in_features\":2,\"out_features\":3}]]}");
        const QString out = dir_.filePath(QStringLiteral("model.py"));
        QFile::remove(out);
        const auto r = run_cli({QStringLiteral("export-pytorch"), model, option, out});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("wrote %1\n").arg(out));
        const std::string text = test::read_bytes(out.toStdString());
        QVERIFY(text.starts_with("# The module tree of mlp.safetensors in torch.nn"));
        QVERIFY(text.find("class Net(nn.Sequential):\n") != std::string::npos);
        QVERIFY(text.find("nn.Linear(in_features=2, out_features=3),\n") != std::string::npos);
        QVERIFY(text.find("def build(seed=12):\n") != std::string::npos); // the file's seed
    }

    void refusesWhatItCannotExport_data() {
        QTest::addColumn<QString>("architecture"); // "" : a plain safetensors file
        QTest::addColumn<QString>("error");
        QTest::newRow("plain safetensors")
            << QString()
            << QStringLiteral("not an nnscope model: its metadata has no "
                              "'nnscope.architecture'");
        QTest::newRow("not torch.nn")
            << QStringLiteral("{\"type\":\"Sequential\",\"children\":[[\"block\",{\"type\":"
                              "\"BasicBlock\",\"inplanes\":4,\"planes\":4}]]}")
            << QStringLiteral("module 'block' (BasicBlock): not a torch.nn class nnscope can "
                              "export");
        QTest::newRow("bad declaration")
            << QStringLiteral("{\"type\":\"ReLU\",\"tensors\":[{\"name\":\"x\",\"kind\":\"buffer\","
                              "\"shape\":[1]}]}")
            << QStringLiteral("architecture: tensors[0]: missing \"init\"");
    }

    void refusesWhatItCannotExport() {
        QFETCH(QString, architecture);
        QFETCH(QString, error);
        const QString model = dir_.filePath(QStringLiteral("bad.safetensors"));
        if (architecture.isEmpty())
            io::save_safetensors(model.toStdString(), {}, {});
        else
            write_native(model, architecture.toStdString());
        const QString out = dir_.filePath(QStringLiteral("bad.py"));
        const auto r =
            run_cli({QStringLiteral("export-pytorch"), model, QStringLiteral("-o"), out});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains(model + QStringLiteral(": ")) && r.err.contains(error),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }

    void helpShowsTheAlias() {
        const auto r = run_cli({QStringLiteral("export-pytorch"), QStringLiteral("--help")});
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("-o, --output PATH")), qPrintable(r.out));
        const auto bad = run_cli({QStringLiteral("export-pytorch"), QStringLiteral("-x")});
        QCOMPARE(bad.exit_code, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("unknown option '-x'")), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestCliExportPytorch)
#include "tst_cli_export_pytorch.moc"
