// The training record (workflows/train_record.h, TrainRecorder): stream statistics with NaN and
// infinities counted apart and histc's rule over the finite range, the JSON lines, and the
// record of the first 100 steps of mlp and cnn on Fashion-MNIST against PyTorch 1.13's
// (tests/golden/gen_train_record.py: the same model, seed, batches and hooks).

#include "engine/tensor.h"
#include "workflows/train_probe.h"

#include <QFile>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

using namespace nnscope;
using namespace nnscope::workflows;
using json = nlohmann::json;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-5 + 1e-3 * std::abs(b);
}

// Compares one recorded value with PyTorch's; a mismatch is noted as "step S: WHERE: a vs b".
struct Comparison {
    std::vector<std::string> mismatches;
    std::int64_t values = 0;

    void number(const json& ours, const json& theirs, const std::string& where) {
        ++values;
        if (theirs.is_null() && ours.is_null()) return;
        if (theirs.is_null() || ours.is_null() || !close(ours.get<double>(), theirs.get<double>()))
            mismatches.push_back(where + ": " + ours.dump() + " vs " + theirs.dump());
    }

    void stats(const json& ours, const json& theirs, const std::string& where) {
        for (const char* key :
             {"numel", "mean", "std", "min", "max", "zero_fraction", "nan", "pos_inf", "neg_inf"})
            number(ours.at(key), theirs.at(key), where + "." + key);
        if (!theirs.contains("hist")) return;
        number(ours["hist"]["lo"], theirs["hist"]["lo"], where + ".hist.lo");
        number(ours["hist"]["hi"], theirs["hist"]["hi"], where + ".hist.hi");
        const auto& a = ours["hist"]["counts"];
        const auto& b = theirs["hist"]["counts"];
        if (a.size() != b.size()) {
            mismatches.push_back(where + ".hist: " + std::to_string(a.size()) + " bins");
            return;
        }
        // A value on a bin edge may land in the neighbouring bin when its last bit differs.
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::abs(a[i].get<double>() - b[i].get<double>()) > 1)
                number(a[i], b[i], where + ".hist[" + std::to_string(i) + "]");
    }

    void step(const json& ours, const json& theirs) {
        const std::string s = "step " + theirs["step"].dump();
        number(ours["loss"], theirs["loss"], s + ": loss");
        const auto& om = ours["modules"];
        const auto& tm = theirs["modules"];
        if (om.size() != tm.size()) {
            mismatches.push_back(s + ": " + std::to_string(om.size()) + " modules");
            return;
        }
        for (std::size_t i = 0; i < tm.size(); ++i) {
            const std::string where = s + ": module '" + tm[i]["module"].get<std::string>() + "'";
            if (om[i]["module"] != tm[i]["module"] || om[i]["type"] != tm[i]["type"])
                mismatches.push_back(where + " is " + om[i]["type"].dump());
            for (const char* stream : {"activation", "gradient"}) {
                if (om[i].contains(stream) != tm[i].contains(stream))
                    mismatches.push_back(where + " " + stream + " presence");
                else if (tm[i].contains(stream))
                    stats(om[i][stream], tm[i][stream], where + " " + stream);
            }
        }
        const auto& op = ours["params"];
        const auto& tp = theirs["params"];
        if (op.size() != tp.size()) {
            mismatches.push_back(s + ": " + std::to_string(op.size()) + " params");
            return;
        }
        for (std::size_t i = 0; i < tp.size(); ++i)
            for (const char* key : {"grad_norm", "weight_norm", "update_norm"})
                number(op[i][key], tp[i][key],
                       s + ": " + tp[i]["name"].get<std::string>() + "." + key);
    }
};

std::vector<json> read_lines(std::istream& in) {
    std::vector<json> lines;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) lines.push_back(json::parse(line));
    return lines;
}

} // namespace

class TestTrainRecord : public QObject {
    Q_OBJECT

private slots:
    void nonFiniteCountedApart() {
        const Tensor t = Tensor::from_vector({1, qnan, 0, inf, -inf, 3, 0, qnan, 2, -1}, {2, 5});
        const StreamStats s = stream_stats(t, 4);
        QCOMPARE(s.stats.numel, std::int64_t{10});
        QCOMPARE(s.stats.nan, std::int64_t{2});
        QCOMPARE(s.stats.pos_inf, std::int64_t{1});
        QCOMPARE(s.stats.neg_inf, std::int64_t{1});
        QCOMPARE(s.stats.min, -1.0);
        QCOMPARE(s.stats.max, 3.0);
        QCOMPARE(s.stats.mean, 5.0 / 6);
        QCOMPARE(s.stats.zero_fraction(), 0.2);
        // histc(finite, 4, -1, 3): [-1,0) [0,1) [1,2) [2,3], the maximum in the last bin.
        QCOMPARE(s.histogram.counts, (std::vector<std::int64_t>{1, 2, 1, 2}));
        const auto j = to_json(s);
        QCOMPARE(j["nan"].get<int>(), 2);
        QCOMPARE(j["hist"]["counts"].size(), std::size_t{4});
    }

    // No finite element: the statistics are null in JSON, histc's empty range widens to [-1, 1].
    void nothingFinite() {
        const StreamStats s = stream_stats(Tensor::from_vector({qnan, inf}, {2}));
        QCOMPARE(s.stats.finite, std::int64_t{0});
        const auto j = to_json(s);
        QVERIFY(j["mean"].is_null() && j["min"].is_null() && j["std"].is_null());
        QCOMPARE(j["hist"]["lo"].get<double>(), -1.0);
        QCOMPARE(j["hist"]["hi"].get<double>(), 1.0);
        QCOMPARE(j["hist"]["counts"].size(), std::size_t{64});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stream_stats(Tensor::zeros({2}), 0));
    }

    void stepAndEvalLines() {
        StepRecord r;
        r.step = 7;
        r.loss = 1.5;
        r.lr = 0.1;
        QVERIFY(!to_json(r).contains("modules")); // not observed: the loss and lr only
        r.observed = true;
        r.modules.push_back({"1", "Linear", stream_stats(Tensor::ones({3})), std::nullopt});
        r.params.push_back({"1.weight", 2, 3, 0.5});
        const auto j = to_json(r);
        QCOMPARE(j["modules"][0]["activation"]["mean"].get<double>(), 1.0);
        QVERIFY(!j["modules"][0].contains("gradient"));
        QCOMPARE(j["params"][0]["update_norm"].get<double>(), 0.5);

        Evaluation e;
        e.accuracy = 0.5;
        e.samples = 4;
        e.classes = 2;
        e.confusion = {1, 1, 1, 1};
        const auto ej = to_json(eval_record(e, 12, 1));
        QCOMPARE(ej["eval"]["step"].get<int>(), 12);
        QCOMPARE(ej["eval"]["confusion"].size(), std::size_t{4});
    }

    void matchesPyTorch_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("exact_steps");
        QTest::newRow("mlp") << "mlp" << 100;
        QTest::newRow("cnn") << "cnn" << 10;
    }

    // Every statistic within 1e-5 + 1e-3 |x| of PyTorch's: all 100 steps of mlp, the first 10
    // of cnn. The cnn amplifies float32 rounding by itself: PyTorch's own float64 run departs
    // from its float32 run at the same steps and by as much as nnscope's float32 run does
    // (largest relative gradient-norm difference: step 6 4e-5, step 8 1e-4, step 9 7e-4, step
    // 11 4e-3; /usr/bin/python3 check on 3 Dec 2026), as the two sum convolutions in another
    // order and a ReLU input or a max-pool window's near-tie then goes the other way. After step
    // 10 the gradient norms differ by up to 30% at some steps while the loss stays within 0.3%:
    // only the loss is compared there, within 1%.
    void matchesPyTorch() {
        QFETCH(QString, model);
        QFETCH(int, exact_steps);
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        std::ifstream golden(std::string(NNSCOPE_GOLDEN_DIR) + "/train/record_" +
                             model.toStdString() + ".jsonl");
        QVERIFY(golden);
        const std::vector<json> theirs = read_lines(golden);
        QCOMPARE(theirs.size(), std::size_t{100});

        TrainingConfig c;
        c.model = model.toStdString();
        c.loader.dataset = "fashion-mnist";
        c.loader.batch_size = 64;
        c.seed = 0;
        c.optimizer.name = "sgd";
        c.optimizer.lr = 0.1;
        TrainingRun run(c);
        std::stringstream out;
        {
            TrainRecorder recorder(run, out);
            for (int i = 0; i < 100; ++i)
                QVERIFY(run.step());
        }
        const std::vector<json> ours = read_lines(out);
        QCOMPARE(ours.size(), std::size_t{100});
        Comparison cmp;
        for (std::size_t i = 0; i < theirs.size(); ++i) {
            if (static_cast<int>(i) < exact_steps) {
                cmp.step(ours[i], theirs[i]);
                continue;
            }
            const double a = ours[i]["loss"].get<double>(), b = theirs[i]["loss"].get<double>();
            if (std::abs(a - b) > 1e-2 * std::abs(b))
                cmp.mismatches.push_back("step " + std::to_string(i) + ": loss " +
                                         std::to_string(a) + " vs " + std::to_string(b));
        }
        qInfo("%lld values compared, %zu differ", static_cast<long long>(cmp.values),
              cmp.mismatches.size());
        int shown = 0;
        for (const std::string& m : cmp.mismatches)
            if (m.find("hist[") == std::string::npos && shown++ < 20) qInfo("%s", m.c_str());
        for (const std::string& m : cmp.mismatches)
            if (shown++ < 20) qInfo("%s", m.c_str());
        QVERIFY(cmp.mismatches.empty());
    }
};

QTEST_GUILESS_MAIN(TestTrainRecord)
#include "tst_train_record.moc"
