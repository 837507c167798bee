// Declared parameters and buffers in the native architecture (io/architecture.h): the committed
// format golden parses to its canonical form and back, malformed declarations are refused with
// their place, names are refused with PyTorch 1.13's own messages, and a native file keeps what
// the state_dict has and rebuilds the rest.

#include "engine/generator.h"
#include "engine/nn/registry.h"
#include "engine/random.h"
#include "io/native_model.h"
#include "support/files.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;

namespace {

std::string golden(const std::string& name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/export/" + name;
}

std::string error_of(const std::string& json) {
    try {
        io::build_module(io::parse_architecture(json));
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

std::vector<std::string> keys(const nn::StateDict& state) {
    std::vector<std::string> out;
    for (const auto& [key, value] : state)
        out.push_back(key);
    return out;
}

// A Linear(2, 2) with one declared tensor.
std::string linear_with(const std::string& tensor) {
    return "{\"type\": \"Linear\", \"in_features\": 2, \"out_features\": 2, \"tensors\": [" +
           tensor + "]}";
}

} // namespace

class TestDeclaredTensors : public QObject {
    Q_OBJECT

    // The row's architecture ("json") fails to build with a message containing "error".
    void expect_error_of_row() {
        QFETCH(QString, json);
        QFETCH(QString, error);
        const QString what = QString::fromStdString(error_of(json.toStdString()));
        QVERIFY2(what.contains(error), qPrintable(what));
    }

private slots:
    void goldenParsesToItsCanonicalForm() {
        const io::ModuleSpec spec =
            io::parse_architecture(test::read_bytes(golden("declared.json")));
        // After a deliberate change, NNSCOPE_WRITE_GOLDEN=1 rewrites the canonical form.
        if (qEnvironmentVariableIsSet("NNSCOPE_WRITE_GOLDEN"))
            test::write_bytes(golden("declared.canonical.json"),
                              io::architecture_to_json(spec) + "\n");
        std::string canonical = test::read_bytes(golden("declared.canonical.json"));
        while (!canonical.empty() && canonical.back() == '\n')
            canonical.pop_back();
        QCOMPARE(QString::fromStdString(io::architecture_to_json(spec)),
                 QString::fromStdString(canonical));
        QVERIFY(io::parse_architecture(canonical) == spec);

        QCOMPARE(spec.tensors.size(), std::size_t(4));
        const nn::TensorDeclaration& frozen = spec.tensors[0];
        QCOMPARE(frozen.kind, nn::TensorDeclaration::Kind::Parameter);
        QVERIFY(!frozen.requires_grad);
        QCOMPARE(frozen.init, nn::TensorDeclaration::Init::Randn);
        QCOMPARE(spec.tensors[1].dtype, DType::Int64);
        QCOMPARE(spec.tensors[1].fill, 7.0);
        QVERIFY(!spec.tensors[2].persistent);
        QCOMPARE(spec.tensors[3].shape, Shape{});
        QCOMPARE(spec.tensors[3].values, std::vector<double>{0.25});
    }

    // Children first, then the module's own declarations in order; a declared parameter with the
    // name of one the constructor made replaces it in place, as register_parameter does.
    void buildsInPytorchsOrder() {
        const io::ModuleSpec spec =
            io::parse_architecture(test::read_bytes(golden("declared.json")));
        manual_seed(3);
        const auto module = io::build_module(spec);
        const nn::StateDict state = module->state_dict();
        QCOMPARE(keys(state), (std::vector<std::string>{"frozen", "scale", "counts", "0.weight",
                                                        "0.bias", "0.steps"}));
        QVERIFY(!module->parameter("frozen").requires_grad());
        QVERIFY(module->parameter("scale").requires_grad());
        QCOMPARE(state.find("0.weight")->to_vector(), std::vector<double>(4, 1.0));
        QCOMPARE(state.find("0.steps")->dtype(), DType::Float64);
        QCOMPARE(state.find("0.steps")->to_vector(), (std::vector<double>{0, 1, 2, 3, 4, 5}));
        QCOMPARE(state.find("counts")->to_vector(), std::vector<double>(3, 7.0));
        QVERIFY(!module->is_persistent_buffer("scratch"));

        // The draws: Linear's init (weight 4 then bias 2 uniforms), then frozen's randn(2, 2),
        // then scratch's rand(4).
        Generator gen(3);
        rand({6}, gen);
        const Tensor frozen = randn({2, 2}, gen);
        const Tensor scratch = rand({4}, gen);
        NNSCOPE_COMPARE_TENSORS_EXACT(*state.find("frozen"), frozen);
        NNSCOPE_COMPARE_TENSORS_EXACT(module->buffer("scratch"), scratch);

        // describe_module gives the declarations back (and every argument, defaults included).
        const io::ModuleSpec described = io::describe_module(*module);
        QVERIFY(described.tensors == spec.tensors);
        QVERIFY(described.children.at(0).spec.tensors == spec.children.at(0).spec.tensors);
        manual_seed(3);
        QVERIFY(io::describe_module(*io::build_module(described)) == described);
    }

    void refusesMalformedDeclarations_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        const auto row = [](const char* name, const std::string& tensor, const char* error) {
            QTest::newRow(name) << QString::fromStdString(linear_with(tensor))
                                << QString::fromUtf8(error);
        };
        row("not an object", "3", "tensors[0]: a tensor must be a JSON object, got number");
        row("no kind", "{\"name\": \"x\", \"shape\": [1], \"init\": \"zeros\"}",
            "tensors[0]: missing \"kind\"");
        row("bad kind",
            "{\"name\": \"x\", \"kind\": \"tensor\", \"shape\": [1], \"init\": \"zeros\"}",
            "tensors[0].kind: must be \"parameter\" or \"buffer\", got 'tensor'");
        row("no shape", "{\"name\": \"x\", \"kind\": \"buffer\", \"init\": \"zeros\"}",
            "tensors[0]: missing \"shape\"");
        row("negative size",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [2, -1], \"init\": \"zeros\"}",
            "tensors[0].shape: sizes must be non-negative integers, got -1");
        row("huge shape",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [65536, 65536], \"init\": "
            "\"zeros\"}",
            "tensor 'x': shape [65536, 65536] has more than 2^31 elements");
        row("int64 fill out of range",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [1], \"dtype\": \"int64\", "
            "\"init\": \"full\", \"value\": 1e300}",
            "tensor 'x': an int64 tensor takes whole numbers");
        row("bad init",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [1], \"init\": \"eye\"}",
            "tensors[0].init: unknown init 'eye' (expected one of zeros, ones, full, arange, "
            "randn, rand, values)");
        row("bad dtype",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [1], \"dtype\": \"int8\", "
            "\"init\": \"zeros\"}",
            "tensors[0]: tensor 'x': dtype must be float32, float64 or int64, got int8");
        row("full without value",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [1], \"init\": \"full\"}",
            "tensors[0]: init 'full' needs \"value\"");
        row("values miscounted",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [2, 2], \"init\": \"values\", "
            "\"values\": [1]}",
            "tensors[0]: tensor 'x': 1 values for shape [2, 2] (4 elements)");
        row("persistent parameter",
            "{\"name\": \"x\", \"kind\": \"parameter\", \"shape\": [1], \"init\": \"zeros\", "
            "\"persistent\": false}",
            "tensors[0].persistent: not a key of a parameter with init 'zeros'");
        row("randn of int64",
            "{\"name\": \"x\", \"kind\": \"buffer\", \"shape\": [1], \"dtype\": \"int64\", "
            "\"init\": \"randn\"}",
            "tensor 'x': randn needs a floating dtype, got int64");
        row("int64 parameter",
            "{\"name\": \"x\", \"kind\": \"parameter\", \"shape\": [1], \"dtype\": \"int64\", "
            "\"init\": \"zeros\"}",
            "Only Tensors of floating point and complex dtype can require gradients");
    }

    void refusesMalformedDeclarations() { expect_error_of_row(); }

    // PyTorch 1.13's messages (checked with register_parameter / register_buffer there).
    void refusesNamesAsPytorchDoes_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        const auto tensor = [](const char* kind, const char* name) {
            return std::string("{\"name\": \"") + name + "\", \"kind\": \"" + kind +
                   "\", \"shape\": [1], \"init\": \"zeros\"}";
        };
        const auto row = [](const char* name, const std::string& json, const char* error) {
            QTest::newRow(name) << QString::fromStdString(json) << QString::fromUtf8(error);
        };
        row("dotted buffer", linear_with(tensor("buffer", "a.b")),
            "root module (Linear): cannot declare tensor 'a.b': buffer name can't contain \".\"");
        row("empty buffer", linear_with(tensor("buffer", "")),
            "buffer name can't be empty string \"\"");
        row("dotted parameter", linear_with(tensor("parameter", "a.b")),
            "parameter name can't contain \".\"");
        row("a Module method", linear_with(tensor("parameter", "training")),
            "attribute 'training' already exists");
        row("a Linear attribute", linear_with(tensor("buffer", "in_features")),
            "attribute 'in_features' already exists");
        row("a buffer over a parameter", linear_with(tensor("buffer", "weight")),
            "attribute 'weight' already exists");
        row("a child's name",
            std::string("{\"type\": \"Sequential\", \"tensors\": [") + tensor("buffer", "0") +
                "], \"children\": [[\"0\", {\"type\": \"ReLU\"}]]}",
            "cannot declare tensor '0': attribute '0' already exists");
        row("nested path",
            std::string("{\"type\": \"Sequential\", \"children\": [[\"0\", ") +
                linear_with(tensor("parameter", "half")) + "]]}",
            "module '0' (Linear): cannot declare tensor 'half': attribute 'half' already exists");
    }

    void refusesNamesAsPytorchDoes() { expect_error_of_row(); }

    // The file holds the state_dict (no non-persistent buffer); reopening rebuilds every
    // declaration, seeded, then loads what the file has.
    void nativeFileKeepsTheStateDict() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("m.safetensors")).toStdString();
        const io::ModuleSpec spec =
            io::parse_architecture(test::read_bytes(golden("declared.json")));
        io::NativeModel model = io::build_native_model(spec, 21);
        Tensor frozen = model.module->parameter("frozen");
        frozen.fill_(2.5); // as if trained: the file's value must win over the seeded init
        io::NativeSaveOptions options;
        options.seed = 21;
        io::save_native_model(path, *model.module, options);

        const io::SafetensorsFile file(path);
        std::vector<std::string> names;
        for (const auto& entry : file.header().entries)
            names.push_back(entry.name);
        std::sort(names.begin(), names.end());
        std::vector<std::string> expected = keys(model.module->state_dict());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(names, expected);
        QVERIFY(!file.contains("scratch"));

        const io::NativeModel reopened = io::load_native_model(path);
        QVERIFY(reopened.architecture == io::describe_module(*model.module));
        QVERIFY(io::describe_module(*reopened.module) == reopened.architecture);
        QCOMPARE(reopened.module->parameter("frozen").to_vector(), std::vector<double>(4, 2.5));
        NNSCOPE_COMPARE_TENSORS_EXACT(reopened.module->buffer("scratch"),
                                      model.module->buffer("scratch"));
    }
};

QTEST_GUILESS_MAIN(TestDeclaredTensors)
#include "tst_declared_tensors.moc"
