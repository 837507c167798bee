// Every test of ONNX's backend test suites (Debian's libonnx-testdata) runs on the engine:
// each model either loads and gives the expected outputs (ONNX's tolerances, rtol 1e-3 and
// atol 1e-7, with dtypes and shapes exact), or is refused at load as outside the supported set.
// The test fails on any wrong output, any error while running a graph that loaded, and any
// other load error; it prints how many passed and were refused.

#include "io/onnx/onnx_graph_module.h"
#include "io/onnx/onnx_tensor_file.h"
#include "support/golden.h"

#include <QtTest>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

using namespace nnscope;
namespace fs = std::filesystem;

namespace {

const fs::path kTestData = "/usr/share/libonnx-testdata/data";
// The cases of each suite that pass with Debian 12's libonnx-testdata 1.13 (SUITE.txt): each
// must keep passing, so an operator that starts being refused (or a case that starts failing)
// shows by name.
const fs::path kPassing = fs::path(NNSCOPE_GOLDEN_DIR) / "onnx_backend";

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
    // node: one operator per case. pytorch-converted and pytorch-operator: small graphs old
    // PyTorch exported (opsets 6 to 9). simple: hand-written graphs.
    void everyCasePassesOrIsRefused_data() {
        QTest::addColumn<QString>("suite");
        for (const char* suite : {"node", "pytorch-converted", "pytorch-operator", "simple"})
            QTest::newRow(suite) << QString::fromLatin1(suite);
    }

    void everyCasePassesOrIsRefused() {
        QFETCH(QString, suite);
        const fs::path folder = kTestData / suite.toStdString();
        if (!fs::is_directory(folder))
            QSKIP("libonnx-testdata is not installed (/usr/share/libonnx-testdata)");
        std::vector<fs::path> cases;
        for (const auto& entry : fs::directory_iterator(folder))
            if (fs::exists(entry.path() / "model.onnx")) cases.push_back(entry.path());
        std::sort(cases.begin(), cases.end());
        int passed = 0, refused = 0;
        std::set<std::string> passing;
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
                if (problem.empty()) {
                    ++passed;
                    passing.insert(name);
                } else
                    failures.push_back(name + ": " + problem);
            } catch (const std::exception& e) {
                failures.push_back(name + ": run: " + e.what());
            }
        }
        qInfo("ONNX backend %s tests: %d passed, %d refused at load, %zu failed (of %zu)",
              qPrintable(suite), passed, refused, failures.size(), cases.size());
        for (const auto& f : failures)
            qWarning("%s", f.c_str());
        QCOMPARE(failures.size(), std::size_t(0));
        const fs::path list = kPassing / (suite.toStdString() + ".txt");
        // NNSCOPE_ONNX_PASSING_OUT=1 writes the lists anew (after adding an operator).
        if (std::getenv("NNSCOPE_ONNX_PASSING_OUT")) {
            std::ofstream file(list);
            file << "# ONNX backend " << suite.toStdString()
                 << " tests (Debian 12 libonnx-testdata) that must pass;\n"
                    "# written by tst_onnx_backend_nodes with NNSCOPE_ONNX_PASSING_OUT=1\n";
            for (const auto& name : passing)
                file << name << '\n';
        }
        std::ifstream listed(list);
        QVERIFY2(listed, list.c_str());
        std::vector<std::string> lost;
        std::size_t expected = 0;
        for (std::string name; std::getline(listed, name);) {
            if (name.empty() || name.front() == '#') continue;
            ++expected;
            if (!passing.count(name)) lost.push_back(name);
        }
        for (const auto& name : lost)
            qWarning("%s passed before and no longer does (refused at load?)", name.c_str());
        QVERIFY(suite != QLatin1String("node") || expected > 400);
        QCOMPARE(lost.size(), std::size_t(0));
        if (passing.size() > expected)
            qInfo("%zu cases pass that %s does not list yet", passing.size() - expected,
                  list.c_str());
    }
};

QTEST_GUILESS_MAIN(TestOnnxBackendNodes)
#include "tst_onnx_backend_nodes.moc"
