// io::summarize: the one module tree, tensor table and totals the window and `summary` share.
// Hand-made documents whose counts can be checked by hand: ties counted once per module, implied
// modules, repeated names, deep names; and the role and format names at the text edges.

#include "io/model_document.h"
#include "io/model_summary.h"

#include <QtTest>
#include <string>

using namespace nnscope;
using io::TensorRole;

namespace {

io::TensorEntry entry(std::string name, Shape shape, TensorRole role, std::string storage = {}) {
    io::TensorEntry e;
    e.name = std::move(name);
    e.shape = std::move(shape);
    e.role = role;
    e.storage = std::move(storage);
    if (!e.storage.empty()) e.strides = contiguous_strides(e.shape);
    return e;
}

const io::ModuleRow& module(const io::ModelSummary& s, const std::string& path) {
    const int index = s.module_index(path);
    if (index < 0) throw std::out_of_range("no module " + path);
    return s.modules[static_cast<std::size_t>(index)];
}

} // namespace

class TestModelSummary : public QObject {
    Q_OBJECT
private slots:
    void tiedParametersCountOncePerModule() {
        // lm.embed.weight and lm.head.weight are one [10, 4] tensor; lm.head.bias is its own.
        io::ModelDocument d;
        d.format = io::ModelFormat::PytorchZip;
        d.modules = {{"lm", "LM"}, {"lm.embed", "Embedding"}, {"lm.head", "Linear"}};
        d.tensors = {entry("lm.embed.weight", {10, 4}, TensorRole::Parameter, "0"),
                     entry("lm.head.weight", {10, 4}, TensorRole::Parameter, "0"),
                     entry("lm.head.bias", {10}, TensorRole::Parameter, "1")};
        const io::ModelSummary s = io::summarize(d);
        QCOMPARE(module(s, "lm.embed").own_parameters, std::int64_t(40));
        QCOMPARE(module(s, "lm.head").own_parameters, std::int64_t(50)); // holds it directly
        QCOMPARE(module(s, "lm").total_parameters, std::int64_t(50));    // 40 once, + 10
        QCOMPARE(s.modules[0].total_parameters, std::int64_t(50));
        QCOMPARE(s.tensors[1].shares_with, std::string("lm.embed.weight"));
        QCOMPARE(s.shared_names, std::int64_t(1));
        QCOMPARE(s.role_total(TensorRole::Parameter).elements, std::int64_t(50));
        QCOMPARE(s.role_total(TensorRole::Parameter).tensors, std::int64_t(2));
        QCOMPARE(s.total.bytes, std::int64_t(50 * 4));
        QCOMPARE(s.listed_modules, (std::vector<int>{1, 2, 3}));
    }

    void tieWhoseFirstNameIsABuffer() {
        // A buffer first, then two parameter names of the same bytes in one module: the module
        // counts the parameter once, the totals count the tensor once, under the buffer.
        io::ModelDocument d;
        d.tensors = {entry("a.table", {3}, TensorRole::Buffer, "7"),
                     entry("b.p", {3}, TensorRole::Parameter, "7"),
                     entry("b.q", {3}, TensorRole::Parameter, "7")};
        const io::ModelSummary s = io::summarize(d);
        QCOMPARE(module(s, "b").own_parameters, std::int64_t(3));
        QCOMPARE(module(s, "a").total_parameters, std::int64_t(0));
        QVERIFY(!module(s, "a").has_parameters);
        QCOMPARE(s.modules[0].total_parameters, std::int64_t(3));
        QCOMPARE(s.shared_names, std::int64_t(2));
        QCOMPARE(s.role_total(TensorRole::Buffer).elements, std::int64_t(3));
        QCOMPARE(s.role_total(TensorRole::Parameter).elements, std::int64_t(0));
    }

    void impliedModulesAndRepeatedNames() {
        io::ModelDocument d; // a reader that lists no modules
        d.metadata["nnscope.root_type"] = "Sequential";
        d.tensors = {entry("0.weight", {2, 3}, TensorRole::Parameter),
                     entry("0.weight", {2, 3}, TensorRole::Parameter),
                     entry("1.0.running_mean", {2}, TensorRole::Buffer),
                     entry("scale", {}, TensorRole::Unknown)};
        d.tensors[2].role_inferred = true;
        d.tensors[3].dtype = DType::Float64;
        const io::ModelSummary s = io::summarize(d);
        QVERIFY(s.listed_modules.empty());
        QCOMPARE(s.modules.size(), std::size_t(4)); // root, 0, 1, 1.0
        QCOMPARE(s.modules[0].type, std::string("Sequential"));
        QCOMPARE(module(s, "1.0").parent, s.module_index("1"));
        QCOMPARE(module(s, "1.0").name, std::string("0"));
        QCOMPARE(s.tensors.size(), std::size_t(3)); // the repeated name once
        QCOMPARE(s.tensors[1].module, std::string("1.0"));
        QCOMPARE(s.tensors[2].module, std::string());
        QCOMPARE(s.modules[0].tensors, (std::vector<int>{2}));
        QCOMPARE(s.modules[0].total_parameters, std::int64_t(6));
        QCOMPARE(s.by_dtype.at("float64").bytes, std::int64_t(8));
        QCOMPARE(s.role_total(TensorRole::Unknown).tensors, std::int64_t(1));
        QCOMPARE(s.shared_names, std::int64_t(0));
    }

    void unreadableDtypeKeepsTheFilesName() {
        io::ModelDocument d;
        d.tensors = {entry("t", {4}, TensorRole::Unknown)};
        d.tensors[0].stored_dtype = "uint16";
        QCOMPARE(io::summarize(d).tensors[0].dtype, std::string("uint16"));
    }

    void ownerIsTheDeepestListedModule() {
        io::ModelDocument d;
        d.modules = {{"a", "A"}};
        d.tensors = {entry("a.b.c.weight", {5}, TensorRole::Parameter)};
        const io::ModelSummary s = io::summarize(d);
        QCOMPARE(s.modules.size(), std::size_t(2));
        QCOMPARE(s.tensors[0].module, std::string("a"));
        QCOMPARE(module(s, "a").own_parameters, std::int64_t(5));
    }

    void trainableFromRequiresGrad() {
        io::ModelDocument d;
        d.tensors = {entry("w", {4}, TensorRole::Parameter), entry("v", {2}, TensorRole::Parameter),
                     entry("u", {1}, TensorRole::Parameter)};
        d.tensors[0].requires_grad = true;
        d.tensors[1].requires_grad = false;
        QCOMPARE(io::summarize(d).trainable_parameters, std::int64_t(4));
    }

    void deepNamesBuildOnePathEach() {
        // 2000 tensors at the deepest allowed level under one chain: 128 modules, each tensor in
        // the deepest. (Before, every tensor hashed 127 ever longer prefixes to find its owner.)
        std::string chain = "m";
        for (std::size_t i = 1; i + 1 < io::max_module_depth; ++i)
            chain += ".level" + std::to_string(i);
        io::ModelDocument d;
        for (int i = 0; i < 2000; ++i)
            d.tensors.push_back(
                entry(chain + ".w" + std::to_string(i), {1}, TensorRole::Parameter));
        const io::ModelSummary s = io::summarize(d);
        QCOMPARE(s.modules.size(), io::max_module_depth); // the root and 127 levels
        QCOMPARE(s.tensors.back().module, chain);
        QCOMPARE(s.modules.back().own_parameters, std::int64_t(2000));
        QCOMPARE(s.modules[0].total_parameters, std::int64_t(2000));
        d.tensors.push_back(entry(chain + ".x.y", {1}, TensorRole::Parameter));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, io::summarize(d)); // 129 parts
    }

    void namesAtTheTextEdges() {
        for (const TensorRole r : {TensorRole::Parameter, TensorRole::Buffer, TensorRole::Unknown,
                                   TensorRole::Output, TensorRole::OutputGradient})
            QCOMPARE(io::parse_tensor_role(io::to_string(r)), r);
        QCOMPARE(io::describe_role(TensorRole::Output, "layer1.0"), "output of layer1.0");
        QCOMPARE(io::describe_role(TensorRole::OutputGradient, "layer1.0"),
                 "gradient of layer1.0's output");
        QCOMPARE(io::describe_role(TensorRole::Output, ""), "output of the model");
        QCOMPARE(io::describe_role(TensorRole::Buffer, "bn"), "buffer");
        QCOMPARE(std::string(io::to_string(TensorRole::Parameter)), std::string("parameter"));
        for (const auto f :
             {io::ModelFormat::Nnscope, io::ModelFormat::Safetensors, io::ModelFormat::PytorchZip,
              io::ModelFormat::PytorchLegacy, io::ModelFormat::Torchscript, io::ModelFormat::Onnx})
            QCOMPARE(io::parse_model_format(io::to_string(f)), f);
        QCOMPARE(std::string(io::to_string(io::ModelFormat::PytorchLegacy)),
                 std::string("pytorch-legacy"));
        try {
            io::parse_tensor_role("weight");
            QFAIL("parsed an unknown role");
        } catch (const std::invalid_argument& e) {
            QVERIFY(std::string(e.what()).find("'weight'") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, io::parse_model_format("pytorch"));
    }
};

QTEST_GUILESS_MAIN(TestModelSummary)
#include "tst_model_summary.moc"
