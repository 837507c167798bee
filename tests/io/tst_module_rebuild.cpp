// Rebuilding whole pickled models and TorchScript files (script and trace) of standard torch.nn
// layers as engine modules (gen_rebuild_models.py): the rebuilt module's output and input
// gradient must be PyTorch's; unknown classes, files without a module and hostile variants are
// refused with messages that name the problem.

#include "engine/tensor.h"
#include "io/module_rebuild.h"
#include "support/errors.h"
#include "support/golden.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>

using namespace nnscope;

namespace {

std::string model_file(const std::string& name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/rebuild/" + name;
}

// |actual - expected| <= rel * (max |expected|) element-wise: a tolerance relative to the
// tensor's scale.
void compare_scaled(const Tensor& actual, const Tensor& expected, double rel) {
    double scale = 0.0;
    for (double v : expected.to_vector())
        scale = std::max(scale, std::abs(v));
    NNSCOPE_COMPARE_TENSORS(actual, expected, rel * scale, rel);
}

// Runs the module on the golden input and checks the output and, for float inputs, the input's
// gradient for grad_output.
void check_against_golden(nn::Module& module, const std::string& golden) {
    const test::GoldenFile g("rebuild/" + golden + ".safetensors");
    QVERIFY(!module.is_training());
    Tensor input = g.tensor("input").clone();
    const bool floating = g.has("grad.input");
    if (floating) input.requires_grad_(true);
    const Tensor output = module(input);
    compare_scaled(output.detach(), g.tensor("output"), 1e-5);
    if (!floating) return;
    output.backward(g.tensor("grad_output"));
    compare_scaled(input.grad(), g.tensor("grad.input"), 1e-5);
}

#define VERIFY_CONTAINS(text, part)                                                                \
    QVERIFY2(std::string(text).find(part) != std::string::npos,                                    \
             qPrintable(QString::fromStdString(std::string(text) + "\n  lacks: " + (part))))

} // namespace

class TestModuleRebuild : public QObject {
    Q_OBJECT

private slots:
    void models_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("format");
        for (const char* model : {"mlp", "cnn", "nested", "embed", "pads", "pads1d", "activations"})
            for (const char* format : {"pickle", "script", "trace"})
                QTest::addRow("%s.%s", model, format) << model << format;
        QTest::addRow("cnn.legacy") << "cnn"
                                    << "legacy";
    }
    void models() {
        QFETCH(QString, model);
        QFETCH(QString, format);
        const std::string name = model.toStdString();
        const auto module =
            io::rebuild_pytorch_module(model_file(name + "." + format.toStdString() + ".pt"));
        QVERIFY(module);
        check_against_golden(*module, name);
    }

    // The types and arguments are torch.nn's, whatever the format kept them in.
    void cnn_repr_data() {
        QTest::addColumn<QString>("format");
        for (const char* format : {"pickle", "script", "trace", "legacy"})
            QTest::newRow(format) << format;
    }
    void cnn_repr() {
        QFETCH(QString, format);
        const auto module =
            io::rebuild_pytorch_module(model_file("cnn." + format.toStdString() + ".pt"));
        const std::string repr = module->repr();
        VERIFY_CONTAINS(repr, "(4): Conv2d(6, 8, kernel_size=(3, 3), stride=(2, 2), "
                              "padding=(1, 1), groups=2, bias=False)");
        VERIFY_CONTAINS(repr, "(5): BatchNorm2d(8, eps=0.001, momentum=0.2, affine=True, "
                              "track_running_stats=True)");
        // A trace keeps only the pair the int became.
        VERIFY_CONTAINS(repr, format == "trace"
                                  ? "(3): MaxPool2d(kernel_size=(2, 2), stride=(2, 2), "
                                    "padding=(0, 0), dilation=(1, 1), ceil_mode=False)"
                                  : "(3): MaxPool2d(kernel_size=2, stride=2, padding=0, "
                                    "dilation=1, ceil_mode=False)");
        VERIFY_CONTAINS(repr, "(9): Linear(in_features=32, out_features=5, bias=True)");
    }

    // Conv2d's padding modes survive every format; a trace keeps them only as a torch.pad call,
    // whose (left, right) pairs give the padding back ("same" where they differ).
    void pads_repr_data() {
        QTest::addColumn<QString>("format");
        for (const char* format : {"pickle", "script", "trace"})
            QTest::newRow(format) << format;
    }
    void pads_repr() {
        QFETCH(QString, format);
        const auto module =
            io::rebuild_pytorch_module(model_file("pads." + format.toStdString() + ".pt"));
        const std::string repr = module->repr();
        VERIFY_CONTAINS(repr, "(0): Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), "
                              "padding=(1, 1), padding_mode=reflect)");
        VERIFY_CONTAINS(repr, "(2): Conv2d(3, 3, kernel_size=(2, 3), stride=(1, 1), "
                              "padding=same, padding_mode=replicate)");
        VERIFY_CONTAINS(repr, "(3): Conv2d(3, 2, kernel_size=(3, 3), stride=(2, 2), "
                              "padding=(1, 2), padding_mode=circular)");
        const std::string repr1d =
            io::rebuild_pytorch_module(model_file("pads1d." + format.toStdString() + ".pt"))
                ->repr();
        VERIFY_CONTAINS(repr1d, "(2): Conv1d(3, 2, kernel_size=(4,), stride=(1,), padding=same, "
                                "padding_mode=replicate)");
        VERIFY_CONTAINS(repr1d, "(3): Conv1d(2, 2, kernel_size=(3,), stride=(2,), padding=(2,), "
                                "dilation=(2,), padding_mode=circular)");
    }

    // A submodule by path: the same numbers as the whole model's part.
    void submodule_by_path() {
        const auto block = io::rebuild_pytorch_module(model_file("nested.pickle.pt"), "block.1");
        QCOMPARE(block->type_name(), std::string("LayerNorm"));
        const auto head = io::rebuild_pytorch_module(model_file("nested.script.pt"), "head");
        QCOMPARE(head->named_children().size(), std::size_t(4));
        const std::string missing = test::error_message(
            [] { io::rebuild_pytorch_module(model_file("nested.pickle.pt"), "block.7"); });
        VERIFY_CONTAINS(missing, "no module 'block.7'");
        VERIFY_CONTAINS(missing, "its submodules: 0, 1, 2");
    }

    // __main__.Net is refused as a whole, with why and what to do; its standard submodules run.
    void custom_class_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("class_name");
        QTest::newRow("pickle") << "pickle"
                                << "__main__.Net";
        QTest::newRow("script") << "script"
                                << "__torch__.Net";
        QTest::newRow("trace") << "trace"
                               << "__torch__.Net";
    }
    void custom_class() {
        QFETCH(QString, format);
        QFETCH(QString, class_name);
        const std::string file = model_file("net." + format.toStdString() + ".pt");
        const std::string message = test::error_message([&] { io::rebuild_pytorch_module(file); });
        VERIFY_CONTAINS(message, "module '(root)' (" + class_name.toStdString() + ")");
        VERIFY_CONTAINS(message, format == "pickle" ? "Python code, which the file does not "
                                                      "contain"
                                                    : "TorchScript code");
        VERIFY_CONTAINS(message, "ONNX");
        VERIFY_CONTAINS(message, "features, blocks, heads");
        check_against_golden(*io::rebuild_pytorch_module(file, "features"), "net_features");
        // ModuleList and ModuleDict rebuild as containers of their layers.
        const auto heads = io::rebuild_pytorch_module(file, "heads");
        QCOMPARE(heads->type_name(), std::string("ModuleDict"));
        QCOMPARE(heads->child("b")->type_name(), std::string("Linear"));
        QCOMPARE(io::rebuild_pytorch_module(file, "blocks")->type_name(),
                 std::string("ModuleList"));
    }

    void state_dict_is_not_a_model() {
        const std::string message =
            test::error_message([] { io::rebuild_pytorch_module(model_file("state_dict.pt")); });
        VERIFY_CONTAINS(message, "holds no module to run");
        VERIFY_CONTAINS(message, "--architecture");
    }

    // A checkpoint dict holding a whole model: the model rebuilds by its key.
    void checkpoint_dict() {
        const std::string file = model_file("checkpoint.pt");
        const std::string message = test::error_message([&] { io::rebuild_pytorch_module(file); });
        VERIFY_CONTAINS(message, "holds a dict whose entries model are modules");
        check_against_golden(*io::rebuild_pytorch_module(file, "model"), "mlp");
        const std::string deeper =
            test::error_message([&] { io::rebuild_pytorch_module(file, "model.9"); });
        VERIFY_CONTAINS(deeper, "no module 'model.9': 'model' has no submodule '9'");
    }

    void hostile_variants_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong type") << "bad_type.pt"
                                    << "module '0' (torch.nn.modules.linear.Linear): Linear: "
                                       "argument 'in_features' must be int, got str 'four'";
        QTest::newRow("missing") << "bad_missing.pt"
                                 << "module '1' (torch.nn.modules.conv.Conv2d): Conv2d: missing "
                                    "required argument 'kernel_size'";
        QTest::newRow("shape") << "bad_shape.pt"
                               << "'weight' has shape [3, 5] in the file but [3, 4]";
        QTest::newRow("huge") << "bad_huge.pt"
                              << "attributes declare tensors of about 3000000000000 elements "
                                 "but the file holds 15";
        QTest::newRow("child") << "bad_child.pt"
                               << "submodule '1' is 3, not a pickled torch.nn.Module";
    }
    void hostile_variants() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const std::string message = test::error_message(
            [&] { io::rebuild_pytorch_module(model_file(file.toStdString())); });
        VERIFY_CONTAINS(message, expected.toStdString());
        VERIFY_CONTAINS(message, file.toStdString());
    }

    // Every truncation of a file is an error or a module, never a crash.
    void truncated_files() {
        for (const char* name : {"mlp.pickle.pt", "mlp.script.pt", "cnn.legacy.pt"}) {
            std::ifstream in(model_file(name), std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const std::string path = QDir::tempPath().toStdString() + "/nnscope_rebuild_cut.pt";
            for (std::size_t cut : {std::size_t(0), std::size_t(10), bytes.size() / 3,
                                    bytes.size() / 2, bytes.size() - 30}) {
                std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), cut);
                const std::string message =
                    test::error_message([&] { io::rebuild_pytorch_module(path); });
                QVERIFY2(message != "<no error>", name);
            }
            std::remove(path.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestModuleRebuild)
#include "tst_module_rebuild.moc"
