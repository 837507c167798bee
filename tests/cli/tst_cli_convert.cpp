// nnscope-cli convert IN OUT: round trips between PyTorch zip/legacy/TorchScript files, plain
// safetensors and native models keep every name, dtype, shape and value; a native model stays
// native; --architecture gives a state_dict its native tree; what makes no sense is refused with
// the reason and leaves no output file.

#include "cli/cli_runner.h"
#include "io/native_model.h"
#include "io/open_model.h"
#include "io/pytorch_writer.h"
#include "support/golden.h"
#include "vision/torchvision_models.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::CliResult;
using nnscope::test::golden_cli;
using nnscope::test::run_cli;

namespace {

QString golden(const char* relative) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/") + QString::fromLatin1(relative);
}

io::NamedTensors tensors_of(const QString& path) {
    const io::ModelDocument document = io::open_model(path.toStdString());
    io::NamedTensors out;
    for (const auto& entry : document.tensors)
        out.emplace_back(entry.name, entry.load());
    return out;
}

void compare_all(const io::NamedTensors& actual, const io::NamedTensors& expected) {
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].first, expected[i].first);
        NNSCOPE_COMPARE_TENSORS_EXACT(actual[i].second, expected[i].second);
    }
}

CliResult convert(const QString& in, const QString& out, QStringList extra = {}) {
    return run_cli(QStringList{QStringLiteral("convert"), in, out} + extra);
}

void expect_refusal(const CliResult& result, const QString& reason) {
    QVERIFY2(!result.crashed && result.exit_code != 0, qPrintable(test::describe(result)));
    QVERIFY2(result.err.contains(reason), qPrintable(test::describe(result)));
}

} // namespace

class TestCliConvert : public QObject {
    Q_OBJECT

private slots:
    // IN -> OUT -> back again: names in order, dtypes, shapes and values stay exact.
    void roundTrips_data() {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        const QString st = QStringLiteral("safetensors");
        const QString pt = QStringLiteral("pt");
        const QString pth = QStringLiteral("pth");
        QTest::newRow("pt -> safetensors -> pt") << golden("pytorch_files/dtypes.pt") << st << pt;
        QTest::newRow("legacy -> pt -> safetensors")
            << golden("pytorch_files/dtypes_legacy.pt") << pt << st;
        QTest::newRow("views -> pth -> safetensors")
            << golden("pytorch_files/views.pt") << pth << st;
        QTest::newRow("checkpoint -> pt -> safetensors")
            << golden("pytorch_files/checkpoint.pt") << pt << st;
        QTest::newRow("torchscript -> safetensors -> pt")
            << golden("pytorch_files/torchscript.pt") << st << pt;
        QTest::newRow("safetensors -> pt -> safetensors")
            << golden("safetensors/dtypes.safetensors") << pt << st;
    }

    void roundTrips() {
        QFETCH(QString, in);
        QFETCH(QString, first);
        QFETCH(QString, second);
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a.") + first);
        const QString b = dir.filePath(QStringLiteral("b.") + second);
        const CliResult r1 = convert(in, a);
        NNSCOPE_EXPECT_CLI_OK(r1);
        QVERIFY(r1.out.contains(QStringLiteral("wrote")));
        NNSCOPE_EXPECT_CLI_OK(convert(a, b));
        const io::NamedTensors expected = tensors_of(in);
        QVERIFY(!expected.empty());
        compare_all(tensors_of(a), expected);
        compare_all(tensors_of(b), expected);
        QCOMPARE(io::detect_model_format(a.toStdString()), first == QLatin1String("safetensors")
                                                               ? std::string("safetensors")
                                                               : std::string("pytorch"));
    }

    // Plain values of a checkpoint (epoch, loss) stay as safetensors metadata.
    void checkpointMetadataKept() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("c.safetensors"));
        NNSCOPE_EXPECT_CLI_OK(convert(golden("pytorch_files/checkpoint.pt"), out));
        const io::ModelDocument source =
            io::open_model(golden("pytorch_files/checkpoint.pt").toStdString());
        const io::ModelDocument converted = io::open_model(out.toStdString());
        QVERIFY(source.metadata.count("epoch"));
        QCOMPARE(converted.metadata.at("epoch"), source.metadata.at("epoch"));
        for (const auto& [key, value] : converted.metadata)
            QVERIFY2(!key.starts_with("nnscope.architecture"), key.c_str());
    }

    // A native model stays native (same tree and tensors); to .pt it becomes its state_dict;
    // --plain drops the architecture.
    void nativeModels() {
        QTemporaryDir dir;
        const QString in = golden_cli(QStringLiteral("conv_bn.safetensors"));
        const QString native = dir.filePath(QStringLiteral("native.safetensors"));
        const QString pt = dir.filePath(QStringLiteral("state.pt"));
        const QString plain = dir.filePath(QStringLiteral("plain.safetensors"));
        NNSCOPE_EXPECT_CLI_OK(convert(in, native));
        NNSCOPE_EXPECT_CLI_OK(convert(in, pt));
        NNSCOPE_EXPECT_CLI_OK(convert(in, plain, {QStringLiteral("--plain")}));
        const io::ModelDocument source = io::open_model(in.toStdString());
        const io::ModelDocument again = io::open_model(native.toStdString());
        QCOMPARE(again.format, io::ModelFormat::Nnscope);
        QCOMPARE(again.modules, source.modules);
        QCOMPARE(io::open_model(plain.toStdString()).format, io::ModelFormat::Safetensors);
        const io::NativeModel model = io::load_native_model(in.toStdString());
        io::NamedTensors state;
        for (const auto& [key, value] : model.module->state_dict())
            state.emplace_back(key, value);
        compare_all(tensors_of(pt), state);
        compare_all(tensors_of(plain), state);
        compare_all(tensors_of(native), tensors_of(in));
    }

    // A state_dict (as PyTorch would save it) with a native model's architecture becomes that
    // native model again.
    void architectureFromNativeModel() {
        QTemporaryDir dir;
        const QString reference = golden_cli(QStringLiteral("conv_bn.safetensors"));
        const QString pt = dir.filePath(QStringLiteral("state.pt"));
        const QString out = dir.filePath(QStringLiteral("out.safetensors"));
        NNSCOPE_EXPECT_CLI_OK(convert(reference, pt));
        NNSCOPE_EXPECT_CLI_OK(convert(pt, out, {QStringLiteral("--architecture"), reference}));
        const io::ModelDocument document = io::open_model(out.toStdString());
        QCOMPARE(document.format, io::ModelFormat::Nnscope);
        QCOMPARE(document.modules, io::open_model(reference.toStdString()).modules);
        compare_all(tensors_of(out), tensors_of(reference));
    }

    // A state_dict of a torchvision model with `--architecture torchvision:NAME` becomes a
    // native model with torchvision's module tree, which reopens with the same tensors.
    void architectureFromTorchvision() {
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("squeezenet.pt"));
        const QString out = dir.filePath(QStringLiteral("squeezenet.safetensors"));
        const auto model = vision::build_torchvision_model("squeezenet1_1");
        io::NamedTensors state;
        for (const auto& [key, value] : model->state_dict())
            state.emplace_back(key, value);
        io::save_pytorch_state_dict(pt.toStdString(), state);
        NNSCOPE_EXPECT_CLI_OK(convert(
            pt, out,
            {QStringLiteral("--architecture"), QStringLiteral("torchvision:squeezenet1_1")}));
        const io::NativeModel native = io::load_native_model(out.toStdString());
        QCOMPARE(native.module->type_name(), std::string("SqueezeNet"));
        QCOMPARE(native.module->child("features")->child("3")->type_name(), std::string("Fire"));
        QCOMPARE(native.module->repr(), model->repr());
        compare_all(tensors_of(out), state);

        expect_refusal(
            convert(pt, dir.filePath(QStringLiteral("r.safetensors")),
                    {QStringLiteral("--architecture"), QStringLiteral("torchvision:resnet17")}),
            QStringLiteral("unknown torchvision architecture 'resnet17'"));
        expect_refusal(convert(pt, dir.filePath(QStringLiteral("s.safetensors")),
                               {QStringLiteral("--architecture"),
                                QStringLiteral("torchvision:squeezenet1_0")}),
                       QStringLiteral("size mismatch for features.0.weight: copying a param with "
                                      "shape torch.Size([64, 3, 3, 3]) from checkpoint"));
    }

    // A state_dict with a key missing and one unexpected: refused with PyTorch's message, or with
    // --non-strict loaded as load_state_dict(strict=False) does, the keys printed as
    // _IncompatibleKeys.
    void incompatibleKeys() {
        QTemporaryDir dir;
        const QString reference = golden_cli(QStringLiteral("conv_bn.safetensors"));
        io::NamedTensors state;
        for (const auto& [key, value] : tensors_of(reference))
            if (key != "5.bias") state.emplace_back(key, value);
        state.emplace_back("extra", Tensor::zeros({1}));
        const QString pt = dir.filePath(QStringLiteral("partial.pt"));
        io::save_pytorch_state_dict(pt.toStdString(), state);

        const QString out = dir.filePath(QStringLiteral("out.safetensors"));
        expect_refusal(convert(pt, out, {QStringLiteral("--architecture"), reference}),
                       QStringLiteral("cannot convert: Error(s) in loading state_dict for "
                                      "Sequential:\n\tMissing key(s) in state_dict: \"5.bias\". "
                                      "\n\tUnexpected key(s) in state_dict: \"extra\". "));
        QVERIFY(!QFile::exists(out));

        const auto loose = convert(
            pt, out, {QStringLiteral("--architecture"), reference, QStringLiteral("--non-strict")});
        NNSCOPE_EXPECT_CLI_OK(loose);
        QVERIFY2(loose.out.contains(QStringLiteral(
                     "load_state_dict(strict=False): _IncompatibleKeys(missing_keys=['5.bias'], "
                     "unexpected_keys=['extra'])\n")),
                 qPrintable(loose.out));
        // The matched tensors came from the file; the missing bias kept the architecture file's.
        const io::NamedTensors written = tensors_of(out);
        const io::NamedTensors original = tensors_of(reference);
        QCOMPARE(written.size(), original.size());
        for (std::size_t i = 0; i < written.size(); ++i)
            NNSCOPE_COMPARE_TENSORS_EXACT(written[i].second, original[i].second);

        const auto matched =
            convert(reference, dir.filePath(QStringLiteral("all.safetensors")),
                    {QStringLiteral("--architecture"), reference, QStringLiteral("--non-strict")});
        NNSCOPE_EXPECT_CLI_OK(matched);
        QVERIFY2(matched.out.contains(QStringLiteral(
                     "load_state_dict(strict=False): <All keys matched successfully>\n")),
                 qPrintable(matched.out));
    }

    void refusals() {
        QTemporaryDir dir;
        const QString in = golden("pytorch_files/state_dict.pt");
        const QString reference = golden_cli(QStringLiteral("conv_bn.safetensors"));

        expect_refusal(convert(in, dir.filePath(QStringLiteral("m.onnx"))),
                       QStringLiteral("does not export ONNX"));
        expect_refusal(convert(in, dir.filePath(QStringLiteral("m.bin"))),
                       QStringLiteral("unknown output format"));
        expect_refusal(convert(in, in), QStringLiteral("same file"));
        expect_refusal(convert(dir.filePath(QStringLiteral("missing.pt")),
                               dir.filePath(QStringLiteral("x.safetensors"))),
                       QStringLiteral("no such file"));

        // Optimizer state alone has no model to become.
        const QString optimizer = dir.filePath(QStringLiteral("optimizer.pt"));
        io::save_pytorch_state_dict(optimizer.toStdString(),
                                    {{"optimizer.state.0.exp_avg", Tensor::ones({3})}});
        expect_refusal(convert(optimizer, dir.filePath(QStringLiteral("o.safetensors")),
                               {QStringLiteral("--architecture"), reference}),
                       QStringLiteral("only optimizer state"));

        // float64 weights cannot go into the model's float32 tensors without rounding; a state_dict
        // of another model does not fit.
        const io::NativeModel model = io::load_native_model(reference.toStdString());
        io::NamedTensors state;
        for (const auto& [key, value] : model.module->state_dict())
            state.emplace_back(key, value.is_floating_point() ? value.to(DType::Float64) : value);
        const QString wide = dir.filePath(QStringLiteral("wide.pt"));
        io::save_pytorch_state_dict(wide.toStdString(), state);
        expect_refusal(convert(wide, dir.filePath(QStringLiteral("w.safetensors")),
                               {QStringLiteral("--architecture"), reference}),
                       QStringLiteral("cannot hold exactly"));
        expect_refusal(convert(in, dir.filePath(QStringLiteral("s.safetensors")),
                               {QStringLiteral("--architecture"), reference}),
                       QStringLiteral("Error(s) in loading state_dict for Sequential:\n\tMissing "
                                      "key(s) in state_dict: \"0.weight\""));
        expect_refusal(convert(in, dir.filePath(QStringLiteral("n.safetensors")),
                               {QStringLiteral("--non-strict")}),
                       QStringLiteral("--non-strict applies to a state_dict loaded with "
                                      "--architecture"));

        // A hostile pickle's call stays inert data: only its tensor is converted.
        const auto inert = convert(golden("pytorch_files/malicious_os_system.pt"),
                                   dir.filePath(QStringLiteral("evil.safetensors")));
        QVERIFY2(!inert.crashed && inert.exit_code == 0, qPrintable(inert.err));
        QCOMPARE(io::SafetensorsFile(dir.filePath(QStringLiteral("evil.safetensors")).toStdString())
                     .names(),
                 std::vector<std::string>{"weight"});
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("evil.safetensors"))));

        QStringList left = QDir(dir.path()).entryList(QDir::Files);
        left.removeAll(QStringLiteral("optimizer.pt"));
        left.removeAll(QStringLiteral("wide.pt"));
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
    }

    void usageErrors() {
        QTemporaryDir dir;
        const CliResult missing = run_cli({QStringLiteral("convert"), QStringLiteral("a.pt")});
        QCOMPARE(missing.exit_code, 2);
        const CliResult wrong =
            convert(golden("pytorch_files/state_dict.pt"), dir.filePath(QStringLiteral("x.pt")),
                    {QStringLiteral("--architecture"), QStringLiteral("y")});
        QCOMPARE(wrong.exit_code, 2);
        QVERIFY(wrong.err.contains(QStringLiteral("OUT must be .safetensors")));
    }
};

QTEST_GUILESS_MAIN(TestCliConvert)
#include "tst_cli_convert.moc"
