// `nnscope-cli summary FILE --json` on every format io::open_model reads: PyTorch zip, legacy and
// TorchScript goldens (their *_expected.safetensors give names, shapes, dtypes and roles as
// PyTorch reported them), ONNX goldens (onnx's own reader in *_expected.json), a plain
// safetensors file, a native model; refused and broken files exit non-zero with the reason on
// stderr; every file in ../shared/models summarises with the facts PROVENANCE.md gives.

#include "cli/cli_runner.h"
#include "support/golden.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

using nnscope::test::run_cli;

namespace {

QString golden(const QString& relative) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/") + relative;
}

QString shared_model(const QString& relative) {
    return nnscope::test::sharedDir() + QStringLiteral("/models/") + relative;
}

// `summary FILE --json` parsed into `out`; returns what went wrong, empty when nothing did.
QString summary_json(const QString& file, QJsonObject& out) {
    auto result = run_cli({QStringLiteral("summary"), file, QStringLiteral("--json")});
    if (result.crashed || result.exit_code != 0) return nnscope::test::describe(result);
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) return QStringLiteral("not JSON: ") + result.out;
    out = doc.object();
    const QStringList keys = {QStringLiteral("format"), QStringLiteral("modules"),
                              QStringLiteral("tensors"), QStringLiteral("totals"),
                              QStringLiteral("metadata")};
    if (out.keys().size() != keys.size()) return QStringLiteral("unexpected keys: ") + result.out;
    for (const auto& key : keys)
        if (!out.contains(key)) return QStringLiteral("missing key ") + key;
    return {};
}

#define NNSCOPE_SUMMARY_JSON(file, object)                                                         \
    QJsonObject object;                                                                            \
    do {                                                                                           \
        const QString problem = summary_json((file), object);                                      \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                                          \
    } while (false)

QJsonObject tensor_named(const QJsonObject& j, const QString& name) {
    for (const auto& t : j[QStringLiteral("tensors")].toArray())
        if (t.toObject()[QStringLiteral("name")].toString() == name) return t.toObject();
    return {};
}

QString module_type(const QJsonObject& j, const QString& path) {
    for (const auto& m : j[QStringLiteral("modules")].toArray())
        if (m.toObject()[QStringLiteral("path")].toString() == path) {
            const QJsonValue type = m.toObject()[QStringLiteral("type")];
            return type.isNull() ? QStringLiteral("null") : type.toString();
        }
    return QStringLiteral("<absent>");
}

QList<qint64> shape_of(const QJsonObject& tensor) {
    QList<qint64> shape;
    for (const auto& d : tensor[QStringLiteral("shape")].toArray())
        shape.append(d.toInteger());
    return shape;
}

// The totals must be the sums of the listed tensors' numel by role, numel the product of the
// shape; a name that "shares_with" an earlier one (the same tensor under two names) counts once.
QString check_totals(const QJsonObject& j) {
    std::map<QString, qint64> sums;
    for (const auto& v : j[QStringLiteral("tensors")].toArray()) {
        const QJsonObject t = v.toObject();
        qint64 numel = 1;
        for (const auto d : shape_of(t))
            numel *= d;
        if (t[QStringLiteral("numel")].toInteger() != numel)
            return QStringLiteral("numel of ") + t[QStringLiteral("name")].toString();
        if (!t.contains(QStringLiteral("shares_with")))
            sums[t[QStringLiteral("role")].toString()] += numel;
    }
    const QJsonObject totals = j[QStringLiteral("totals")].toObject();
    if (totals[QStringLiteral("parameters")].toInteger() != sums[QStringLiteral("parameter")] ||
        totals[QStringLiteral("buffers")].toInteger() != sums[QStringLiteral("buffer")] ||
        totals[QStringLiteral("unknown")].toInteger() != sums[QStringLiteral("unknown")])
        return QStringLiteral("totals disagree with the tensors");
    return {};
}

} // namespace

class TestCliSummaryFormats : public QObject {
    Q_OBJECT

private slots:
    void pytorch_goldens_data() {
        QTest::addColumn<QString>("name");
        // One of each kind (tst_pytorch_files covers every golden in-process).
        for (const char* name :
             {"state_dict", "checkpoint", "dtypes", "state_dict_legacy", "views", "torchscript"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Names, shapes, dtypes and roles as PyTorch reported them when it wrote the file.
    void pytorch_goldens() {
        QFETCH(QString, name);
        const nnscope::test::GoldenFile expected("pytorch_files/" + name.toStdString() +
                                                 "_expected.safetensors");
        NNSCOPE_SUMMARY_JSON(golden(QStringLiteral("pytorch_files/") + name + ".pt"), j);
        QCOMPARE(j[QStringLiteral("format")].toString().toStdString(), expected.metadata("format"));
        const QJsonArray tensors = j[QStringLiteral("tensors")].toArray();
        const auto names = expected.names();
        QCOMPARE(static_cast<std::size_t>(tensors.size()), names.size());
        const bool ordered = expected.metadata("ordered") == "1";
        for (std::size_t i = 0; i < names.size(); ++i) {
            const QString tensor_name = QString::fromStdString(names[i]);
            const QJsonObject t =
                ordered ? tensors[static_cast<int>(i)].toObject() : tensor_named(j, tensor_name);
            QCOMPARE(t[QStringLiteral("name")].toString(), tensor_name);
            const nnscope::Tensor e = expected.tensor(names[i]);
            QCOMPARE(t[QStringLiteral("dtype")].toString().toStdString(),
                     std::string(nnscope::dtype_name(e.dtype())));
            QList<qint64> shape;
            for (const auto d : e.shape())
                shape.append(d);
            QCOMPARE(shape_of(t), shape);
            QCOMPARE(t[QStringLiteral("role")].toString().toStdString(),
                     expected.metadata("role:" + names[i]));
        }
        const QString problem = check_totals(j);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void onnx_goldens_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"net_opset9", "net_opset13", "net_opset17", "external"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Initializers as onnx's Python reader lists them; the module tree from torch's node scopes.
    void onnx_goldens() {
        QFETCH(QString, name);
        QFile file(golden(QStringLiteral("onnx/") + name + "_expected.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject e = QJsonDocument::fromJson(file.readAll()).object();
        NNSCOPE_SUMMARY_JSON(golden(QStringLiteral("onnx/") + name + ".onnx"), j);
        QCOMPARE(j[QStringLiteral("format")].toString(), QStringLiteral("onnx"));
        const QJsonArray inits = e[QStringLiteral("initializers")].toArray();
        const QJsonArray tensors = j[QStringLiteral("tensors")].toArray();
        QCOMPARE(tensors.size(), inits.size());
        for (int i = 0; i < inits.size(); ++i) {
            const QJsonObject init = inits[i].toObject();
            const QJsonObject t = tensors[i].toObject();
            QCOMPARE(t[QStringLiteral("name")].toString(), init[QStringLiteral("name")].toString());
            QCOMPARE(t[QStringLiteral("shape")].toArray(), init[QStringLiteral("dims")].toArray());
            QCOMPARE(t[QStringLiteral("dtype")].toString(), QStringLiteral("float32")); // type 1
            QCOMPARE(init[QStringLiteral("data_type")].toInt(), 1);
        }
        const QJsonObject metadata = j[QStringLiteral("metadata")].toObject();
        const QJsonObject opsets = e[QStringLiteral("opsets")].toObject();
        QCOMPARE(metadata[QStringLiteral("opset.ai.onnx")].toString(),
                 QString::number(opsets[QStringLiteral("ai.onnx")].toInt()));
        QCOMPARE(metadata[QStringLiteral("producer_name")].toString(), QStringLiteral("pytorch"));
        if (name.startsWith(QStringLiteral("net"))) {
            QCOMPARE(module_type(j, QStringLiteral("features")), QStringLiteral("null"));
            QCOMPARE(module_type(j, QStringLiteral("features.0")), QStringLiteral("Conv"));
            QCOMPARE(module_type(j, QStringLiteral("classifier.1")), QStringLiteral("Gemm"));
            QCOMPARE(
                tensor_named(j, QStringLiteral("features.2.running_var"))[QStringLiteral("role")]
                    .toString(),
                QStringLiteral("buffer"));
            // Conv 4*1*3*3 + 4, BatchNorm 4 + 4, Linear 3*64 + 3; BatchNorm statistics 4 + 4.
            const QJsonObject totals = j[QStringLiteral("totals")].toObject();
            QCOMPARE(totals[QStringLiteral("parameters")].toInteger(), 40 + 8 + 195);
            QCOMPARE(totals[QStringLiteral("buffers")].toInteger(), 8);
            QCOMPARE(totals[QStringLiteral("unknown")].toInteger(), 0);
        }
        const QString problem = check_totals(j);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // A plain safetensors file: roles inferred (floating point -> parameter), metadata kept.
    void plain_safetensors() {
        NNSCOPE_SUMMARY_JSON(golden(QStringLiteral("safetensors/dtypes.safetensors")), j);
        QCOMPARE(j[QStringLiteral("format")].toString(), QStringLiteral("safetensors"));
        const nnscope::test::GoldenFile expected("safetensors/dtypes.safetensors");
        QCOMPARE(static_cast<std::size_t>(j[QStringLiteral("tensors")].toArray().size()),
                 expected.names().size());
        for (const auto& name : expected.names()) {
            const QJsonObject t = tensor_named(j, QString::fromStdString(name));
            const nnscope::Tensor e = expected.tensor(name);
            QCOMPARE(t[QStringLiteral("dtype")].toString().toStdString(),
                     std::string(nnscope::dtype_name(e.dtype())));
            QCOMPARE(t[QStringLiteral("role")].toString(), e.is_floating_point()
                                                               ? QStringLiteral("parameter")
                                                               : QStringLiteral("buffer"));
        }
        QCOMPARE(j[QStringLiteral("metadata")].toObject()[QStringLiteral("generator")].toString(),
                 QStringLiteral("gen_safetensors.py"));
        QCOMPARE(j[QStringLiteral("modules")].toArray().size(), 0);
    }

    // Native models keep their own report (with trainable counts) through the same command.
    void native_model() {
        QJsonObject j;
        auto result = run_cli({QStringLiteral("summary"),
                               nnscope::test::golden_cli(QStringLiteral("conv_bn.safetensors")),
                               QStringLiteral("--json")});
        NNSCOPE_EXPECT_CLI_OK(result);
        j = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(j[QStringLiteral("format")].toString(), QStringLiteral("nnscope"));
        QVERIFY(j[QStringLiteral("totals")].toObject().contains(QStringLiteral("trainable")));
    }

    // The text form for a non-native file: tree, tensors with inferred marks, totals, metadata.
    void text_form() {
        auto result =
            run_cli({QStringLiteral("summary"), golden(QStringLiteral("onnx/net_opset13.onnx"))});
        NNSCOPE_EXPECT_CLI_OK(result);
        for (const char* needle :
             {"features.0", "Conv", "kernel_shape=[3, 3]", "features.2.running_mean", "buffer*",
              "role inferred", "Parameters (elements):  243", "Buffers (elements):     8",
              "opset.ai.onnx = 13", "Graph nodes:            6"})
            QVERIFY2(result.out.contains(QLatin1String(needle)), needle);
    }

    // A plain state_dict's guessed types and roles are marked as guesses in both forms; a
    // TorchScript file's types and roles are facts and its root row has its name and counts.
    void inferred_markers() {
        const QString file = golden(QStringLiteral("pytorch_files/state_dict.pt"));
        NNSCOPE_SUMMARY_JSON(file, j);
        for (const auto& t : j[QStringLiteral("tensors")].toArray())
            QCOMPARE(t.toObject()[QStringLiteral("role_inferred")], QJsonValue(true));
        int guessed = 0;
        for (const auto& v : j[QStringLiteral("modules")].toArray()) {
            const QJsonObject m = v.toObject();
            for (const char* key : {"path", "type", "arguments", "parameters", "total_parameters"})
                QVERIFY2(m.contains(QLatin1String(key)), key);
            if (m[QStringLiteral("type_inferred")].toBool()) {
                ++guessed;
                QVERIFY(!m[QStringLiteral("type_reason")].toString().isEmpty());
            }
        }
        QVERIFY(guessed > 0);
        const auto text = run_cli({QStringLiteral("summary"), file});
        NNSCOPE_EXPECT_CLI_OK(text);
        QVERIFY2(text.out.contains(QLatin1String("? type and arguments guessed")),
                 qPrintable(text.out));

        const QString script = golden(QStringLiteral("pytorch_files/torchscript.pt"));
        NNSCOPE_SUMMARY_JSON(script, s);
        const QJsonObject root = s[QStringLiteral("modules")].toArray()[0].toObject();
        QCOMPARE(root[QStringLiteral("path")].toString(), QString());
        QCOMPARE(root[QStringLiteral("total_parameters")].toInteger(),
                 s[QStringLiteral("totals")].toObject()[QStringLiteral("parameters")].toInteger());
        for (const auto& v : s[QStringLiteral("modules")].toArray())
            QVERIFY(!v.toObject().contains(QStringLiteral("type_inferred")));
        for (const auto& t : s[QStringLiteral("tensors")].toArray())
            QVERIFY(!t.toObject().contains(QStringLiteral("role_inferred")));
        const auto script_text = run_cli({QStringLiteral("summary"), script});
        NNSCOPE_EXPECT_CLI_OK(script_text);
        QVERIFY2(script_text.out.contains(
                     QRegularExpression(QStringLiteral("\\n\\(root\\) +\\S+ +[0-9,]+ "))),
                 qPrintable(script_text.out));
    }

    // A pickled call of an unknown global opens as inert data, never called.
    void inert_pickle_calls() {
        const auto result =
            run_cli({QStringLiteral("summary"),
                     golden(QStringLiteral("pytorch_files/malicious_os_system.pt"))});
        NNSCOPE_EXPECT_CLI_OK(result);
        QVERIFY2(result.out.contains(
                     QLatin1String("payload = <posix.system('touch nnscope_pwned_marker')>")),
                 qPrintable(result.out));
    }

    void refused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("onnx escape")
            << golden(QStringLiteral("onnx/hostile_escape.onnx")) << "'..' is refused";
        QTest::newRow("onnx raw size")
            << golden(QStringLiteral("onnx/hostile_raw_size.onnx")) << "raw_data holds 12 bytes";
        QTest::newRow("missing") << golden(QStringLiteral("onnx/no_such.onnx")) << "no_such.onnx";
        QTest::newRow("not a model")
            << golden(QStringLiteral("gen_onnx.py")) << "not a model file nnscope knows";
    }

    // A refused or broken file: exit code 1, the reason on stderr, nothing on stdout.
    void refused() {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        const auto result = run_cli({QStringLiteral("summary"), file, QStringLiteral("--json")});
        QVERIFY(!result.crashed);
        QCOMPARE(result.exit_code, 1);
        QVERIFY2(result.err.contains(reason), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
    }

    void truncated_onnx() {
        QTemporaryDir dir;
        QFile in(golden(QStringLiteral("onnx/net_opset13.onnx")));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        QFile out(dir.filePath(QStringLiteral("cut.onnx")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes.left(bytes.size() - 100));
        out.close();
        const auto result = run_cli({QStringLiteral("summary"), out.fileName()});
        QCOMPARE(result.exit_code, 1);
        QVERIFY2(result.err.contains(QLatin1String("truncated or corrupt")),
                 qPrintable(result.err));
    }

    // Every real-world file summarises, with the counts and shapes PROVENANCE.md records.
    void shared_models_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("tensors");
        // "name dtype d0,d1,..." facts, "role name r", "module path type", "meta key value".
        QTest::addColumn<QStringList>("facts");
        const auto row = [](const char* file, const char* format, int tensors, QStringList facts) {
            QTest::newRow(file) << QString::fromLatin1(file) << QString::fromLatin1(format)
                                << tensors << facts;
        };
        row("pytorch/burn_mnist.pt", "pytorch-zip", 20,
            {"conv1.weight float32 8,1,3,3", "conv2.weight float32 16,8,3,3",
             "conv3.weight float32 24,16,3,3", "fc1.weight float32 32,11616",
             "fc2.weight float32 10,32", "norm1.num_batches_tracked int64 ", "module conv3 Conv2d",
             "module norm1 BatchNorm2d", "module fc2 Linear", "module norm2 BatchNorm1d"});
        row("pytorch/burn_checkpoint.pt", "pytorch-zip", 5,
            {"model_state_dict.fc1.weight float32 10,5", "model_state_dict.fc2.weight float32 3,10",
             "optimizer_state_dict.state.0.momentum_buffer float32 10,5", "meta epoch 42"});
        row("pytorch/burn_bfloat16.pt", "pytorch-zip", 1, {"tensor bfloat16 3"});
        row("pytorch/burn_mixed_types.pt", "pytorch-zip", 4,
            {"float32 float32 2", "int64 int64 2", "bool bool 2", "float64 float64 2"});
        row("pytorch/burn_simple_legacy.pt", "pytorch-legacy", 3,
            {"weight float32 2,3", "bias float32 2", "running_mean float32 2",
             "role running_mean buffer"});
        row("pytorch/burn_legacy_uncloned_views.pt", "pytorch-legacy", 2,
            {"tensor1 float32 10", "tensor2 float32 10"});
        row("pytorch/picklescan_tiny_distilbert_legacy.bin", "pytorch-legacy", 38,
            {"distilbert.embeddings.word_embeddings.weight float32 28996,2"});
        row("pytorch/picklescan_new_pytorch_model.bin", "pytorch-zip", 1, {"tensor float32 3,4"});
        row("pytorch/candle_fortran_tensor_3d.pth", "pytorch-zip", 1,
            {"tensor_fortran int64 2,3,4"});
        row("torchscript/torchsharp_l1000_100_10.script.pt", "torchscript", 4,
            {"0.0.weight float32 100,1000", "0.0.bias float32 100", "1.weight float32 10,100",
             "1.bias float32 10", "module 0.0 Linear"});
        row("torchscript/torchsharp_scripted.script.pt", "torchscript", 3,
            {"weight float32 2,6", "linear.weight float32 6,2", "linear.bias float32 6"});
        row("torchscript/tch_foo.pt", "torchscript", 1, {"value float32 1", "role value buffer"});
        // PROVENANCE.md: conv1-3 Conv2d, norm1 BatchNorm2d(24) after conv3, fc1-2 Linear,
        // norm2 BatchNorm1d(10) after fc2; a plain state_dict, so the types are guessed.
        row("safetensors/burn_mnist.safetensors", "safetensors", 20,
            {"conv1.weight float32 8,1,3,3", "fc1.weight float32 32,11616", "module conv1 Conv2d",
             "module norm1 BatchNorm2d", "module fc1 Linear", "module norm2 BatchNorm1d"});
        row("safetensors/burn_multi_layer.safetensors", "safetensors", 9,
            {"conv1.weight float32 4,3,3,3", "fc1.weight float32 16,256",
             "module norm1 BatchNorm2d", "norm1.num_batches_tracked int64 ",
             "role norm1.running_mean buffer"});
        row("safetensors/candle_csm_voices.safetensors", "safetensors", 2,
            {"tokens int64 1,982,33", "mask uint8 1,982,33"});
        row("safetensors/safetensors_sample_overall.safetensors", "safetensors", 9,
            {"B uint8 6", "H uint16 6", "I uint32 6", "b int8 6", "h int16 6", "i int32 6",
             "e float16 6", "f float32 6", "d float64 6", "role H unknown", "meta test a"});
        row("onnx/burn_onnx_mnist.onnx", "onnx", 18, {"meta producer_version 2.0.0"});
        row("onnx/wonnx_opt-mnist.onnx", "onnx", 7, {"meta opset.ai.onnx 8"});
        row("onnx/tract_keras_tf2_example.onnx", "onnx", 4, {"meta opset.ai.onnx.ml 2"});
        row("onnx/onnx_light_resnet50.onnx", "onnx", 269, {"meta graph.nodes 415"});
        row("onnx/onnx_light_squeezenet.onnx", "onnx", 52, {"meta graph.nodes 105"});
        row("onnx/onnx_pytorch-converted_test_Conv2d.onnx", "onnx", 2,
            {"meta graph.name torch-jit-export"});
        row("onnx/burn_onnx_lstm.onnx", "onnx", 3, {"meta graph.nodes 22"});
        row("onnx/external_data/external_data.onnx", "onnx", 2,
            {"weight float32 4,4", "bias float32 4"});
    }

    void shared_models() {
        if (!nnscope::test::haveShared("models"))
            QSKIP("../shared/models is absent: the real-world model files are not checked");
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, tensors);
        QFETCH(QStringList, facts);
        NNSCOPE_SUMMARY_JSON(shared_model(file), j);
        QCOMPARE(j[QStringLiteral("format")].toString(), format);
        QCOMPARE(j[QStringLiteral("tensors")].toArray().size(), tensors);
        const QString problem = check_totals(j);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const QString& fact : facts) {
            const QStringList parts = fact.split(QLatin1Char(' '));
            if (parts[0] == QLatin1String("role")) {
                QCOMPARE(tensor_named(j, parts[1])[QStringLiteral("role")].toString(), parts[2]);
            } else if (parts[0] == QLatin1String("module")) {
                QCOMPARE(module_type(j, parts[1]), parts[2]);
            } else if (parts[0] == QLatin1String("meta")) {
                QCOMPARE(j[QStringLiteral("metadata")].toObject()[parts[1]].toString(),
                         parts.mid(2).join(QLatin1Char(' ')));
            } else {
                const QJsonObject t = tensor_named(j, parts[0]);
                QVERIFY2(!t.isEmpty(), qPrintable(fact));
                QCOMPARE(t[QStringLiteral("dtype")].toString(), parts[1]);
                QList<qint64> shape;
                for (const auto& d : parts[2].split(QLatin1Char(','), Qt::SkipEmptyParts))
                    shape.append(d.toLongLong());
                QCOMPARE(shape_of(t), shape);
            }
        }
    }

    // No file in the folder is left out of the table above.
    void shared_models_all_listed() {
        if (!nnscope::test::haveShared("models"))
            QSKIP("../shared/models is absent: the real-world model files are not checked");
        QDirIterator it(shared_model(QString()), QDir::Files, QDirIterator::Subdirectories);
        int models = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.endsWith(QLatin1String(".md")) || path.endsWith(QLatin1String("data.bin")))
                continue;
            ++models;
        }
        QCOMPARE(models, 24);
    }
};

QTEST_GUILESS_MAIN(TestCliSummaryFormats)
#include "tst_cli_summary_formats.moc"
