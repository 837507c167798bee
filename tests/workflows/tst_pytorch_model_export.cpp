// export-pytorch against real PyTorch: for each architecture, nnscope writes the native file
// (seeded) and its model.py; one /usr/bin/python3 process runs every model.py's build(seed) and
// a forward on the same input, and saves the state_dict, the non-persistent buffers and the
// output; they must equal nnscope's bit for bit (the output within 1e-6 relative). Also the
// exported text of one small model against a committed golden, verbatim.

#include "engine/autograd/grad_mode.h"
#include "io/native_model.h"
#include "io/safetensors.h"
#include "support/files.h"
#include "support/golden.h"
#include "workflows/pytorch_model_export.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace nnscope;

namespace {

struct ExportCase {
    const char* name;
    const char* architecture;
    std::uint64_t seed;
    Shape input_shape; // empty: no forward (ModuleList / ModuleDict roots)
    DType input_dtype = DType::Float32;
};

// The declared tensors of every kind, randn of both lengths (under 16 elements and from 16 on,
// which PyTorch draws differently), on a leaf, a nested container and the root.
constexpr const char* extra_tensors = R"({"type": "Sequential", "tensors": [
  {"name": "frozen", "kind": "parameter", "shape": [2, 2], "init": "randn", "requires_grad": false},
  {"name": "counts", "kind": "buffer", "shape": [2, 3], "dtype": "int64", "init": "arange"},
  {"name": "eye", "kind": "buffer", "shape": [2, 2], "init": "values", "values": [1, 0, 0, 1]},
  {"name": "scratch", "kind": "buffer", "shape": [17], "init": "randn", "persistent": false}],
 "children": [
  ["0", {"type": "Linear", "in_features": 4, "out_features": 3, "tensors": [
     {"name": "scale", "kind": "parameter", "shape": [3], "init": "randn"},
     {"name": "mask", "kind": "buffer", "shape": [3], "init": "rand"}]}],
  ["1", {"type": "GELU"}],
  ["2", {"type": "Sequential", "tensors": [
     {"name": "big", "kind": "parameter", "shape": [5, 7], "dtype": "float64", "init": "randn"},
     {"name": "offset", "kind": "buffer", "shape": [], "init": "full", "value": 0.5},
     {"name": "u", "kind": "buffer", "shape": [20], "dtype": "float64", "init": "rand"}],
   "children": [["0", {"type": "Linear", "in_features": 3, "out_features": 2}]]}]]})";

const ExportCase cases[] = {
    {"mlp",
     R"({"type": "Sequential", "children": [
         ["0", {"type": "Linear", "in_features": 8, "out_features": 16}],
         ["1", {"type": "ReLU"}],
         ["2", {"type": "Linear", "in_features": 16, "out_features": 4, "bias": false}]]})",
     7,
     {3, 8}},
    {"cnn",
     R"({"type": "Sequential", "children": [
         ["0", {"type": "Conv2d", "in_channels": 1, "out_channels": 4, "kernel_size": 3}],
         ["1", {"type": "BatchNorm2d", "num_features": 4}],
         ["2", {"type": "ReLU"}],
         ["3", {"type": "MaxPool2d", "kernel_size": 2}],
         ["4", {"type": "Flatten"}],
         ["5", {"type": "Linear", "in_features": 36, "out_features": 5}]]})",
     1,
     {2, 1, 8, 8}},
    {"named_nested",
     R"({"type": "Sequential", "children": [
         ["encoder", {"type": "Sequential", "children": [
            ["fc", {"type": "Linear", "in_features": 6, "out_features": 5}],
            ["act", {"type": "Tanh"}]]}],
         ["skip", {"type": "Identity"}],
         ["head", {"type": "Sequential", "children": [
            ["0", {"type": "Linear", "in_features": 5, "out_features": 3}],
            ["1", {"type": "LogSoftmax", "dim": 1}]]}]]})",
     3,
     {4, 6}},
    {"module_list",
     R"({"type": "ModuleList", "children": [
         ["0", {"type": "Linear", "in_features": 4, "out_features": 4}],
         ["1", {"type": "ModuleDict", "children": [
            ["b", {"type": "Embedding", "num_embeddings": 10, "embedding_dim": 3}],
            ["a", {"type": "LayerNorm", "normalized_shape": [3]}]]}]]})",
     11,
     {}},
    {"extra_tensors", extra_tensors, 5, {2, 4}},
    {"lazy",
     R"({"type": "Sequential", "children": [
         ["0", {"type": "Linear", "in_features": 4, "out_features": 6}],
         ["1", {"type": "ReLU"}],
         ["2", {"type": "LazyLinear", "out_features": 3}]]})",
     9,
     {2, 4}},
    // A declared parameter under the name of one the constructor made replaces it in place.
    {"replaced_weight",
     R"({"type": "Sequential", "children": [
         ["0", {"type": "Linear", "in_features": 3, "out_features": 2, "tensors": [
            {"name": "weight", "kind": "parameter", "shape": [2, 3], "init": "randn"}]}],
         ["1", {"type": "BatchNorm1d", "num_features": 2, "tensors": [
            {"name": "seen", "kind": "buffer", "shape": [2], "init": "zeros"}]}]]})",
     8,
     {4, 3}},
    {"embedding",
     R"({"type": "Sequential", "children": [
         ["0", {"type": "Embedding", "num_embeddings": 10, "embedding_dim": 8, "padding_idx": 0}],
         ["1", {"type": "LayerNorm", "normalized_shape": [8]}],
         ["2", {"type": "Linear", "in_features": 8, "out_features": 2}]]})",
     4,
     {2, 5},
     DType::Int64},
};

// Reads the inputs nnscope wrote, runs each model.py, writes what PyTorch made. The safetensors
// reader and writer are a few lines of Python (Debian 12 has no python3-safetensors).
constexpr const char* driver = R"PY(
import ctypes, importlib.util, json, struct, sys
try:
    import torch
except ImportError:
    sys.exit(77)

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}

def load(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for key, e in header.items():
        if key == "__metadata__":
            continue
        a, b = e["data_offsets"]
        raw = bytearray(data[8 + n + a:8 + n + b])
        out[key] = torch.frombuffer(raw, dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
    return out

def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous()
        raw = ctypes.string_at(t.data_ptr(), t.numel() * t.element_size())
        header[key] = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

for folder, seed in zip(sys.argv[1::2], sys.argv[2::2]):
    spec = importlib.util.spec_from_file_location("model", folder + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build(int(seed)).eval()
    out = {}
    inputs = load(folder + "/input.safetensors")
    if "input" in inputs:
        with torch.no_grad():
            out["forward:output"] = model(inputs["input"])
    state = model.state_dict()
    out.update(state)
    for name, buffer in model.named_buffers():
        if name not in state:
            out["non_persistent:" + name] = buffer
    save(folder + "/pytorch.safetensors", out)
)PY";

Tensor make_input(const ExportCase& c) {
    const std::int64_t n = shape_numel(c.input_shape);
    std::vector<double> values;
    for (std::int64_t i = 0; i < n; ++i)
        values.push_back(c.input_dtype == DType::Int64 ? double(i * 7 % 10)
                                                       : std::sin(0.37 * double(i + 1)));
    return Tensor::from_vector(values, c.input_shape, c.input_dtype);
}

// What nnscope has after opening the file and running the input: the output, the state_dict
// and the non-persistent buffers, named as the driver names them.
io::NamedTensors nnscope_results(const ExportCase& c, const std::string& file) {
    io::NativeModel model = io::load_native_model(file);
    model.module->eval();
    io::NamedTensors out;
    if (!c.input_shape.empty()) {
        autograd::NoGradGuard no_grad;
        out.emplace_back("forward:output", (*model.module)(make_input(c)));
    }
    const nn::StateDict state = model.module->state_dict();
    for (const auto& [key, value] : state)
        out.emplace_back(key, value);
    for (const auto& [name, buffer] : model.module->named_buffers())
        if (!state.find(name)) out.emplace_back("non_persistent:" + name, buffer);
    return out;
}

} // namespace

class TestPytorchModelExport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString skip_; // why the PyTorch comparison cannot run, or ""

    std::string folder(const char* name) const {
        return dir_.filePath(QString::fromUtf8(name)).toStdString();
    }

private slots:
    // Writes every case's native file, model.py and input, then runs PyTorch once on all.
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QStringList arguments{QStringLiteral("-")};
        for (const ExportCase& c : cases) {
            const std::string where = folder(c.name);
            QVERIFY(QDir().mkpath(QString::fromStdString(where)));
            io::NativeModel model =
                io::build_native_model(io::parse_architecture(c.architecture), c.seed);
            io::NativeSaveOptions options;
            options.seed = c.seed;
            io::save_native_model(where + "/model.safetensors", *model.module, options);
            workflows::export_pytorch_model(where + "/model.safetensors", where + "/model.py");
            io::NamedTensors input;
            if (!c.input_shape.empty()) input.emplace_back("input", make_input(c));
            io::save_safetensors(where + "/input.safetensors", input);
            arguments << QString::fromStdString(where) << QString::number(c.seed);
        }
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), arguments);
        python.write(driver);
        python.closeWriteChannel();
        const bool ran =
            python.waitForFinished(120000) && python.exitStatus() == QProcess::NormalExit;
        if (!ran || python.exitCode() == 77) { // no Python, or no torch in it
            skip_ = QStringLiteral("/usr/bin/python3 cannot import torch (python3-torch): the "
                                   "exported models are not run");
            return;
        }
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    void matchesPytorch_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(cases)); ++i)
            QTest::newRow(cases[i].name) << i;
    }

    void matchesPytorch() {
        QFETCH(int, index);
        if (!skip_.isEmpty()) QSKIP(qPrintable(skip_));
        const ExportCase& c = cases[index];
        const std::string where = folder(c.name);
        const io::SafetensorsFile torch_file(where + "/pytorch.safetensors");
        const io::NamedTensors ours = nnscope_results(c, where + "/model.safetensors");

        std::vector<std::string> our_names, torch_names;
        for (const auto& [name, value] : ours)
            our_names.push_back(name);
        for (const auto& entry : torch_file.header().entries)
            torch_names.push_back(entry.name);
        QCOMPARE(our_names, torch_names); // the same keys in the same order

        for (const auto& [name, value] : ours) {
            const Tensor theirs = torch_file.tensor(name);
            if (name != "forward:output") {
                QString why;
                QVERIFY2(test::equal_exact(value.contiguous(), theirs, &why),
                         qPrintable(QString::fromStdString(name) + QStringLiteral(": ") + why));
                continue;
            }
            QCOMPARE(value.shape(), theirs.shape());
            const std::vector<double> a = value.to_vector(), b = theirs.to_vector();
            double diff = 0, norm = 0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                diff += (a[i] - b[i]) * (a[i] - b[i]);
                norm += b[i] * b[i];
            }
            QVERIFY2(std::sqrt(diff) <= 1e-6 * std::sqrt(norm),
                     qPrintable(QStringLiteral("forward differs: |a-b| = %1, |b| = %2")
                                    .arg(std::sqrt(diff))
                                    .arg(std::sqrt(norm))));
        }
    }

    // The text itself, so that a change in the writer shows in review. After a deliberate
    // change, NNSCOPE_WRITE_GOLDEN=1 rewrites the golden (then review its diff).
    void textOfASmallModel() {
        const std::string where = folder("extra_tensors");
        const std::string text = test::read_bytes(where + "/model.py");
        const std::string path = std::string(NNSCOPE_GOLDEN_DIR) + "/export/extra_tensors.py";
        if (qEnvironmentVariableIsSet("NNSCOPE_WRITE_GOLDEN")) {
            test::write_bytes(path, text);
            QSKIP("NNSCOPE_WRITE_GOLDEN: the golden was rewritten");
        }
        const std::string golden = test::read_bytes(path);
        QCOMPARE(QString::fromStdString(text), QString::fromStdString(golden));
    }
};

QTEST_GUILESS_MAIN(TestPytorchModelExport)
#include "tst_pytorch_model_export.moc"
