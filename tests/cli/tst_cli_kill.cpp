// Saves survive SIGKILL: `nnscope-cli convert` (to a PyTorch zip and to safetensors) and
// `nnscope-cli train --out` are killed many times at random moments spread over their run, over
// a target that already holds an older file. After every kill the target is the old file byte
// for byte or the complete new one (equal to an uninterrupted run's), never a torn mix. Killed
// saves may leave "<target>.partial-<pid>-*" temporaries (io/atomic_file.h); the next save of the
// same target removes them, so none remain after the last, complete run.
// Random moments alone land in a short save too rarely on a fast or a loaded machine, so every
// other run is watched instead and killed as soon as its temporary appears: a kill in the
// middle of the save by construction, not by luck.

#include "cli/cli_runner.h"
#include "io/model_document.h"
#include "io/open_model.h"
#include "io/safetensors.h"
#include "support/files.h"
#include "workflows/learnable_data.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>

using namespace nnscope;
using nnscope::test::read_bytes;
using nnscope::test::write_bytes;

namespace {

constexpr int kKills = 30;

io::NamedTensors tensors_of(const std::string& path) {
    const io::ModelDocument document = io::open_model(path);
    io::NamedTensors out;
    for (const auto& entry : document.tensors)
        out.emplace_back(entry.name, entry.load());
    return out;
}

bool same_tensors(const io::NamedTensors& a, const io::NamedTensors& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].first != b[i].first || a[i].second.shape() != b[i].second.shape() ||
            a[i].second.dtype() != b[i].second.dtype())
            return false;
        const Tensor x = a[i].second.contiguous(), y = b[i].second.contiguous();
        const std::size_t n = static_cast<std::size_t>(x.numel()) * element_size(x.dtype());
        if (std::memcmp(x.storage()->data() + x.offset() * element_size(x.dtype()),
                        y.storage()->data() + y.offset() * element_size(y.dtype()), n) != 0)
            return false;
    }
    return true;
}

// The "<name>.partial-<pid>-*" temporaries beside `target` (of any pid when pid is 0).
int temporaries_of(const std::string& target, qint64 pid = 0) {
    const std::filesystem::path path(target);
    std::string prefix = path.filename().string() + ".partial-";
    if (pid != 0) prefix += std::to_string(pid) + "-";
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path.parent_path()))
        if (entry.path().filename().string().starts_with(prefix)) ++n;
    return n;
}

// A plain safetensors file of `count` float32 tensors of `numel` elements, values from `seed`.
void write_big_model(const std::string& path, int count, std::int64_t numel, float seed) {
    io::NamedTensors tensors;
    for (int i = 0; i < count; ++i) {
        Tensor t = Tensor::empty({numel}, DType::Float32);
        float* p = reinterpret_cast<float*>(t.storage()->data());
        for (std::int64_t k = 0; k < numel; ++k)
            p[k] = seed + static_cast<float>(i) + static_cast<float>(k % 977) * 0.25f;
        tensors.emplace_back("layer" + std::to_string(i) + ".weight", t);
    }
    io::save_safetensors(path, tensors);
}

} // namespace

class TestCliKill : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::mt19937 random_{20261203};

    // The shorter of two complete runs: the first may pay for a cold page cache.
    double run_time(const QStringList& arguments) {
        const double first = complete_run(arguments);
        return std::min(first, complete_run(arguments));
    }

    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

    // Runs nnscope-cli `arguments` to completion: the seconds it took (check for failures).
    double complete_run(const QStringList& arguments) {
        QElapsedTimer clock;
        clock.start();
        const test::CliResult result = test::run_cli(arguments);
        [&] { NNSCOPE_EXPECT_CLI_OK(result); }();
        return static_cast<double>(clock.nsecsElapsed()) * 1e-9;
    }

    // Waits until `process` has begun writing its temporary beside `target` (true) or has
    // finished (false), polling every millisecond for at most ten times an uninterrupted run.
    static bool watch_for_save(QProcess& process, const std::string& target, double seconds) {
        QElapsedTimer clock;
        clock.start();
        const qint64 limit_ms = static_cast<qint64>(seconds * 10000) + 10000;
        while (clock.elapsed() < limit_ms) {
            if (temporaries_of(target, process.processId()) > 0) return true;
            if (process.waitForFinished(1)) return false;
        }
        return true; // neither: kill it anyway, the checks below still hold
    }

    // Kills `arguments` (which write `target`) kKills times: every even run at a random moment
    // from `from` to `to` times `seconds` (an uninterrupted run's time), every odd one as its
    // save begins (watch_for_save). `is_new` says whether a target that is not the old file is
    // the complete new one. The old file is put back after each run that replaced it. A kill
    // that leaves the run's temporary behind came in the middle of the save.
    void kill_repeatedly(const QStringList& arguments, const std::string& target, double seconds,
                         double from, double to, const std::function<bool()>& is_new) {
        const std::string old = read_bytes(target);
        std::uniform_real_distribution<double> fraction(from, to);
        int killed = 0, kept_old = 0, replaced = 0, mid_save = 0;
        for (int i = 0; i < kKills; ++i) {
            QProcess process;
            QElapsedTimer clock;
            clock.start();
            process.start(QStringLiteral(NNSCOPE_CLI), arguments);
            QVERIFY(process.waitForStarted());
            const int wait_ms = static_cast<int>(fraction(random_) * seconds * 1000);
            const qint64 pid = process.processId();
            const bool finished_first = i % 2 == 1 ? !watch_for_save(process, target, seconds)
                                                   : process.waitForFinished(wait_ms);
            if (finished_first) {
                // The machine is quicker now than when it was timed: aim at the quicker run.
                seconds = std::min(seconds, static_cast<double>(clock.elapsed()) * 1e-3);
            } else {
                process.kill(); // SIGKILL
                QVERIFY(process.waitForFinished(30000));
                ++killed;
                if (temporaries_of(target, pid) > 0) ++mid_save;
            }
            const bool finished = process.exitStatus() == QProcess::NormalExit;
            QVERIFY2(!finished || process.exitCode() == 0,
                     process.readAllStandardError().constData());
            QVERIFY2(std::filesystem::exists(target), "the old target vanished");
            if (read_bytes(target) == old) {
                QVERIFY2(!finished, "a finished run left the old file");
                ++kept_old;
            } else {
                QVERIFY2(is_new(), qPrintable(QStringLiteral("kill %1 after %2 ms left a torn "
                                                             "target")
                                                  .arg(i)
                                                  .arg(wait_ms)));
                ++replaced;
                write_bytes(target, old);
            }
        }
        qInfo("%s: %d runs, %d killed (%d in the middle of the save), %d left the old file, %d "
              "the new one (%.2f s a run)",
              std::filesystem::path(target).filename().c_str(), kKills, killed, mid_save, kept_old,
              replaced, seconds);
        QVERIFY(killed >= kKills / 3);
        QVERIFY2(mid_save >= 3, "too few kills came during the save to prove anything");
        // A last, complete run cleans up what the killed ones left.
        complete_run(arguments);
        if (QTest::currentTestFailed()) return;
        QVERIFY(is_new());
        QCOMPARE(temporaries_of(target), 0);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        write_big_model(path("big.safetensors"), 6, 1 << 20, 0.5f); // 24 MB
        write_big_model(path("small.safetensors"), 2, 1000, 7.0f);
    }

    void convert_data() {
        QTest::addColumn<QString>("extension");
        QTest::newRow("PyTorch zip") << QStringLiteral(".pt");
        QTest::newRow("safetensors") << QStringLiteral(".safetensors");
    }

    void convert() {
        QFETCH(QString, extension);
        const QString in = dir_.filePath(QStringLiteral("big.safetensors"));
        const std::string target = path("converted") + extension.toStdString();
        const std::string reference = path("reference") + extension.toStdString();
        const QString out = QString::fromStdString(target);
        // The old file: a complete conversion of another model.
        complete_run(
            {QStringLiteral("convert"), dir_.filePath(QStringLiteral("small.safetensors")), out});
        const double seconds =
            run_time({QStringLiteral("convert"), in, QString::fromStdString(reference)});
        if (QTest::currentTestFailed()) return;
        QVERIFY(same_tensors(tensors_of(reference), tensors_of(in.toStdString())));
        const std::string expected = read_bytes(reference); // convert's output is reproducible
        // Most of a conversion is its save: kills from start to end land in it often.
        kill_repeatedly({QStringLiteral("convert"), in, out}, target, seconds, 0.0, 1.0,
                        [&] { return read_bytes(target) == expected; });
    }

    // train --out saves the trained model at the end of the run: a big model makes that save a
    // good part of the run. Its metadata holds timings, so the new file is compared by tensors.
    void trainOut() {
        QVERIFY(QDir().mkpath(dir_.filePath(QStringLiteral("idx"))) &&
                QDir().mkpath(dir_.filePath(QStringLiteral("news"))));
        test::write_learnable_data(dir_.path().toStdString());
        const std::string arch =
            R"({"type": "Sequential", "children": [["0", {"type": "Flatten"}], )"
            R"(["1", {"type": "Linear", "in_features": 784, "out_features": 4096}], )"
            R"(["2", {"type": "ReLU"}], )"
            R"(["3", {"type": "Linear", "in_features": 4096, "out_features": 10}]]})";
        const std::string model = path("wide.safetensors");
        io::save_safetensors(model, {}, {{"nnscope.architecture", arch}, {"nnscope.seed", "0"}});
        const std::string target = path("trained.safetensors");
        const auto arguments = [&](const std::string& out) {
            return QStringList{QStringLiteral("train"),
                               QStringLiteral("--model"),
                               QString::fromStdString(model),
                               QStringLiteral("--dataset"),
                               QStringLiteral("mnist:") + dir_.filePath(QStringLiteral("idx")),
                               QStringLiteral("--limit"),
                               QStringLiteral("32"),
                               QStringLiteral("--batch-size"),
                               QStringLiteral("32"),
                               QStringLiteral("--seed"),
                               QStringLiteral("3"),
                               QStringLiteral("--out"),
                               QString::fromStdString(out)};
        };
        write_bytes(target, read_bytes(path("small.safetensors"))); // the old file
        const std::string reference = path("trained-reference.safetensors");
        const double seconds = run_time(arguments(reference));
        if (QTest::currentTestFailed()) return;
        const io::NamedTensors expected = tensors_of(reference);
        QCOMPARE(expected.size(), std::size_t{4});
        // The save is the end of the run: the kills favour it.
        kill_repeatedly(arguments(target), target, seconds, 0.5, 1.05, [&] {
            try {
                return same_tensors(tensors_of(target), expected);
            } catch (const std::exception&) {
                return false;
            }
        });
    }
};

QTEST_GUILESS_MAIN(TestCliKill)
#include "tst_cli_kill.moc"
