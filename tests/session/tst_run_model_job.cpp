// RunModelJob through a JobController (its worker thread): a run gives what run_model gives
// directly, with the top-k and the saliency; a burst of requests answers the newest only; a
// cancel during a long forward delivers nothing and frees the worker between two modules;
// stopping the controller during a run returns promptly; errors come back as RunModelFailed.

#include "engine/nn/activation.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "io/native_model.h"
#include "io/safetensors.h"
#include "session/job_controller.h"
#include "session/run_model_job.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using session::JobController;
using session::RunModelJob;
using session::RunModelRequest;

namespace {

class Runner {
public:
    Runner() {
        jobs.add<RunModelJob>();
        jobs.start();
        jobs.on<RunModelJob, session::RunModelResultPtr>(
            &receiver, [this](const auto& v) { results.push_back(v); });
        jobs.on<RunModelJob, session::RunModelFailed>(
            &receiver, [this](const auto& v) { failures.push_back(v.message); });
    }
    bool ended() const { return !results.empty() || !failures.empty(); }

    QObject receiver;
    JobController jobs{QStringLiteral("tst_run_model_job")};
    std::vector<session::RunModelResultPtr> results;
    std::vector<QString> failures;
};

RunModelRequest cnn_request(std::uint64_t seed) {
    RunModelRequest r;
    r.model = "cnn";
    r.input = RunModelRequest::Input::Random;
    r.seed = seed;
    r.backward = workflows::BackwardFrom::ClassScore;
    r.target = 2;
    return r;
}

// 24 convolutions of 16 channels over 128x128: a forward of a few hundred ms in dev builds.
std::string slow_model(const QTemporaryDir& dir) {
    std::vector<nn::ModulePtr> layers;
    for (int i = 0; i < 24; ++i) {
        layers.push_back(std::make_shared<nn::Conv2d>(16, 16, 3, 1, 1));
        layers.push_back(std::make_shared<nn::ReLU>());
    }
    const nn::Sequential model(layers);
    const std::string path = dir.filePath(QStringLiteral("slow.safetensors")).toStdString();
    io::save_native_model(path, model);
    return path;
}

RunModelRequest slow_request(const std::string& model, const QTemporaryDir& dir) {
    const std::string input = dir.filePath(QStringLiteral("in.safetensors")).toStdString();
    io::save_safetensors(input, {{"input", Tensor::ones({1, 16, 128, 128})}});
    RunModelRequest r;
    r.model = model;
    r.input = RunModelRequest::Input::TensorFile;
    r.input_path = input;
    return r;
}

} // namespace

class TestRunModelJob : public QObject {
    Q_OBJECT

private slots:
    // A state_dict paired with an architecture: strict refuses a missing and an unexpected key
    // with PyTorch's message; non-strict runs and reports them as _IncompatibleKeys.
    void stateDictWithArchitecture() {
        QTemporaryDir dir;
        const nn::Sequential model(std::vector<nn::ModulePtr>{std::make_shared<nn::Conv2d>(1, 2, 3),
                                                              std::make_shared<nn::ReLU>()});
        const std::string arch = dir.filePath(QStringLiteral("arch.safetensors")).toStdString();
        io::save_native_model(arch, model);
        const std::string state = dir.filePath(QStringLiteral("sd.safetensors")).toStdString();
        io::save_safetensors(state, {{"0.weight", model.child("0")->parameter("weight")},
                                     {"extra", Tensor::zeros({1})}});
        RunModelRequest r;
        r.model = state;
        r.architecture = arch;
        r.input = RunModelRequest::Input::Random;
        {
            Runner runner;
            runner.jobs.request<RunModelJob>(r);
            QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
            QCOMPARE(runner.failures.size(), std::size_t(1));
            QVERIFY2(runner.failures[0].contains(QStringLiteral(
                         "Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in "
                         "state_dict: \"0.bias\". \n\tUnexpected key(s) in state_dict: "
                         "\"extra\". ")),
                     qPrintable(runner.failures[0]));
        }
        r.strict = false;
        Runner runner;
        runner.jobs.request<RunModelJob>(r);
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
        QVERIFY2(runner.failures.empty(),
                 qPrintable(runner.failures.empty() ? QString() : runner.failures[0]));
        QCOMPARE(runner.results[0]->load_report,
                 std::string("_IncompatibleKeys(missing_keys=['0.bias'], "
                             "unexpected_keys=['extra'])"));
    }

    void runGivesTheDirectResult() {
        Runner runner;
        runner.jobs.request<RunModelJob>(cnn_request(4));
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
        QVERIFY2(runner.failures.empty(),
                 qPrintable(runner.failures.empty() ? QString() : runner.failures[0]));
        const auto& r = *runner.results.at(0);
        QCOMPARE(r.model_kind, std::string("native"));
        // The same run directly, on this thread.
        auto model = workflows::open_runnable_model("cnn");
        const auto input = workflows::random_run_input(*model.input_shape, 4);
        workflows::RunRequest how;
        how.backward = workflows::BackwardFrom::ClassScore;
        how.target = 2;
        const auto direct = workflows::run_model(*model.module, input.input, how);
        QCOMPARE(r.run.output.to_vector(), direct.output.to_vector());
        QCOMPARE(r.run.find("3")->grad.to_vector(), direct.find("3")->grad.to_vector());
        QCOMPARE(r.predictions.size(), std::size_t(5));
        QCOMPARE(r.predictions[0].index, workflows::top_k(direct.output, 1)[0].index);
        QCOMPARE(r.saliency.shape(), (Shape{28, 28}));
    }

    void burstAnswersTheNewest() {
        Runner runner;
        for (std::uint64_t seed = 0; seed < 30; ++seed)
            runner.jobs.request<RunModelJob>(cnn_request(seed));
        runner.jobs.request<RunModelJob>(cnn_request(99));
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
        QTest::qWait(200); // anything late would arrive now
        QCOMPARE(runner.results.size(), std::size_t(1));
        QVERIFY(runner.results[0]->input.description.find("seed 99") != std::string::npos);
    }

    void cancelDuringForward() {
        QTemporaryDir dir;
        const std::string model = slow_model(dir);
        Runner runner;
        // How long one whole run takes here, warm (the first one also opens the model).
        double whole = 0;
        for (int i = 0; i < 2; ++i) {
            runner.jobs.request<RunModelJob>(slow_request(model, dir));
            QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 60000);
            QVERIFY(runner.failures.empty());
            whole = runner.results[0]->milliseconds;
            runner.results.clear();
        }

        runner.jobs.request<RunModelJob>(slow_request(model, dir));
        QTest::qWait(static_cast<int>(whole / 4));
        runner.jobs.cancel<RunModelJob>();
        // The worker is free again quickly: a small run right after answers first.
        QElapsedTimer timer;
        timer.start();
        runner.jobs.request<RunModelJob>(cnn_request(1));
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 60000);
        const qint64 elapsed = timer.elapsed();
        QTest::qWait(100);
        QCOMPARE(runner.results.size(), std::size_t(1));
        QCOMPARE(runner.results[0]->model_kind, std::string("native"));
        QVERIFY(runner.results[0]->input.description.find("seed 1") != std::string::npos);
        QVERIFY2(static_cast<double>(elapsed) < whole,
                 qPrintable(QStringLiteral("%1 ms after the cancel; a whole run takes %2 ms")
                                .arg(elapsed)
                                .arg(whole)));
    }

    void stopDuringRun() {
        QTemporaryDir dir;
        const std::string model = slow_model(dir);
        auto runner = std::make_unique<Runner>();
        runner->jobs.request<RunModelJob>(slow_request(model, dir));
        QTest::qWait(150);
        QElapsedTimer timer;
        timer.start();
        runner.reset(); // the controller stops its worker: the run ends at the next module
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void failures() {
        Runner runner;
        RunModelRequest r = cnn_request(0);
        r.target = 10;
        runner.jobs.request<RunModelJob>(r);
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
        QCOMPARE(runner.failures.size(), std::size_t(1));
        QCOMPARE(runner.failures[0],
                 QStringLiteral("the class 10 is outside the model's 10 classes (0..9)"));
        runner.failures.clear();
        r.model = "/nonexistent/model.onnx";
        runner.jobs.request<RunModelJob>(r);
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
        QVERIFY(runner.failures.at(0).contains(QStringLiteral("/nonexistent/model.onnx")));
        // The label as the class, for an input without one.
        runner.failures.clear();
        r = cnn_request(0);
        r.target_is_label = true;
        runner.jobs.request<RunModelJob>(r);
        QTRY_VERIFY_WITH_TIMEOUT(runner.ended(), 20000);
        QVERIFY2(runner.failures.at(0).endsWith(
                     QStringLiteral("has no label: choose the class of the backward")),
                 qPrintable(runner.failures.at(0)));
    }
};

QTEST_GUILESS_MAIN(TestRunModelJob)
#include "tst_run_model_job.moc"
