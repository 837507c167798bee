// Every node test of ONNX's backend test suite (Debian's libonnx-testdata) runs on the engine:
// each model either loads and gives the expected outputs (ONNX's tolerances, rtol 1e-3 and
// atol 1e-7, with dtypes and shapes exact), or is refused at load as outside the supported set.
// The test fails on any wrong output, any error while running a graph that loaded, and any
// other load error; it prints how many passed and were refused.

#include "io/onnx/onnx_graph_module.h"
#include "io/onnx/onnx_tensor_file.h"
#include "support/golden.h"

#include <QtTest>
#include <algorithm>
#include <filesystem>

using namespace nnscope;
namespace fs = std::filesystem;

namespace {

const fs::path kNodeTests = "/usr/share/libonnx-testdata/data/node";

std::vector<Tensor> read_all(const fs::path& folder, const std::string& prefix) {
    std::vector<Tensor> out;
    for (int i = 0;; ++i) {
        const fs::path file = folder / (prefix + std::to_string(i) + ".pb");
        if (!fs::exists(file)) break;
        out.push_back(io::read_onnx_tensor_file(file));
    }
    return out;
}

// Empty when they agree; otherwise what differs.
std::string compare(const Tensor& actual, const Tensor& expected) {
    if (actual.dtype() != expected.dtype())
        return "dtype " + std::string(dtype_name(actual.dtype())) + " instead of " +
               std::string(dtype_name(expected.dtype()));
    if (actual.shape() != expected.shape())
        return "shape " + shape_to_string(actual.shape()) + " instead of " +
               shape_to_string(expected.shape());
    QString why;
    const bool ok = actual.is_floating_point()
                        ? test::allclose(actual.detach(), expected, 1e-7, 1e-3, &why)
                        : test::equal_exact(actual.contiguous(), expected, &why);
    return ok ? std::string() : why.toStdString();
}

} // namespace

class TestOnnxBackendNodes : public QObject {
    Q_OBJECT

private slots:
    void everyNodeTestPassesOrIsRefused() {
        if (!fs::is_directory(kNodeTests))
            QSKIP("libonnx-testdata is not installed (/usr/share/libonnx-testdata)");
        std::vector<fs::path> cases;
        for (const auto& entry : fs::directory_iterator(kNodeTests))
            if (fs::exists(entry.path() / "model.onnx")) cases.push_back(entry.path());
        std::sort(cases.begin(), cases.end());
        int passed = 0, refused = 0;
        std::vector<std::string> failures;
        for (const fs::path& dir : cases) {
            const std::string name = dir.filename().string();
            std::shared_ptr<nn::Module> model;
            try {
                model = io::load_onnx_module(dir / "model.onnx");
            } catch (const std::exception& e) {
                const std::string what = e.what();
                if (what.find("outside the supported ONNX operators") != std::string::npos) {
                    ++refused;
                } else {
                    failures.push_back(name + ": load: " + what);
                }
                continue;
            }
            try {
                const fs::path data = dir / "test_data_set_0";
                const std::vector<Tensor> inputs = read_all(data, "input_");
                const std::vector<Tensor> expected = read_all(data, "output_");
                model->call(inputs);
                const auto outputs = io::onnx_graph_outputs(*model).value();
                if (outputs.size() != expected.size()) {
                    failures.push_back(name + ": " + std::to_string(outputs.size()) +
                                       " outputs instead of " + std::to_string(expected.size()));
                    continue;
                }
                std::string problem;
                for (std::size_t i = 0; i < outputs.size() && problem.empty(); ++i) {
                    problem = compare(outputs[i], expected[i]);
                    if (!problem.empty()) problem = "output " + std::to_string(i) + ": " + problem;
                }
                if (problem.empty())
                    ++passed;
                else
                    failures.push_back(name + ": " + problem);
            } catch (const std::exception& e) {
                failures.push_back(name + ": run: " + e.what());
            }
        }
        qInfo("ONNX backend node tests: %d passed, %d refused at load, %zu failed (of %zu)", passed,
              refused, failures.size(), cases.size());
        for (const auto& f : failures)
            qWarning("%s", f.c_str());
        QVERIFY(passed > 300);
        QCOMPARE(failures.size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestOnnxBackendNodes)
#include "tst_onnx_backend_nodes.moc"
