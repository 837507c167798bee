// Small models torch.onnx.export wrote at opsets 11, 14 and 17 (Einsum 12, 14, 17) run on the
// engine with PyTorch 1.13's outputs and gradients (tests/golden/gen_onnx_run.py): a BERT-style
// encoder (embeddings, multi-head attention, LayerNorm, GELU through Erf), a bidirectional LSTM,
// a two-layer GRU, nearest and bilinear Resize, grouped strided ConvTranspose, Einsum, and
// Conv2d with padding_mode reflect and replicate (Pad with mode reflect and edge).

#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "io/onnx/onnx_graph_module.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>

using namespace nnscope;

class TestOnnxRun : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("opset");
        for (const char* model :
             {"bert", "lstm", "gru", "resize", "convtranspose", "einsum", "pads"})
            for (int opset : {11, 14, 17}) {
                const int v =
                    opset == 11 && QLatin1String(model) == QLatin1String("einsum") ? 12 : opset;
                const QByteArray row = QByteArray(model) + " opset " + QByteArray::number(v);
                QTest::newRow(row.constData()) << QString::fromLatin1(model) << v;
            }
    }

    void matchesPyTorch() {
        QFETCH(QString, model);
        QFETCH(int, opset);
        const std::string dir = std::string(NNSCOPE_GOLDEN_DIR) + "/onnx_run/";
        const test::GoldenFile golden("onnx_run/" + model.toStdString() + ".safetensors");
        auto net = io::load_onnx_module(dir + model.toStdString() + ".opset" +
                                        std::to_string(opset) + ".onnx");
        Tensor x = golden.tensor("input").clone();
        if (x.is_floating_point()) x.requires_grad_(true);
        const Tensor y = net->call({x});
        NNSCOPE_COMPARE_TENSORS(y.detach(), golden.tensor("output"), 1e-5, 1e-4);
        sum(mul(y, golden.tensor("grad_output"))).backward();
        if (x.is_floating_point()) {
            NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor("grad.input"), 1e-5, 1e-4);
            return;
        }
        // bert: the token embedding table is a parameter of the Gather node that reads it.
        Tensor table;
        for (const auto& [name, p] : net->named_parameters())
            if (name.size() >= 10 && name.compare(name.size() - 10, 10, "tok_weight") == 0)
                table = p;
        QVERIFY(table.defined());
        NNSCOPE_COMPARE_TENSORS(table.grad(), golden.tensor("grad.tok.weight"), 1e-5, 1e-4);
    }

    // The ops composed from engine ops (ConvTranspose's spread and flipped weights, Resize's
    // blends, Einsum's batched product, the unrolled LSTM and GRU) against finite differences,
    // the graph run in float64.
    void gradcheckInFloat64_data() {
        QTest::addColumn<QString>("model");
        for (const char* model : {"lstm", "gru", "resize", "convtranspose", "einsum"})
            QTest::newRow(model) << QString::fromLatin1(model);
    }

    void gradcheckInFloat64() {
        QFETCH(QString, model);
        const std::string path =
            std::string(NNSCOPE_GOLDEN_DIR) + "/onnx_run/" + model.toStdString() + ".opset17.onnx";
        auto net = io::load_onnx_module(path, {.float64 = true});
        const test::GoldenFile golden("onnx_run/" + model.toStdString() + ".safetensors");
        const Tensor x = golden.tensor("input").to(DType::Float64);
        NNSCOPE_GRADCHECK([&net](const std::vector<Tensor>& in) { return net->call({in[0]}); },
                          (std::vector<Tensor>{x}));
    }
};

QTEST_GUILESS_MAIN(TestOnnxRun)
#include "tst_onnx_run.moc"
