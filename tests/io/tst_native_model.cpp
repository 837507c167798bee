// The native model file: architecture JSON parsing and writing, round trips, the seed rule
// (tensors missing from the file equal PyTorch's init after manual_seed(seed), checked against
// gen_cli.py's seed_only case) and every validation error with its message.

#include "engine/nn/module.h"
#include "io/architecture.h"
#include "io/native_model.h"
#include "io/safetensors.h"
#include "support/files.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

const std::string kNested =
    R"({"type": "Sequential", "children": [)"
    R"(["0", {"type": "Linear", "in_features": 4, "out_features": 3, "bias": false}],)"
    R"(["1", {"type": "Sequential", "children": [)"
    R"(["0", {"type": "BatchNorm1d", "num_features": 3, "eps": 1e-05, "momentum": 0.25}],)"
    R"(["1", {"type": "ReLU"}]]}],)"
    R"(["2", {"type": "Conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": [2, 3]}]]})";

// Checks that `fn` throws and that the message contains every part.
template <class Fn> void expect_error(Fn&& fn, const std::vector<std::string>& parts) {
    try {
        fn();
    } catch (const std::exception& e) {
        const std::string message = e.what();
        for (const auto& part : parts)
            QVERIFY2(message.find(part) != std::string::npos,
                     qPrintable(QString::fromStdString("'" + part + "' not in: " + message)));
        return;
    }
    QFAIL("no exception");
}

} // namespace

class TestNativeModel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string path(const char* name) const {
        return dir_.filePath(QString::fromLatin1(name)).toStdString();
    }

    void write_model(const char* name, const std::string& architecture,
                     const io::NamedTensors& tensors = {},
                     std::optional<std::string> seed = std::nullopt) {
        io::SafetensorsMetadata metadata{{"nnscope.architecture", architecture}};
        if (seed) metadata["nnscope.seed"] = *seed;
        io::save_safetensors(path(name), tensors, metadata);
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void parse_values() {
        const io::ModuleSpec spec = io::parse_architecture(
            R"({"type": "X", "i": 3, "f": 0.5, "whole": 2.0, "b": true, "n": null, "s": "zeros",)"
            R"( "l": [1, [2, 3]]})");
        QCOMPARE(spec.type, std::string("X"));
        QCOMPARE(spec.arguments.size(), std::size_t(7));
        QCOMPARE(spec.arguments[0].first, std::string("i")); // file order kept
        QVERIFY(spec.arguments[0].second.is_int());
        QVERIFY(spec.arguments[1].second.is_double());
        QVERIFY(spec.arguments[2].second.is_double()); // 2.0 stays a float, as in Python
        QVERIFY(spec.arguments[3].second.is_bool());
        QVERIFY(spec.arguments[4].second.is_none());
        QCOMPARE(spec.arguments[5].second.as_string(), std::string("zeros"));
        QCOMPARE(spec.arguments[6].second.as_list()[1].as_list()[1].as_int(), std::int64_t(3));
        QVERIFY(spec.children.empty());
        // Writing and parsing again gives the same spec (2.0 written as a float).
        QCOMPARE(io::parse_architecture(io::architecture_to_json(spec)), spec);
    }

    void parse_errors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << "{\"type\": "
                                  << "invalid JSON";
        QTest::newRow("not an object") << "[1, 2]"
                                       << "must be a JSON object, got array";
        QTest::newRow("no type") << R"({"in_features": 3})"
                                 << "missing \"type\"";
        QTest::newRow("type not string") << R"({"type": 3})"
                                         << "type: must be a non-empty string";
        QTest::newRow("object argument") << R"({"type": "Linear", "x": {"a": 1}})"
                                         << "x: an argument must be";
        QTest::newRow("children not list") << R"({"type": "Sequential", "children": {}})"
                                           << "children: must be a list";
        QTest::newRow("bad pair") << R"({"type": "Sequential", "children": [["0"]]})"
                                  << "children[0]: must be a [name, module] pair";
        QTest::newRow("dotted name")
            << R"({"type": "Sequential", "children": [["a.b", {"type": "ReLU"}]]})"
            << "must not contain '.'";
        QTest::newRow("duplicate name")
            << R"({"type": "Sequential", "children": [["a", {"type": "ReLU"}], ["a", {"type": "ReLU"}]]})"
            << "duplicate child name 'a'";
        QTest::newRow("nested error")
            << R"({"type": "Sequential", "children": [["0", {"type": "Sequential", "children": [["0", 5]]}]]})"
            << "children[0][1].children[0][1]: a module must be a JSON object, got number";
    }

    void parse_errors() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        expect_error([&] { io::parse_architecture(json.toStdString()); }, {message.toStdString()});
    }

    void build_and_describe() {
        const auto spec = io::parse_architecture(kNested);
        const auto model = io::build_native_model(spec, 7);
        const auto names = model.module->state_dict().keys();
        const std::vector<std::string> expected = {"0.weight",        "1.0.weight",
                                                   "1.0.bias",        "1.0.running_mean",
                                                   "1.0.running_var", "1.0.num_batches_tracked",
                                                   "2.weight",        "2.bias"};
        QCOMPARE(names, expected);
        QCOMPARE(model.initialised_keys, expected);
        // describe_module gives the module's own full argument list; building from it again
        // gives the same tree.
        const io::ModuleSpec described = io::describe_module(*model.module);
        QCOMPARE(io::describe_module(*io::build_module(described)), described);
        QCOMPARE(described.children[1].spec.children[0].spec.type, std::string("BatchNorm1d"));
    }

    void round_trip() {
        auto model = io::build_native_model(io::parse_architecture(kNested), 3);
        // Change every tensor so that the file, not the seed, must be what comes back.
        for (auto& [key, value] : model.module->state_dict()) {
            Tensor t = value;
            t.fill_(key.size() * 0.25);
        }
        io::NativeSaveOptions options;
        options.seed = 3;
        io::save_native_model(path("round.safetensors"), *model.module, options);
        const auto loaded = io::load_native_model(path("round.safetensors"));
        QCOMPARE(loaded.seed, std::uint64_t(3));
        QVERIFY(loaded.initialised_keys.empty());
        QCOMPARE(io::describe_module(*loaded.module), io::describe_module(*model.module));
        const auto a = model.module->state_dict();
        const auto b = loaded.module->state_dict();
        QCOMPARE(a.keys(), b.keys());
        for (const auto& [key, value] : a)
            NNSCOPE_COMPARE_TENSORS_EXACT(b.at(key), value);
        // The file is a plain safetensors file too.
        const io::SafetensorsFile file(path("round.safetensors"));
        QCOMPARE(file.names().size(), a.size());
    }

    // Conv2d's padding modes go into the architecture and come back working.
    void padding_modes_round_trip() {
        const std::string json =
            R"({"type": "Sequential", "children": [)"
            R"(["0", {"type": "Conv2d", "in_channels": 2, "out_channels": 2, "kernel_size": 3,)"
            R"( "padding": 1, "padding_mode": "reflect"}],)"
            R"(["1", {"type": "Conv2d", "in_channels": 2, "out_channels": 2, "kernel_size": [2, 3],)"
            R"( "padding": "same", "padding_mode": "replicate"}],)"
            R"(["2", {"type": "Conv2d", "in_channels": 2, "out_channels": 1, "kernel_size": 3,)"
            R"( "padding": [2, 1], "padding_mode": "circular"}]]})";
        const auto model = io::build_native_model(io::parse_architecture(json), 5);
        const std::string described = io::architecture_to_json(io::describe_module(*model.module));
        for (const char* mode : {"reflect", "replicate", "circular"}) {
            const std::string needle = "\"padding_mode\":\"" + std::string(mode) + "\"";
            QVERIFY2(described.find(needle) != std::string::npos, described.c_str());
        }
        io::NativeSaveOptions options;
        options.seed = 5;
        io::save_native_model(path("pads.safetensors"), *model.module, options);
        const auto loaded = io::load_native_model(path("pads.safetensors"));
        QCOMPARE(loaded.module->repr(), model.module->repr());
        const Tensor x = test::random_double({1, 2, 5, 4}, 3).to(DType::Float32);
        const Tensor y = (*model.module)(x);
        QCOMPARE(y.shape(), (Shape{1, 1, 7, 4}));
        NNSCOPE_COMPARE_TENSORS_EXACT((*loaded.module)(x), y);
    }

    // Architecture and seed only: loading redraws exactly the seeded init.
    void seed_only_round_trip() {
        const auto model = io::build_native_model(io::parse_architecture(kNested), 11);
        io::NativeSaveOptions options;
        options.seed = 11;
        options.with_tensors = false;
        io::save_native_model(path("seeded.safetensors"), *model.module, options);
        QVERIFY(io::SafetensorsFile(path("seeded.safetensors")).names().empty());
        const auto loaded = io::load_native_model(path("seeded.safetensors"));
        QVERIFY(loaded.loaded_keys.empty());
        for (const auto& [key, value] : model.module->state_dict())
            NNSCOPE_COMPARE_TENSORS_EXACT(loaded.module->state_dict().at(key), value);
    }

    // PyTorch's own init after manual_seed(42) (gen_cli.py), from a file with no tensors.
    void seed_matches_pytorch() {
        GoldenFile expected("cli/seed_only_expected.safetensors");
        const auto loaded =
            io::load_native_model(std::string(NNSCOPE_GOLDEN_DIR) + "/cli/seed_only.safetensors");
        QCOMPARE(loaded.seed, std::uint64_t(42));
        for (const auto& [key, value] : loaded.module->state_dict())
            NNSCOPE_COMPARE_TENSORS_EXACT(value, expected.tensor("state." + key));
    }

    // Missing seed means 0; a partial file takes the rest from the seeded init.
    void partial_file_default_seed() {
        const auto reference = io::build_native_model(io::parse_architecture(kNested), 0);
        write_model("partial.safetensors", kNested, {{"2.bias", Tensor::full({2}, 5.0)}});
        const auto loaded = io::load_native_model(path("partial.safetensors"));
        QCOMPARE(loaded.seed, std::uint64_t(0));
        QCOMPARE(loaded.loaded_keys, std::vector<std::string>{"2.bias"});
        const auto state = loaded.module->state_dict();
        NNSCOPE_COMPARE_TENSORS_EXACT(state.at("2.bias"), Tensor::full({2}, 5.0));
        NNSCOPE_COMPARE_TENSORS_EXACT(state.at("2.weight"),
                                      reference.module->state_dict().at("2.weight"));
    }

    void load_errors_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("message");
        QTest::newRow("missing file") << "nope.safetensors" << QStringList{"nope.safetensors"};
        QTest::newRow("not a model")
            << "plain.safetensors" << QStringList{"plain.safetensors", "not an nnscope model"};
        QTest::newRow("bad seed") << "bad_seed.safetensors"
                                  << QStringList{"bad_seed.safetensors", "nnscope.seed", "'1.5'"};
        QTest::newRow("seed too big")
            << "big_seed.safetensors" << QStringList{"nnscope.seed", "18446744073709551616"};
        QTest::newRow("bad json") << "bad_json.safetensors"
                                  << QStringList{"bad_json.safetensors", "invalid JSON"};
        QTest::newRow("unknown type")
            << "unknown_type.safetensors" << QStringList{"module '1.0' (Bogus)", "Bogus"};
        QTest::newRow("unknown argument")
            << "unknown_arg.safetensors"
            << QStringList{"module '0' (Linear)", "unknown argument 'in_featurez'"};
        QTest::newRow("missing argument")
            << "missing_arg.safetensors" << QStringList{"root module (Linear)", "out_features"};
        QTest::newRow("wrong shape")
            << "wrong_shape.safetensors"
            << QStringList{"'0.weight'", "has shape [4, 3]", "expects [3, 4]"};
        QTest::newRow("unexpected tensor")
            << "unexpected.safetensors" << QStringList{"'0.bias' is not in", "'0.weight'"};
        QTest::newRow("int for float")
            << "wrong_dtype.safetensors" << QStringList{"'2.bias'", "int64", "float32"};
        QTest::newRow("truncated")
            << "truncated.safetensors" << QStringList{"truncated.safetensors"};
        QTest::newRow("header length")
            << "header_length.safetensors" << QStringList{"header_length.safetensors"};
    }

    void load_errors() {
        QFETCH(QString, file);
        QFETCH(QStringList, message);
        write_model("bad_seed.safetensors", kNested, {}, "1.5");
        write_model("big_seed.safetensors", kNested, {}, "18446744073709551616");
        write_model("bad_json.safetensors", "{\"type\": ");
        write_model("unknown_type.safetensors",
                    R"({"type": "Sequential", "children": [["0", {"type": "ReLU"}],)"
                    R"( ["1", {"type": "Sequential", "children": [["0", {"type": "Bogus"}]]}]]})");
        write_model("unknown_arg.safetensors",
                    R"({"type": "Sequential", "children": [["0", {"type": "Linear",)"
                    R"( "in_featurez": 3, "out_features": 2}]]})");
        write_model("missing_arg.safetensors", R"({"type": "Linear", "in_features": 3})");
        write_model("wrong_shape.safetensors", kNested, {{"0.weight", Tensor::zeros({4, 3})}});
        write_model("unexpected.safetensors", kNested, {{"0.bias", Tensor::zeros({3})}});
        write_model("wrong_dtype.safetensors", kNested,
                    {{"2.bias", Tensor::zeros({2}, DType::Int64)}});
        io::save_safetensors(path("plain.safetensors"), {{"x", Tensor::zeros({1})}});
        {
            write_model("whole.safetensors", kNested, {{"0.weight", Tensor::zeros({3, 4})}});
            std::string bytes = test::read_bytes(path("whole.safetensors"));
            test::write_bytes(path("truncated.safetensors"), bytes.substr(0, bytes.size() - 5));
            bytes[6] = '\x01'; // header length now far beyond the file
            test::write_bytes(path("header_length.safetensors"), bytes);
        }
        std::vector<std::string> parts;
        for (const auto& p : message)
            parts.push_back(p.toStdString());
        expect_error([&] { io::load_native_model(path(file.toLatin1().constData())); }, parts);
    }
};

QTEST_GUILESS_MAIN(TestNativeModel)
#include "tst_native_model.moc"
