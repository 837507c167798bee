// ONNX graphs nnscope must not run, refused with messages that say what is wrong
// (tests/golden/gen_onnx_refusals.py): every unsupported node named at once, with its op type
// and why; a value nothing produces; a cycle; a value produced twice; an output no node gives;
// a file that is not an ONNX model; inputs of the wrong shape or count; a node whose operands do
// not fit, named with its op type.

#include "io/onnx/onnx_graph_module.h"
#include "io/onnx/onnx_opset.h"
#include "support/files.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;

namespace {

std::string refusal(const std::string& name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/onnx_refusals/" + name + ".onnx";
}

// The message load_onnx_module throws for the file, or "" when it loads.
std::string load_error(const std::string& path) {
    try {
        io::load_onnx_module(path);
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

#define VERIFY_CONTAINS(text, part)                                                                \
    QVERIFY2(                                                                                      \
        (text).find(part) != std::string::npos,                                                    \
        qPrintable(QString::fromStdString("\"" + std::string(part) + "\" not in: " + (text))))

} // namespace

class TestOnnxRefusals : public QObject {
    Q_OBJECT

private slots:
    void unsupportedNodesAreAllNamedAtOnce() {
        const std::string message = load_error(refusal("unsupported"));
        VERIFY_CONTAINS(message, "unsupported.onnx");
        VERIFY_CONTAINS(message, "3 node(s) outside the supported ONNX operators");
        VERIFY_CONTAINS(message, "nms (NonMaxSuppression): operator not supported");
        VERIFY_CONTAINS(message, "upsample (Resize): mode=cubic not supported");
        VERIFY_CONTAINS(message, "fused (FusedGemm): domain com.microsoft not supported");
        QVERIFY(message.find("relu (Relu)") == std::string::npos);
    }

    // An operator of an older opset runs only when it means there what it means at opset 7: the
    // kernels implement the versions of opsets 7 to 17 (ONNX's Changelog.md gives the versions).
    void olderOpsets_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<int>("opset");
        QTest::addColumn<int>("kernel"); // 0: refused
        QTest::newRow("GlobalAveragePool-1") << "GlobalAveragePool" << 1 << 7;
        QTest::newRow("HardSigmoid at 6") << "HardSigmoid" << 6 << 7;
        QTest::newRow("HardSigmoid-1 (consumed_inputs)") << "HardSigmoid" << 5 << 0;
        QTest::newRow("Reshape-5") << "Reshape" << 6 << 7;
        QTest::newRow("Reshape-1 (shape attribute)") << "Reshape" << 4 << 0;
        QTest::newRow("Add-6 (broadcast attribute)") << "Add" << 6 << 0;
        QTest::newRow("Gemm-6") << "Gemm" << 6 << 0;
        QTest::newRow("Add at 12") << "Add" << 12 << 12;
        QTest::newRow("Relu at 18") << "Relu" << 18 << 0;
        QTest::newRow("opset 0") << "Relu" << 0 << 0;
    }
    void olderOpsets() {
        QFETCH(QString, op);
        QFETCH(int, opset);
        QFETCH(int, kernel);
        QCOMPARE(io::onnx_kernel_opset(op.toStdString(), opset).value_or(0), kernel);
    }

    void malformedGraphsAreNamed_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing input")
            << "missing_input"
            << "node add (Add) reads ghost, which is no graph input, initializer or node output";
        QTest::newRow("cycle") << "cycle"
                               << "the graph has a cycle; these nodes wait on each other: "
                                  "first (Add), second (Relu)";
        QTest::newRow("produced twice") << "twice"
                                        << "value y is produced twice";
        QTest::newRow("output nobody makes") << "no_output"
                                             << "graph output z is produced by no node";
    }

    void malformedGraphsAreNamed() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const std::string message = load_error(refusal(file.toStdString()));
        VERIFY_CONTAINS(message, "malformed graph");
        VERIFY_CONTAINS(message, expected.toStdString());
    }

    void notAnOnnxFileIsRefused() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("junk.onnx")).toStdString();
        test::write_bytes(path, std::string("\xff\xff\xff\xff not protobuf", 18));
        VERIFY_CONTAINS(load_error(path), "not an ONNX model");
        VERIFY_CONTAINS(load_error(dir.filePath(QStringLiteral("absent.onnx")).toStdString()),
                        "cannot open the file");
    }

    void wrongInputsAreNamed() {
        auto net = io::load_onnx_module(refusal("shapes"));
        QCOMPARE(io::onnx_graph_input_names(*net), std::vector<std::string>{"x"});
        try {
            net->call({Tensor::zeros({3, 3})});
            QFAIL("a [3, 3] input ran where [2, 3] is declared");
        } catch (const std::exception& e) {
            VERIFY_CONTAINS(std::string(e.what()),
                            "graph input x expects shape [2, 3], got [3, 3]");
        }
        try {
            net->call({Tensor::zeros({2, 3}), Tensor::zeros({2, 3})});
            QFAIL("two inputs ran where one is declared");
        } catch (const std::exception& e) {
            VERIFY_CONTAINS(std::string(e.what()), "takes 1 input tensor(s) but 2 were given");
        }
        try {
            net->call({Tensor::zeros({2, 3})});
            QFAIL("[2, 3] x [4, 5] ran");
        } catch (const std::exception& e) {
            VERIFY_CONTAINS(std::string(e.what()), "ONNX node product (MatMul): ");
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxRefusals)
#include "tst_onnx_refusals.moc"
