// ONNX models: files written by torch.onnx.export (opsets 9, 13, 17), by onnx.save_model with
// external data and by onnx.helper with typed-field initializers (gen_onnx.py) must open with the
// metadata, graph inputs/outputs, nodes, attributes and initializer values that onnx's own Python
// reader reports; hostile and broken files are refused with a clear error; every ONNX file in
// ../shared/models/onnx opens with the facts PROVENANCE.md records.

#include "io/open_model.h"
#include "io/tensor_bytes.h"
#include "support/files.h"
#include "support/golden.h"
#include "support/protobuf_bytes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <filesystem>
#include <map>

using namespace nnscope;
using nnscope::test::GoldenFile;
using nnscope::test::open_and_load_all;
using nnscope::test::read_bytes;
using nnscope::test::write_bytes;

namespace {

std::string golden_onnx(const std::string& name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/onnx/" + name;
}

QJsonObject expected_json(const std::string& name) {
    QFile file(QString::fromStdString(golden_onnx(name + "_expected.json")));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

std::string str(const QJsonValue& v) {
    return v.toString().toStdString();
}

// ONNX TensorProto.DataType numbers -> the names the document uses.
std::string type_name(int onnx_type) {
    static const std::map<int, std::string> names = {
        {1, "float32"},  {2, "uint8"},    {3, "int8"},     {5, "int16"},
        {6, "int32"},    {7, "int64"},    {8, "string"},   {9, "bool"},
        {10, "float16"}, {11, "float64"}, {16, "bfloat16"}};
    return names.at(onnx_type);
}

// The text the document gives an attribute, from the value onnx's Python API read.
std::string attribute_text(const QJsonValue& v) {
    if (v.isString()) return "'" + str(v) + "'";
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == static_cast<double>(static_cast<long long>(d)))
            return std::to_string((long long)d);
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.9g", d);
        return buffer;
    }
    if (v.isArray()) {
        std::string text = "[";
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i)
            text += (i ? ", " : "") + attribute_text(a[i]);
        return text + "]";
    }
    return ""; // tensors and graphs are checked by hand
}

const io::GraphNode* find_node(const io::ModelDocument& d, const std::string& name) {
    for (const auto& node : d.nodes)
        if (node.name == name) return &node;
    return nullptr;
}

std::string attribute(const io::GraphNode& node, const std::string& name) {
    for (const auto& [key, value] : node.attributes)
        if (key == name) return value;
    return "<absent>";
}

std::string module_type(const io::ModelDocument& d, const std::string& path) {
    for (const auto& [p, type] : d.modules)
        if (p == path) return type;
    return "<absent>";
}

std::string shared_onnx(const char* name) {
    return (nnscope::test::sharedDir() + QStringLiteral("/models/onnx/")).toStdString() + name;
}

} // namespace

class TestOnnx : public QObject {
    Q_OBJECT

private slots:
    void golden_data() {
        QTest::addColumn<QString>("name");
        for (const char* name :
             {"net_opset9", "net_opset13", "net_opset17", "external", "typed_fields"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Everything onnx's Python reader saw, seen the same way.
    void golden() {
        QFETCH(QString, name);
        const std::string base = name.toStdString();
        const QJsonObject e = expected_json(base);
        QVERIFY(!e.isEmpty());
        const io::ModelDocument d = io::open_model(golden_onnx(base + ".onnx"));
        QCOMPARE(d.format, io::ModelFormat::Onnx);
        QCOMPARE(d.metadata.at("ir_version"), std::to_string(e["ir_version"].toInt()));
        QCOMPARE(d.metadata.at("producer_name"), str(e["producer_name"]));
        QCOMPARE(d.metadata.at("producer_version"), str(e["producer_version"]));
        QCOMPARE(d.metadata.at("graph.name"), str(e["graph_name"]));
        const QJsonObject opsets = e["opsets"].toObject();
        for (auto it = opsets.begin(); it != opsets.end(); ++it)
            QCOMPARE(d.metadata.at("opset." + it.key().toStdString()),
                     std::to_string(it.value().toInt()));

        // Graph inputs and outputs with their element types and dims.
        auto check_values = [](const std::vector<io::GraphValue>& actual, const QJsonArray& exp) {
            QCOMPARE(actual.size(), static_cast<std::size_t>(exp.size()));
            for (int i = 0; i < exp.size(); ++i) {
                const QJsonObject v = exp[i].toObject();
                QCOMPARE(actual[i].name, str(v["name"]));
                QCOMPARE(actual[i].type, type_name(v["elem_type"].toInt()));
                std::vector<std::string> dims;
                for (const auto& dim : v["dims"].toArray())
                    dims.push_back(str(dim));
                if (actual[i].shape)
                    QCOMPARE(*actual[i].shape, dims);
                else
                    QVERIFY(dims.empty());
            }
        };
        check_values(d.graph_inputs, e["inputs"].toArray());
        check_values(d.graph_outputs, e["outputs"].toArray());

        // Nodes in file order with inputs, outputs and attribute values.
        const QJsonArray nodes = e["nodes"].toArray();
        QCOMPARE(d.nodes.size(), static_cast<std::size_t>(nodes.size()));
        for (int i = 0; i < nodes.size(); ++i) {
            const QJsonObject n = nodes[i].toObject();
            const io::GraphNode& node = d.nodes[static_cast<std::size_t>(i)];
            QCOMPARE(node.name, str(n["name"]));
            QCOMPARE(node.op_type, str(n["op_type"]));
            std::vector<std::string> inputs, outputs;
            for (const auto& v : n["inputs"].toArray())
                inputs.push_back(str(v));
            for (const auto& v : n["outputs"].toArray())
                outputs.push_back(str(v));
            QCOMPARE(node.inputs, inputs);
            QCOMPARE(node.outputs, outputs);
            const QJsonObject attributes = n["attributes"].toObject();
            QCOMPARE(node.attributes.size(), static_cast<std::size_t>(attributes.size()));
            for (auto it = attributes.begin(); it != attributes.end(); ++it) {
                const std::string expected = attribute_text(it.value());
                const std::string actual = attribute(node, it.key().toStdString());
                QVERIFY2(actual != "<absent>", qPrintable(it.key()));
                if (!expected.empty())
                    QVERIFY2(actual == expected, qPrintable(QString::fromStdString(
                                                     node.name + "." + it.key().toStdString() +
                                                     ": " + actual + " != " + expected)));
            }
        }

        // Every initializer, in file order, with its values.
        const GoldenFile values("onnx/" + base + "_expected.safetensors");
        const QJsonArray inits = e["initializers"].toArray();
        QCOMPARE(d.tensors.size(), static_cast<std::size_t>(inits.size()));
        for (int i = 0; i < inits.size(); ++i) {
            const QJsonObject init = inits[i].toObject();
            const io::TensorEntry& entry = d.tensors[static_cast<std::size_t>(i)];
            QCOMPARE(entry.name, str(init["name"]));
            Shape dims;
            for (const auto& v : init["dims"].toArray())
                dims.push_back(v.toInteger());
            QCOMPARE(entry.shape, dims);
            QVERIFY(entry.role_inferred);
            const std::string dtype = type_name(init["data_type"].toInt());
            if (dtype == "string") {
                QCOMPARE(entry.stored_dtype, dtype);
                QCOMPARE(entry.role, io::TensorRole::Unknown);
                QVERIFY_THROWS_EXCEPTION(std::runtime_error, entry.load());
                continue;
            }
            QCOMPARE(std::string(dtype_name(entry.dtype)), dtype);
            NNSCOPE_COMPARE_TENSORS_EXACT(entry.load(), values.tensor(entry.name));
        }
    }

    // torch.onnx's scoped node names give the module tree; single-node modules are that op.
    void module_tree_from_node_names() {
        const io::ModelDocument d = io::open_model(golden_onnx("net_opset13.onnx"));
        QCOMPARE(module_type(d, "features"), std::string(""));
        QCOMPARE(module_type(d, "features.0"), std::string("Conv"));
        QCOMPARE(module_type(d, "features.1"), std::string("Relu"));
        QCOMPARE(module_type(d, "features.2"), std::string("BatchNormalization"));
        QCOMPARE(module_type(d, "features.3"), std::string("MaxPool"));
        QCOMPARE(module_type(d, "classifier.0"), std::string("Flatten"));
        QCOMPARE(module_type(d, "classifier.1"), std::string("Gemm"));
        QCOMPARE(d.modules.front().first, std::string("features"));
        QCOMPARE(d.module_arguments.at("features.0"),
                 std::string("dilations=[1, 1], group=1, kernel_shape=[3, 3], pads=[1, 1, 1, 1], "
                             "strides=[1, 1]"));
        QCOMPARE(find_node(d, "/features/features.0/Conv")->module, std::string("features.0"));
        // Roles follow the state_dict names: BatchNorm statistics are buffers.
        QCOMPARE(d.find("features.2.running_mean")->role, io::TensorRole::Buffer);
        QCOMPARE(d.find("features.2.running_var")->role, io::TensorRole::Buffer);
        QCOMPARE(d.find("features.2.weight")->role, io::TensorRole::Parameter);
        QCOMPARE(d.find("classifier.1.bias")->role, io::TensorRole::Parameter);
        QCOMPARE(d.metadata.at("graph.input.image"), std::string("float32 [batch, 1, 8, 8]"));
        QCOMPARE(d.metadata.at("graph.output.logits"), std::string("float32 [batch, 3]"));
    }

    // Attributes of every kind, slash scopes from other exporters, model metadata.
    void typed_fields_details() {
        const io::ModelDocument d = io::open_model(golden_onnx("typed_fields.onnx"));
        QCOMPARE(attribute(*find_node(d, "const"), "value"),
                 std::string("tensor int64 [2] = [3, 4]"));
        QCOMPARE(attribute(*find_node(d, "block/act/LeakyRelu"), "alpha"), std::string("0.25"));
        QCOMPARE(attribute(*find_node(d, "branch"), "then_branch"),
                 std::string("graph 'then_body' (1 nodes)"));
        QCOMPARE(attribute(*find_node(d, "custom"), "names"), std::string("['a', 'b']"));
        QCOMPARE(attribute(*find_node(d, "custom"), "floats"), std::string("[0.5, 2]"));
        QCOMPARE(find_node(d, "custom")->domain, std::string("com.example"));
        QCOMPARE(d.nodes[3].name, std::string());
        QCOMPARE(d.nodes[3].module, std::string());
        QCOMPARE(d.nodes[3].inputs, (std::vector<std::string>{"t", "c"}));
        QCOMPARE(d.nodes[5].inputs, (std::vector<std::string>{"x", "", "scales"}));
        // "block/act/LeakyRelu" lies in block.act; block holds a node and submodules.
        QCOMPARE(module_type(d, "block.act"), std::string("LeakyRelu"));
        QCOMPARE(module_type(d, "block.perm"), std::string("Transpose"));
        QCOMPARE(module_type(d, "block"), std::string(""));
        QCOMPARE(module_type(d, "typed"), std::string("")); // from the dotted initializer names
        QCOMPARE(d.metadata.at("domain"), std::string("org.nnscope"));
        QCOMPARE(d.metadata.at("model_version"), std::string("3"));
        QCOMPARE(d.metadata.at("doc_string"), std::string("typed fields and attributes"));
        QCOMPARE(d.metadata.at("graph.doc_string"), std::string("a graph for reader tests"));
        QCOMPARE(d.metadata.at("metadata_props.author"), std::string("gen_onnx.py"));
        QCOMPARE(d.metadata.at("opset.com.example"), std::string("1"));
        QCOMPARE(d.metadata.at("graph.input.scales"), std::string("float32 [?]"));
        QCOMPARE(d.metadata.at("graph.input.flag"), std::string("bool []"));
        QCOMPARE(d.metadata.at("graph.output.y"), std::string("float32"));
        QCOMPARE(d.metadata.at("graph.output.z"), std::string("float16 [batch, n]"));
        QCOMPARE(d.find("typed.int64")->role, io::TensorRole::Buffer); // not floating point
        // The typed-field values from first principles too.
        const Tensor half = d.find("typed.float16")->load();
        QCOMPARE(io::to_double_values(half), (std::vector<double>{1.5, -2.0, 65504.0, 0.0}));
        const Tensor bf16 = d.find("typed.bfloat16")->load();
        QCOMPARE(io::to_double_values(bf16), (std::vector<double>{1.0, -3.5, 0.15625}));
        QCOMPARE(io::to_double_values(d.find("typed.int8")->load()),
                 (std::vector<double>{-128, 127}));
        QCOMPARE(io::to_double_values(d.find("raw.float")->load()), (std::vector<double>{7, -8.5}));
    }

    // Initializers' raw_data is viewed in the mapped file, not copied, where its bytes are
    // aligned for the dtype (a copy otherwise): two loads then share the bytes, and a tensor keeps
    // them alive after its document is gone. Values match onnx's own reading either way.
    void raw_data_is_viewed() {
        const std::string bytes = read_bytes(golden_onnx("net_opset13.onnx"));
        const GoldenFile expected("onnx/net_opset13_expected.safetensors");
        std::vector<Tensor> kept;
        std::vector<std::string> names;
        int viewed = 0, copied = 0;
        {
            const io::ModelDocument d = io::open_model(golden_onnx("net_opset13.onnx"));
            for (const auto& entry : d.tensors) {
                const Tensor first = entry.load();
                const Tensor second = entry.load();
                const Tensor golden = expected.tensor(entry.name);
                const std::string raw(reinterpret_cast<const char*>(golden.storage()->data()),
                                      static_cast<std::size_t>(golden.numel()) * 4);
                const auto offset = bytes.find(raw);
                QVERIFY(offset != std::string::npos);
                const bool aligned = offset % 4 == 0; // the mapping starts on a page
                QCOMPARE(first.storage()->data() == second.storage()->data(), aligned);
                (aligned ? viewed : copied) += 1;
                kept.push_back(first);
                names.push_back(entry.name);
            }
        }
        QVERIFY(viewed > 0 && copied > 0);
        for (std::size_t i = 0; i < kept.size(); ++i)
            QCOMPARE(io::to_double_values(kept[i]),
                     io::to_double_values(expected.tensor(names[i])));
    }

    // Bytes the raw_data cut does not walk (an unknown group field, legal protobuf) are parsed
    // whole: values are the same, viewed in the message's own strings.
    void raw_data_in_message() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("group.onnx").toStdString();
        // Field 100 as an empty group: start (wire type 3) and end (wire type 4).
        write_bytes(path, read_bytes(golden_onnx("net_opset13.onnx")) + test::varint(100 << 3 | 3) +
                              test::varint(100 << 3 | 4));
        const io::ModelDocument d = io::open_model(path);
        const GoldenFile expected("onnx/net_opset13_expected.safetensors");
        QCOMPARE(d.tensors.size(), std::size_t(8));
        for (const auto& entry : d.tensors) {
            const Tensor t = entry.load();
            QCOMPARE(t.storage()->data(), entry.load().storage()->data());
            QCOMPARE(io::to_double_values(t), io::to_double_values(expected.tensor(entry.name)));
        }
    }

    // Protobuf merges a repeated singular field: a second graph adds its initializers after the
    // first's, and of two raw_data fields in one tensor the last counts. The cut must agree.
    void raw_data_merged_as_protobuf_does() {
        const auto floats = [](std::initializer_list<float> v) {
            return std::string(reinterpret_cast<const char*>(std::data(v)), v.size() * 4);
        };
        // TensorProto{dims 2, data_type FLOAT, name "extra", raw_data twice}.
        const std::string extra = test::field_varint(1, 2) + test::field_varint(2, 1) +
                                  test::field_bytes(8, "extra") +
                                  test::field_bytes(9, floats({1.0f, 2.0f})) +
                                  test::field_bytes(9, floats({3.0f, -4.5f}));
        QTemporaryDir dir;
        const std::string path = dir.filePath("merged.onnx").toStdString();
        write_bytes(path, read_bytes(golden_onnx("net_opset13.onnx")) +
                              test::field_bytes(7, test::field_bytes(5, extra)));
        const io::ModelDocument d = io::open_model(path);
        QCOMPARE(d.tensors.size(), std::size_t(9));
        QCOMPARE(d.tensors.back().name, std::string("extra"));
        QCOMPARE(io::to_double_values(d.tensors.back().load()), (std::vector<double>{3.0, -4.5}));
        const GoldenFile expected("onnx/net_opset13_expected.safetensors");
        for (std::size_t i = 0; i < 8; ++i)
            QCOMPARE(io::to_double_values(d.tensors[i].load()),
                     io::to_double_values(expected.tensor(d.tensors[i].name)));
    }

    // External data is read through a memory map of the data file, from the offsets the model
    // gives.
    void external_data_values() {
        const io::ModelDocument d = io::open_model(golden_onnx("external.onnx"));
        const std::string data = read_bytes(golden_onnx("external.onnx.data"));
        const Tensor w = d.find("0.weight")->load(); // 5 x 6 floats stored first
        QCOMPARE(w.shape(), (Shape{5, 6}));
        std::vector<float> first(30);
        std::memcpy(first.data(), data.data(), 120);
        const auto values = io::to_double_values(w);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(values[static_cast<std::size_t>(i)], static_cast<double>(first[i]));
    }

    void hostile_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("escape") << "hostile_escape"
                                << "'..' is refused";
        QTest::newRow("absolute") << "hostile_absolute"
                                  << "absolute paths are refused";
        QTest::newRow("offset past end") << "hostile_offset"
                                         << "runs past the end";
        QTest::newRow("length mismatch") << "hostile_length"
                                         << "length 12 does not match the 16";
        QTest::newRow("missing file") << "hostile_missing"
                                      << "cannot be found";
        QTest::newRow("raw size") << "hostile_raw_size"
                                  << "raw_data holds 12 bytes";
        QTest::newRow("typed count") << "hostile_typed_count"
                                     << "float_data holds 2 values";
        QTest::newRow("overflow dims") << "hostile_overflow_dims"
                                       << "more elements than any";
        QTest::newRow("huge dims") << "hostile_huge_dims"
                                   << "raw_data holds 8 bytes";
        QTest::newRow("negative dims") << "hostile_negative_dims"
                                       << "negative dimension";
    }

    void hostile() {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const std::string error = open_and_load_all(golden_onnx(file.toStdString() + ".onnx"));
        QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.find("initializer 'w'") != std::string::npos, error.c_str());
    }

    // A symbolic link next to the model that points elsewhere is refused like '..'.
    void symlink_escape() {
        QTemporaryDir dir;
        const std::filesystem::path folder = dir.path().toStdString();
        std::filesystem::copy_file(golden_onnx("external.onnx"), folder / "external.onnx");
        std::filesystem::create_symlink(golden_onnx("external.onnx.data"),
                                        folder / "external.onnx.data");
        const std::string error = open_and_load_all((folder / "external.onnx").string());
        QVERIFY2(error.find("resolves outside the model's folder") != std::string::npos,
                 error.c_str());
    }

    // Cut anywhere or with bytes flipped, a file fails cleanly or (when cut between top-level
    // fields) opens as a smaller valid model; a cut inside the graph never passes.
    void truncated_and_corrupt() {
        QTemporaryDir dir;
        const std::string bytes = read_bytes(golden_onnx("net_opset13.onnx"));
        const std::string path = dir.path().toStdString() + "/cut.onnx";
        int refused = 0, tried = 0;
        for (std::size_t length = 0; length < bytes.size(); length += 37, ++tried) {
            write_bytes(path, bytes.substr(0, length));
            const std::string error = open_and_load_all(path);
            if (!error.empty()) ++refused;
            if (!error.empty())
                QVERIFY2(error.find("cut.onnx") != std::string::npos, error.c_str());
        }
        QVERIFY2(refused > tried * 9 / 10, qPrintable(QString::number(refused)));
        write_bytes(path, "");
        QVERIFY(open_and_load_all(path).find("the file is empty") != std::string::npos);
        std::uint32_t state = 12345;
        for (int round = 0; round < 200; ++round) {
            std::string corrupt = bytes;
            for (int k = 0; k < 4; ++k) {
                state = state * 1664525u + 1013904223u;
                corrupt[state % corrupt.size()] = static_cast<char>(state >> 24);
            }
            write_bytes(path, corrupt);
            open_and_load_all(path); // must not crash, hang or allocate wildly
        }
    }

    // No protobuf message exceeds 2 GB: such a file is refused before parsing (a sparse file).
    void over_two_gigabytes() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/big.onnx";
        write_bytes(path, "x");
        std::filesystem::resize_file(path, (std::uintmax_t(1) << 31) + 16);
        const std::string error = open_and_load_all(path);
        QVERIFY2(error.find("larger than 2 GB") != std::string::npos, error.c_str());
    }

    // Real files from other exporters, with the facts PROVENANCE.md lists.
    void shared_models_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("producer");
        QTest::addColumn<int>("ir_version");
        QTest::addColumn<int>("opset");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("initializers");
        QTest::addColumn<int>("float_initializers");
        QTest::newRow("burn mnist") << "burn_onnx_mnist.onnx"
                                    << "pytorch" << 8 << 16 << 13 << 18 << 18;
        QTest::newRow("wonnx mnist") << "wonnx_opt-mnist.onnx"
                                     << "CNTK" << 3 << 8 << -1 << 7 << 6;
        QTest::newRow("tract keras") << "tract_keras_tf2_example.onnx"
                                     << "tf2onnx" << 7 << 13 << 6 << 4 << 4;
        QTest::newRow("light resnet50") << "onnx_light_resnet50.onnx"
                                        << "onnx-caffe2" << 3 << 9 << 415 << 269 << 29;
        QTest::newRow("light squeezenet") << "onnx_light_squeezenet.onnx"
                                          << "onnx-caffe2" << 3 << 9 << 105 << 52 << -1;
        QTest::newRow("pytorch 0.3 conv") << "onnx_pytorch-converted_test_Conv2d.onnx"
                                          << "pytorch" << 3 << 6 << 1 << 2 << 2;
        QTest::newRow("burn lstm") << "burn_onnx_lstm.onnx"
                                   << "" << 12 << 16 << 22 << 3 << 3;
        QTest::newRow("external data") << "external_data/external_data.onnx"
                                       << "" << 8 << 17 << 2 << 2 << 2;
    }

    void shared_models() {
        if (!nnscope::test::haveShared("models/onnx"))
            QSKIP("../shared/models/onnx is absent: the real-world ONNX files are not checked");
        QFETCH(QString, file);
        QFETCH(QString, producer);
        QFETCH(int, ir_version);
        QFETCH(int, opset);
        QFETCH(int, nodes);
        QFETCH(int, initializers);
        QFETCH(int, float_initializers);
        const std::string path = shared_onnx(file.toLatin1().constData());
        const std::string error = open_and_load_all(path);
        QVERIFY2(error.empty(), error.c_str());
        const io::ModelDocument d = io::open_model(path);
        QCOMPARE(d.format, io::ModelFormat::Onnx);
        if (!producer.isEmpty())
            QVERIFY(d.metadata.at("producer_name").find(producer.toStdString()) == 0);
        QCOMPARE(d.metadata.at("ir_version"), std::to_string(ir_version));
        QCOMPARE(d.metadata.at("opset.ai.onnx"), std::to_string(opset));
        if (nodes >= 0) QCOMPARE(static_cast<int>(d.nodes.size()), nodes);
        QCOMPARE(static_cast<int>(d.tensors.size()), initializers);
        if (float_initializers >= 0) {
            int floats = 0;
            for (const auto& t : d.tensors)
                floats += t.dtype == DType::Float32 && t.stored_dtype.empty();
            QCOMPARE(floats, float_initializers);
        }
    }

    // The op counts and shapes PROVENANCE.md gives, and external values from the raw .bin.
    void shared_model_details() {
        if (!nnscope::test::haveShared("models/onnx"))
            QSKIP("../shared/models/onnx is absent: the real-world ONNX files are not checked");
        const io::ModelDocument resnet = io::open_model(shared_onnx("onnx_light_resnet50.onnx"));
        std::map<std::string, int> ops;
        for (const auto& node : resnet.nodes)
            ++ops[node.op_type];
        QCOMPARE(ops["Conv"], 53);
        QCOMPARE(ops["BatchNormalization"], 53);
        QCOMPARE(ops["Relu"], 49);
        QCOMPARE(ops["Sum"], 16);
        QCOMPARE(ops["ConstantOfShape"], 239);
        const io::ModelDocument tract = io::open_model(shared_onnx("tract_keras_tf2_example.onnx"));
        QCOMPARE(tract.metadata.at("opset.ai.onnx.ml"), std::string("2"));
        const io::ModelDocument lstm = io::open_model(shared_onnx("burn_onnx_lstm.onnx"));
        QCOMPARE(lstm.graph_outputs.size(), std::size_t(3));
        QCOMPARE(lstm.metadata.at("graph.name"), std::string("main_graph"));

        const io::ModelDocument ext =
            io::open_model(shared_onnx("external_data/external_data.onnx"));
        const std::string bin = read_bytes(shared_onnx("external_data/external_data.bin"));
        QCOMPARE(ext.find("weight")->shape, (Shape{4, 4}));
        QCOMPARE(ext.find("bias")->shape, (Shape{4}));
        std::vector<float> raw(20);
        std::memcpy(raw.data(), bin.data() + 320, 80);
        const auto weight = io::to_double_values(ext.find("weight")->load());
        const auto bias = io::to_double_values(ext.find("bias")->load());
        for (int i = 0; i < 16; ++i)
            QCOMPARE(weight[static_cast<std::size_t>(i)], static_cast<double>(raw[i]));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(bias[static_cast<std::size_t>(i)], static_cast<double>(raw[16 + i]));
    }
};

QTEST_GUILESS_MAIN(TestOnnx)
#include "tst_onnx.moc"
