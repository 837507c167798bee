// The module tree of ONNX files written by torch.onnx.export (PyTorch 1.13, opset 13), checked
// against PyTorch's own named_modules() and per-module parameter counts (gen_onnx_tree.py): node
// scopes give the module paths ("/layer1/layer1.0/conv1/Conv" lies in layer1.0.conv1, not
// layer1.layer1.0.conv1), ops of a block lie in that block, and each initializer lies in the
// module of the nodes using it ("onnx::Conv_193" in the Conv it feeds), counted once when
// several modules use it. Where the file legitimately differs from PyTorch, the test says how:
// the eval-mode exporter folds each BatchNorm into the Conv before it (the BatchNorm's module is
// gone, the Conv gains a bias of out_channels elements), and writes a tied Linear weight again
// as its transposed copy.

#include "io/model_document.h"
#include "io/model_summary.h"
#include "io/onnx/onnx_tree.h"
#include "io/open_model.h"
#include "support/golden.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <string>

using namespace nnscope;

namespace {

std::string golden_onnx(const std::string& name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/onnx/" + name;
}

QJsonObject expected_tree(const std::string& model) {
    QFile file(QString::fromStdString(golden_onnx("tree_" + model + "_expected.json")));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

const io::ModuleRow* module(const io::ModelSummary& s, const std::string& path) {
    const int i = s.module_index(path);
    return i < 0 ? nullptr : &s.modules[static_cast<std::size_t>(i)];
}

const io::TensorRow* tensor(const io::ModelSummary& s, const std::string& name) {
    for (const auto& row : s.tensors)
        if (row.name == name) return &row;
    return nullptr;
}

const io::GraphNode* node(const io::ModelDocument& d, const std::string& name) {
    for (const auto& n : d.nodes)
        if (n.name == name) return &n;
    return nullptr;
}

std::int64_t count(const QJsonObject& object, const QString& key) {
    return static_cast<std::int64_t>(object.value(key).toDouble());
}

// The modules holding parameters, with their own counts, and the total, as the expected JSON
// states them; fails the test at the first difference.
void compare_with_expected(const io::ModelSummary& s, const QJsonObject& expected) {
    const QJsonObject modules = expected.value(QStringLiteral("onnx_modules")).toObject();
    QVERIFY(!modules.isEmpty());
    for (auto it = modules.begin(); it != modules.end(); ++it) {
        const io::ModuleRow* row = module(s, it.key().toStdString());
        QVERIFY2(row, qPrintable(it.key()));
        QCOMPARE(row->own_parameters, static_cast<std::int64_t>(it.value().toDouble()));
    }
    for (const auto& row : s.modules)
        if (row.own_parameters > 0)
            QVERIFY2(modules.contains(QString::fromStdString(row.path)), row.path.c_str());
    // Nothing is left on the root, and every parameter is counted once.
    QCOMPARE(s.modules[0].own_parameters, std::int64_t(0));
    QCOMPARE(s.modules[0].total_parameters, count(expected, QStringLiteral("total")));
    QCOMPARE(s.role_total(io::TensorRole::Parameter).elements,
             count(expected, QStringLiteral("total")));
    for (const auto& row : s.modules)
        QVERIFY2(row.path.find("layer1.layer1") == std::string::npos, row.path.c_str());
}

} // namespace

class TestOnnxTree : public QObject {
    Q_OBJECT

private slots:
    void node_scope_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("repeat");
        auto row = [](const char* name, const char* module, const char* repeat) {
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(module)
                                << QString::fromLatin1(repeat);
        };
        // torch 1.13: a scope is the module's last non-numeric atom and the numbers after it.
        row("/layer1/layer1.0/conv1/Conv", "layer1.0.conv1", "");
        row("/layer1/layer1.0/Add", "layer1.0", "");
        row("/layer1/layer1.0/Add_1", "layer1.0", "");
        row("/layer1/layer1.0/relu_1/Relu", "layer1.0.relu", "_1");
        row("/layer2/layer2.0/downsample/downsample.0/Conv", "layer2.0.downsample.0", "");
        row("/features/features.1/conv/conv.0/conv.0.0/Conv", "features.1.conv.0.0", "");
        row("/features/features.1/conv/conv.0/conv.0.0_2/Conv", "features.1.conv.0.0", "_2");
        row("/blocks/blocks.0.1/Add", "blocks.0.1", "");
        row("/conv1/Conv", "conv1", "");
        row("/Relu_1", "", "");
        row("/Flatten", "", "");
        // Scopes that are whole dotted paths, and other exporters' "/"-joined scopes.
        row("/a/a.b/a.b.c/MatMul", "a.b.c", "");
        row("sequential/dense_1/MatMul", "sequential.dense_1", "");
        row("Conv_0", "", "");
        row("", "", "");
        row("//x//Op", "x", "");
    }
    void node_scope() {
        QFETCH(QString, name);
        QFETCH(QString, module);
        QFETCH(QString, repeat);
        const io::NodeScope scope = io::node_scope(name.toStdString());
        QCOMPARE(QString::fromStdString(scope.module), module);
        QCOMPARE(QString::fromStdString(scope.repeat), repeat);
    }

    // Each committed export against PyTorch's truth (and the folding stated explicitly).
    void matches_pytorch_data() {
        QTest::addColumn<QString>("model");
        for (const char* model :
             {"resnet", "resnet_fresh", "resnet_train", "mobilenet", "tied", "sequential"})
            QTest::newRow(model) << QString::fromLatin1(model);
    }
    void matches_pytorch() {
        QFETCH(QString, model);
        const QJsonObject expected = expected_tree(model.toStdString());
        QVERIFY(!expected.isEmpty());
        const io::ModelDocument d =
            io::open_model(golden_onnx("tree_" + model.toStdString() + ".onnx"));
        const io::ModelSummary s = io::summarize(d);
        compare_with_expected(s, expected);
        if (QTest::currentTestFailed()) return;

        // Where there is no folding and no sharing, nnscope equals PyTorch module by module.
        const QJsonObject truth = expected.value(QStringLiteral("torch_modules")).toObject();
        const QJsonObject folded = expected.value(QStringLiteral("folded")).toObject();
        const bool shared = !expected.value(QStringLiteral("shared")).toObject().isEmpty();
        if (folded.isEmpty() && !shared)
            QCOMPARE(expected.value(QStringLiteral("onnx_modules")).toObject(), truth);
        // A folded BatchNorm: its module is not in the file; its Conv holds the Conv's weight
        // and one bias element per channel (the BatchNorm's weight and bias are 2 x channels),
        // and says so in its arguments.
        for (auto it = folded.begin(); it != folded.end(); ++it) {
            const std::string bn = it.key().toStdString(),
                              conv = it.value().toString().toStdString();
            QVERIFY2(!module(s, bn), bn.c_str());
            const io::ModuleRow* row = module(s, conv);
            QVERIFY2(row, conv.c_str());
            if (!shared)
                QCOMPARE(row->own_parameters,
                         count(truth, QString::fromStdString(conv)) + count(truth, it.key()) / 2);
            QVERIFY2(row->arguments.rfind("BatchNorm folded in (onnx::Conv_", 0) == 0,
                     row->arguments.c_str());
            QCOMPARE(row->type, std::string("Conv"));
        }
        if (!folded.isEmpty())
            QVERIFY(s.metadata.count("onnx.folded_batchnorm"));
        else
            QVERIFY(!s.metadata.count("onnx.folded_batchnorm"));
    }

    // The exporter kept one of several equal folded biases and feeds the other Convs through
    // Identity nodes: that initializer lies in its first user, lists every module using it, and
    // counts once.
    void shared_initializers_count_once() {
        const QJsonObject expected = expected_tree("resnet_fresh");
        const QJsonObject shared = expected.value(QStringLiteral("shared")).toObject();
        QCOMPARE(shared.size(), 2);
        const io::ModelSummary s =
            io::summarize(io::open_model(golden_onnx("tree_resnet_fresh.onnx")));
        for (auto it = shared.begin(); it != shared.end(); ++it) {
            const io::TensorRow* row = tensor(s, it.key().toStdString());
            QVERIFY(row);
            std::vector<std::string> users;
            for (const auto& user : it.value().toArray())
                users.push_back(user.toString().toStdString());
            QCOMPARE(row->used_by, users);
            QCOMPARE(row->module, users.front());
        }
        QCOMPARE(tensor(s, "onnx::Conv_102")->used_by.size(), std::size_t(5));
        QVERIFY(tensor(s, "fc.weight")->used_by.empty());
        // 1184 = conv1's 8x3x7x7 weight and the 8 shared bias elements; layer1.0.conv1 uses the
        // same bias and holds only its weight.
        QCOMPARE(module(s, "conv1")->own_parameters, std::int64_t(1184));
        QCOMPARE(module(s, "layer1.0.conv1")->own_parameters, std::int64_t(576));
    }

    // Ops of a block lie in the block; a module called twice is one module.
    void block_ops_and_repeated_calls() {
        const io::ModelDocument d = io::open_model(golden_onnx("tree_resnet.onnx"));
        QCOMPARE(node(d, "/layer1/layer1.0/Add")->module, std::string("layer1.0"));
        QCOMPARE(node(d, "/layer1/layer1.0/relu_1/Relu")->module, std::string("layer1.0.relu"));
        const io::ModelSummary s = io::summarize(d);
        QVERIFY(!module(s, "layer1.0.relu_1"));
        QVERIFY(!module(s, "Add"));
        QCOMPARE(module(s, "layer1.0.relu")->type, std::string("Relu"));
        QCOMPARE(module(s, "layer1.0")->type, std::string());             // a block of several ops
        QCOMPARE(module(s, "layer1.0")->children.size(), std::size_t(3)); // conv1, relu, conv2
        QCOMPARE(tensor(s, "onnx::Conv_105") ? tensor(s, "onnx::Conv_105")->module : "",
                 std::string("layer1.0.conv1"));
        // A shared ReLU module in a Sequential ("/1/Relu", then "/1_1/Relu").
        const io::ModelDocument seq = io::open_model(golden_onnx("tree_sequential.onnx"));
        QCOMPARE(node(seq, "/1_1/Relu")->module, std::string("1"));
    }

    // A module really named "relu_1" (its tensors say so) stays itself.
    void suffix_that_is_a_name() {
        io::ModelDocument d;
        for (const char* name : {"/relu/Relu", "/relu_1/Gemm"}) {
            io::GraphNode n;
            n.name = name;
            n.op_type = std::string(name).substr(std::string(name).rfind('/') + 1);
            if (n.op_type == "Gemm") n.inputs = {"x", "relu_1.weight"};
            d.nodes.push_back(n);
        }
        io::TensorEntry weight;
        weight.name = "relu_1.weight";
        weight.shape = {2, 2};
        d.tensors.push_back(weight);
        io::build_onnx_module_tree(d);
        QCOMPARE(d.nodes[1].module, std::string("relu_1"));
    }

    // A tied Linear weight: PyTorch counts embed.weight once; the exporter writes the head's
    // MatMul a transposed copy (onnx::MatMul_*), so the file holds 800 more elements, and each
    // module holds what PyTorch says it holds.
    void tied_weight_written_twice() {
        const QJsonObject expected = expected_tree("tied");
        const io::ModelSummary s = io::summarize(io::open_model(golden_onnx("tree_tied.onnx")));
        QCOMPARE(count(expected, QStringLiteral("total")) -
                     count(expected, QStringLiteral("torch_total")),
                 std::int64_t(50 * 16));
        QCOMPARE(module(s, "head")->own_parameters, std::int64_t(800));
        QCOMPARE(module(s, "encoder.self_attn.out_proj")->parent,
                 s.module_index("encoder.self_attn"));
    }

    // Other exporters' files in ../shared/models: PyTorch 2.0 ("/Relu_1" is a root op, names
    // are state_dict names) and tf2onnx ("sequential/dense_1/MatMul", initializers named after
    // the node reading them) leave nothing on the root.
    void other_exporters() {
        const QString dir = test::sharedDir() + QStringLiteral("/models/onnx/");
        if (!QFile::exists(dir + QStringLiteral("burn_onnx_mnist.onnx")))
            QSKIP("../shared/models/onnx is not here");
        const io::ModelSummary burn = io::summarize(
            io::open_model((dir + QStringLiteral("burn_onnx_mnist.onnx")).toStdString()));
        QCOMPARE(burn.modules[0].own_parameters, std::int64_t(0));
        QCOMPARE(module(burn, "conv1")->own_parameters, std::int64_t(8 * 9 + 8));
        QCOMPARE(module(burn, "norm1")->type, std::string("BatchNormalization"));
        const io::ModelSummary keras = io::summarize(
            io::open_model((dir + QStringLiteral("tract_keras_tf2_example.onnx")).toStdString()));
        QCOMPARE(keras.modules[0].own_parameters, std::int64_t(0));
        QCOMPARE(module(keras, "sequential.main_input")->own_parameters,
                 std::int64_t(100 * 32 + 32));
        QCOMPARE(module(keras, "sequential.dense_1")->own_parameters, std::int64_t(32 + 1));
        QCOMPARE(tensor(keras, "sequential/dense_1/MatMul/ReadVariableOp:0")->module,
                 std::string("sequential.dense_1"));
    }

    // Full-size torchvision models (exported by gen_onnx_tree.py --full DIR; 45 and 14 MB, not
    // committed) when NNSCOPE_ONNX_FULL_DIR names that folder.
    void full_torchvision_models_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("resnet18") << QStringLiteral("resnet18");
        QTest::newRow("mobilenet_v2") << QStringLiteral("mobilenet_v2");
    }
    void full_torchvision_models() {
        QFETCH(QString, model);
        const QString dir = qEnvironmentVariable("NNSCOPE_ONNX_FULL_DIR");
        const QString path = dir + QStringLiteral("/tree_") + model + QStringLiteral(".onnx");
        if (dir.isEmpty() || !QFile::exists(path))
            QSKIP("set NNSCOPE_ONNX_FULL_DIR to the folder gen_onnx_tree.py --full wrote");
        const io::ModelSummary s = io::summarize(io::open_model(path.toStdString()));
        compare_with_expected(s, expected_tree(model.toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestOnnxTree)
#include "tst_onnx_tree.moc"
