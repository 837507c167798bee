// The emitted PyTorch script (workflows/pytorch_script.h) against real PyTorch: for every
// configuration of pytorch_script_cases.h, /usr/bin/python3 runs the script and its stdout must
// be exactly the lines LoaderSimulation gives (the lines `nnscope-cli loader --json` prints).
// All scripts run in one Python process (torch's import costs seconds), each with its own
// stdout. Skipped with a message when /usr/bin/python3 cannot import torch and torchvision.

#include "data/config_error.h"
#include "support/golden.h"
#include "workflows/loader_simulation.h"
#include "workflows/pytorch_script.h"
#include "workflows/pytorch_script_cases.h"
#include "workflows/pytorch_script_writer.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace nnscope;

namespace {

using Json = nlohmann::ordered_json;

// The lines of `nnscope-cli loader --json` for `config`.
std::string simulated_lines(const data::DataLoaderConfig& config) {
    std::ostringstream out;
    workflows::LoaderSimulation simulation(config);
    simulation.on_batch = [&](const workflows::LoaderBatch& b) {
        out << Json{{"epoch", b.epoch},
                    {"batch", b.batch},
                    {"indices", b.indices},
                    {"labels", b.labels}}
                   .dump()
            << "\n";
    };
    const workflows::LoaderSummary s = simulation.run();
    Json classes = Json::object();
    for (const auto& [label, n] : s.per_class)
        classes[std::to_string(label)] = n;
    out << Json{{"summary",
                 {{"dataset", s.dataset},
                  {"dataset_size", s.dataset_size},
                  {"epochs", s.epochs},
                  {"batches", s.batches},
                  {"samples", s.samples},
                  {"duplicates", s.duplicates},
                  {"per_class", classes},
                  {"warnings", s.warnings}}}}
               .dump()
        << "\n";
    return out.str();
}

std::string missing_data(const data::DataLoaderConfig& config) {
    if (config.dataset.starts_with("fashion-mnist") &&
        !std::filesystem::exists(std::string(data::MnistDataset::fashion_mnist_default_dir) +
                                 "/t10k-labels-idx1-ubyte.gz"))
        return "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)";
    return {};
}

std::string read_file(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const char* const driver = R"(import sys, traceback
import torch, torchvision  # once for every script
for script, output in zip(sys.argv[1::2], sys.argv[2::2]):
    # line-buffered, so that no forked worker inherits unwritten lines
    with open(output, "w", buffering=1) as out:
        sys.stdout = out
        try:
            with open(script) as f:
                exec(compile(f.read(), script, "exec"), {"__name__": "__main__"})
        except BaseException:
            traceback.print_exc(file=out)
        finally:
            sys.stdout = sys.__stdout__
)";

} // namespace

class TestPytorchScript : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString skip_all_;                       // why nothing ran under PyTorch
    std::map<std::string, std::string> out_; // case name -> the script's stdout
    std::map<std::string, std::string> skip_;

    static std::string ag_news_dir() {
        return test::haveShared("datasets/ag_news_csv")
                   ? (test::sharedDir() + QStringLiteral("/datasets/ag_news_csv")).toStdString()
                   : std::string();
    }

private slots:
    void initTestCase() {
        QProcess probe;
        probe.start(QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-c"), QStringLiteral("import torch, torchvision")});
        if (!probe.waitForFinished(60000) || probe.exitStatus() != QProcess::NormalExit ||
            probe.exitCode() != 0) {
            skip_all_ = QStringLiteral("/usr/bin/python3 cannot import torch and torchvision "
                                       "(python3-torch, python3-torchvision): the scripts are not "
                                       "run");
            return;
        }
        QStringList args{dir_.filePath(QStringLiteral("driver.py"))};
        std::ofstream(args[0].toStdString()) << driver;
        int n = 0;
        for (const auto& c : test::script_cases(ag_news_dir())) {
            if (auto why = missing_data(c.config); !why.empty()) {
                skip_[c.name] = why;
                continue;
            }
            const QString script = dir_.filePath(QStringLiteral("case%1.py").arg(n));
            const QString output = dir_.filePath(QStringLiteral("case%1.out").arg(n++));
            std::ofstream(script.toStdString()) << workflows::pytorch_script(c.config);
            args << script << output;
            out_[c.name] = output.toStdString();
        }
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), args);
        QVERIFY2(python.waitForFinished(240000), "the PyTorch scripts did not finish in 4 min");
        QCOMPARE(python.exitCode(), 0);
        for (auto& [name, path] : out_)
            path = read_file(QString::fromStdString(path));
    }

    void matchesPytorch_data() {
        QTest::addColumn<int>("index");
        const auto cases = test::script_cases(ag_news_dir());
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(cases[i].name.c_str()) << static_cast<int>(i);
        if (ag_news_dir().empty()) QTest::newRow("ag-news") << -1;
    }
    void matchesPytorch() {
        QFETCH(int, index);
        if (index < 0) QSKIP("no ../shared/datasets/ag_news_csv: the AG_NEWS cases are not run");
        if (!skip_all_.isEmpty()) QSKIP(qPrintable(skip_all_));
        const test::ScriptCase c = test::script_cases(ag_news_dir()).at(index);
        if (skip_.count(c.name)) QSKIP(skip_.at(c.name).c_str());
        const std::string expected = simulated_lines(c.config);
        const std::string& actual = out_.at(c.name);
        QVERIFY2(actual == expected,
                 qPrintable(QString::fromStdString("PyTorch printed:\n" + actual.substr(0, 3000) +
                                                   "\nnnscope:\n" + expected.substr(0, 3000))));
    }

    // What needs no PyTorch: the script's imports, its arguments and the errors.
    void importsOnlyTorchAndTheStandardLibrary() {
        data::DataLoaderConfig c;
        c.dataset = "range:20:mod=2";
        c.sampler = data::WeightedSamplerArgs{};
        c.generator_seed = 5;
        c.num_workers = 2;
        c.worker_init_fn = data::WorkerInitChoice::SeedNumpy;
        const std::string script = workflows::pytorch_script(c);
        std::istringstream lines(script);
        QStringList imports;
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with("import ") || line.starts_with("from "))
                imports << QString::fromStdString(line);
        QCOMPARE(imports, QStringList({"import collections", "import json", "import warnings",
                                       "import numpy", "import torch",
                                       "from torch.utils.data import DataLoader, Dataset, Subset, "
                                       "WeightedRandomSampler"}));
        QVERIFY(script.find("generator = torch.Generator().manual_seed(5)\n") != std::string::npos);
        QVERIFY(script.find("worker_init_fn=seed_numpy,") != std::string::npos);
        QVERIFY(script.find("num_workers=2,") != std::string::npos);
        // seeded, no transform: nothing draws from the default generator
        QVERIFY(script.find("torch.manual_seed") == std::string::npos);
    }

    void setEpochFollowsTheConfiguredEpoch() {
        data::DataLoaderConfig c;
        c.sampler = data::DistributedSamplerArgs{2, 1, true, 0, false, 4};
        const std::string script = workflows::pytorch_script(c);
        QVERIFY(script.find("        sampler.set_epoch(4 + epoch)\n") != std::string::npos);
        QVERIFY(script.find("    rank=1,\n") != std::string::npos);
    }

    void transformsAsTorchvision() {
        QCOMPARE(workflows::pyscript::transform_expression(
                     "transforms.Compose([T.RandomCrop(28, padding=4), ToTensor( ), "
                     "Resize(32, interpolation='nearest'), "
                     "Resize(8, interpolation=InterpolationMode.BILINEAR)])"),
                 std::string("T.Compose([T.RandomCrop(28, padding=4), "
                             "T.ConvertImageDtype(torch.float), "
                             "T.Resize(32, interpolation=T.InterpolationMode.NEAREST), "
                             "T.Resize(8, interpolation=T.InterpolationMode.BILINEAR)])"));
        // Text the parser would refuse is copied as it is, never read past its end.
        QCOMPARE(workflows::pyscript::transform_expression("ToTensor("),
                 std::string("T.ToTensor("));
        QCOMPARE(workflows::pyscript::transform_expression("'near"), std::string("'near"));
    }

    void floatsReadBackExactly() {
        QCOMPARE(workflows::pyscript::number(1), std::string("1.0"));
        QCOMPARE(workflows::pyscript::number(0.1), std::string("0.1"));
        QCOMPARE(workflows::pyscript::number(1e-30), std::string("1e-30"));
        QCOMPARE(workflows::pyscript::number(1.0 / 3), std::string("0.3333333333333333"));
    }

    void refusesWhatTheLoaderRefuses() {
        data::DataLoaderConfig c;
        c.batch_size = 0;
        try {
            workflows::pytorch_script(c);
            QFAIL("batch_size=0 was accepted");
        } catch (const data::ConfigError& e) {
            QCOMPARE(e.field(), std::string("batch_size"));
        }
        c = {};
        c.collate_fn = data::CollateChoice::Padding; // refused before any data set is read
        try {
            workflows::pytorch_script(c);
            QFAIL("the padding collate_fn was accepted");
        } catch (const data::ConfigError& e) {
            QCOMPARE(e.field(), std::string("collate_fn"));
            QVERIFY2(std::string(e.what()).find("default collate_fn only") != std::string::npos,
                     e.what());
        }
        c = {};
        c.dataset = "mnist:/nonexistent/folder";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, workflows::pytorch_script(c));
    }
};

QTEST_GUILESS_MAIN(TestPytorchScript)
#include "tst_pytorch_script.moc"
