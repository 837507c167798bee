// BuilderInspectJob through a JobController: for a Sequential(Flatten, LazyLinear(32), ReLU,
// Linear(32, 10)) with a non-persistent buffer it lists the registered tensors and saved keys,
// runs apply's rules (the histograms after equal a direct build + apply with the same seed) and
// a dry run that fixes the LazyLinear to 784 on a second build; a burst of requests ends with the
// newest only; a spec that does not build, a refused shape and an unknown scheme come back as
// text; a cancel delivers nothing. parse_input_shape reads what the line edit takes.

#include "io/architecture.h"
#include "io/native_model.h"
#include "session/builder_inspect_job.h"
#include "session/job_controller.h"
#include "support/builder_spec.h"

#include <QtTest>

using namespace nnscope;
using session::BuilderInspectionPtr;
using session::BuilderInspectJob;
using session::BuilderInspectRequest;

namespace {

const char* const kSpec = test::kBuilderSpec;

BuilderInspectRequest request(std::uint64_t seed = 3) {
    BuilderInspectRequest r;
    r.spec = io::parse_architecture(kSpec);
    r.seed = seed;
    r.input_shape = Shape{1, 1, 28, 28};
    r.rules = {{"Linear", "weight", "kaiming_normal"}, {"Linear", "bias", "zeros"}};
    return r;
}

class Inspector {
public:
    Inspector() {
        jobs.add<BuilderInspectJob>();
        jobs.start();
        jobs.on<BuilderInspectJob, BuilderInspectionPtr>(
            &receiver, [this](const BuilderInspectionPtr& r) { results.push_back(r); });
    }
    BuilderInspectionPtr ask(BuilderInspectRequest r) {
        jobs.request<BuilderInspectJob>(std::move(r));
        if (!QTest::qWaitFor([this] { return !results.empty(); }, 20000)) return nullptr;
        return results.back();
    }

    QObject receiver;
    session::JobController jobs{QStringLiteral("tst_builder_inspect_job")};
    std::vector<BuilderInspectionPtr> results;
};

const workflows::RegisteredTensor* find(const session::BuilderInspection& r,
                                        const std::string& key) {
    for (const auto& t : r.tensors)
        if (t.key == key) return &t;
    return nullptr;
}

} // namespace

class TstBuilderInspectJob : public QObject {
    Q_OBJECT
private slots:
    void inspectsTheModel() {
        Inspector inspector;
        const auto r = inspector.ask(request());
        QVERIFY(r);
        QVERIFY2(!r->build_error, r->build_error ? r->build_error->c_str() : "");
        QCOMPARE(r->request.seed, std::uint64_t(3));

        const auto* noise = find(*r, "noise");
        QVERIFY(noise);
        QVERIFY(!noise->saved && !noise->persistent);
        QVERIFY(find(*r, "3.weight") && find(*r, "3.weight")->saved);
        QVERIFY(find(*r, "1.weight") && find(*r, "1.weight")->uninitialized);
        const auto& saved = r->saved.saved;
        QVERIFY(std::find(saved.begin(), saved.end(), "3.weight") != saved.end());
        QVERIFY(std::find(saved.begin(), saved.end(), "noise") == saved.end());
        bool noise_left_out = false;
        for (const auto& [key, why] : r->saved.left_out)
            noise_left_out |= key == "noise" && why.find("persistent") != std::string::npos;
        QVERIFY(noise_left_out);
        QCOMPARE(r->parameter_count, std::int64_t(32 * 10 + 10)); // the lazy one has no size yet

        // apply visits children first, then the root; only "3" is a Linear.
        QCOMPARE(r->steps.size(), std::size_t(5));
        QCOMPARE(r->steps[3].step.path, std::string("3"));
        QCOMPARE(r->steps[4].step.path, std::string(""));
        QCOMPARE(r->steps[3].tensors.size(), std::size_t(2));
        QCOMPARE(r->steps[3].tensors[0].key, std::string("3.weight"));
        QCOMPARE(r->steps[3].tensors[1].call, std::size_t(1));
        QVERIFY(r->steps[1].tensors.empty()); // LazyLinear is not a Linear before its forward
        QVERIFY(r->apply_script.find("kaiming_normal_") != std::string::npos);
        QVERIFY(!r->apply_error);

        // The histograms after are those of a direct build + apply with the same seed.
        auto direct = io::build_native_model(request().spec, 3).module;
        const auto before_weight = stats::tensor_stats(direct->child("3")->parameter("weight"));
        workflows::apply_rules(*direct, request().rules);
        const auto weight = stats::summarize_tensor(direct->child("3")->parameter("weight"), 32);
        const auto& changed = r->steps[3].tensors[0];
        QCOMPARE(changed.after.stats.mean, weight.stats.mean);
        QCOMPARE(changed.after.stats.std, weight.stats.std);
        QCOMPARE(changed.after.histogram.counts, weight.histogram.counts);
        QCOMPARE(changed.before.stats.std, before_weight.std);
        QVERIFY(changed.after.stats.std > 2 * changed.before.stats.std); // sqrt(2/32) vs 0.1
        QCOMPARE(r->steps[3].tensors[1].after.stats.max, 0.0);           // zeros_

        QVERIFY(r->dry_run);
        const auto& rows = r->dry_run->rows;
        QCOMPARE(rows.size(), std::size_t(5));
        QCOMPARE(rows[2].type, std::string("Linear"));
        QVERIFY2(rows[2].note.find("784") != std::string::npos, rows[2].note.c_str());
        QCOMPARE(r->dry_run->output_shape, (Shape{1, 10}));
    }

    void burstEndsWithTheNewest() {
        Inspector inspector;
        for (std::uint64_t seed = 0; seed < 40; ++seed)
            inspector.jobs.request<BuilderInspectJob>(request(seed));
        const auto r = inspector.ask(request(99));
        QVERIFY(r);
        QTest::qWait(200); // anything late would arrive now
        QCOMPARE(inspector.results.size(), std::size_t(1));
        QCOMPARE(r->request.seed, std::uint64_t(99));
    }

    void badSpecIsAMessage() {
        Inspector inspector;
        auto bad = request();
        bad.spec.children[3].spec.type = "Linaer";
        auto r = inspector.ask(bad);
        QVERIFY(r && r->build_error);
        QVERIFY2(r->build_error->find("Linaer") != std::string::npos, r->build_error->c_str());
        QVERIFY(r->tensors.empty() && !r->dry_run && r->steps.empty());

        // The controller still answers the next request.
        inspector.results.clear();
        r = inspector.ask(request());
        QVERIFY(r && !r->build_error);
    }

    void refusedInputsAreMessages() {
        Inspector inspector;
        auto req = request();
        req.input_shape = Shape{};
        req.rules.push_back({"Linear", "weight", "kaiming"});
        const auto r = inspector.ask(req);
        QVERIFY(r && !r->build_error);
        QVERIFY(!r->dry_run && r->dry_run_error);
        QVERIFY(r->apply_error && r->apply_error->find("'kaiming'") != std::string::npos);
        QVERIFY(!r->tensors.empty());

        // A shape that does not fit stops the table with the forward's error.
        inspector.results.clear();
        req = request();
        req.spec = io::parse_architecture(
            R"({"type": "Sequential", "children": [
                ["0", {"type": "Linear", "in_features": 4, "out_features": 3}]]})");
        req.input_shape = Shape{2, 5};
        const auto r2 = inspector.ask(req);
        QVERIFY(r2 && r2->dry_run && r2->dry_run->error);
        QVERIFY2(r2->dry_run->error->find("cannot be multiplied") != std::string::npos,
                 r2->dry_run->error->c_str());
    }

    // An index input (int64 zeros) for an Embedding, which refuses floats.
    void int64InputForAnEmbedding() {
        Inspector inspector;
        BuilderInspectRequest req;
        req.spec = io::parse_architecture(
            R"({"type": "Embedding", "num_embeddings": 10, "embedding_dim": 4})");
        req.input_shape = Shape{2, 3};
        req.input_dtype = DType::Int64;
        auto r = inspector.ask(req);
        QVERIFY(r && r->dry_run);
        QVERIFY2(!r->dry_run->error, r->dry_run->error ? r->dry_run->error->c_str() : "");
        QCOMPARE(r->dry_run->output_shape, (Shape{2, 3, 4}));

        inspector.results.clear();
        req.input_dtype = DType::Float32;
        r = inspector.ask(req);
        QVERIFY(r && r->dry_run && r->dry_run->error);
    }

    void cancelDeliversNothing() {
        Inspector inspector;
        inspector.jobs.request<BuilderInspectJob>(request());
        inspector.jobs.cancel<BuilderInspectJob>();
        QTest::qWait(500);
        QVERIFY(inspector.results.empty());
    }

    void parsesInputShapes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shape"); // empty: refused
        QTest::newRow("x") << "1x1x28x28"
                           << "1,1,28,28";
        QTest::newRow("commas") << "2, 3"
                                << "2,3";
        QTest::newRow("brackets") << "[4, 5]"
                                  << "4,5";
        QTest::newRow("zero") << "0x3"
                              << "0,3";
        QTest::newRow("empty") << "  "
                               << "";
        QTest::newRow("negative") << "1x-3"
                                  << "";
        QTest::newRow("letters") << "1xabc"
                                 << "";
        QTest::newRow("float") << "1.5"
                               << "";
    }
    void parsesInputShapes() {
        QFETCH(QString, text);
        QFETCH(QString, shape);
        try {
            const Shape s = session::parse_input_shape(text.toStdString());
            QStringList parts;
            for (auto d : s)
                parts << QString::number(d);
            QCOMPARE(parts.join(QLatin1Char(',')), shape);
        } catch (const std::invalid_argument& e) {
            QVERIFY2(shape.isEmpty(), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstBuilderInspectJob)
#include "tst_builder_inspect_job.moc"
