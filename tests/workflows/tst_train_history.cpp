// The training workspace's bounded history (workflows/train_history.h): the distribution bands
// read from a histogram against numpy.percentile (tests/golden/gen_train_history.py) and exact
// hand-made cases; the thinning over a million steps (bounded, the pinned steps whole, the recent
// steps whole, every loss counted), range and nearest queries, evaluations, the byte budget, and
// value semantics.

#include "engine/stats/tensor_stats.h"
#include "engine/tensor.h"
#include "support/golden.h"
#include "workflows/train_history.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

const double nan_ = std::numeric_limits<double>::quiet_NaN();

// A stream whose histogram has `counts` over [lo, hi] and whose finite range is [lo, hi].
StreamStats handMade(double lo, double hi, std::vector<std::int64_t> counts) {
    StreamStats s;
    for (const auto c : counts)
        s.stats.finite += c;
    s.stats.numel = s.stats.finite;
    s.stats.min = lo;
    s.stats.max = hi;
    s.histogram = {lo, hi, std::move(counts)};
    return s;
}

StreamStats summarized(const Tensor& t) {
    const auto summary = stats::summarize_tensor(t, 64);
    return {summary.stats, summary.histogram};
}

// A step's record with two observed modules (activation and gradient) and one parameter; the
// statistics vary with the step so that a point can be told from its neighbours.
StepRecord record(std::int64_t step, bool observed = true) {
    StepRecord r;
    r.step = step;
    r.loss = 2.0 - 1e-6 * double(step);
    r.lr = 0.1;
    r.observed = observed;
    if (!observed) return r;
    StreamStats s = handMade(-1, 1, std::vector<std::int64_t>(64, 10));
    s.stats.mean = double(step);
    for (const char* name : {"0", "1"})
        r.modules.push_back({name, "Linear", s, s});
    r.params.push_back({"0.weight", 1.0 + double(step), 2.0, 0.5});
    return r;
}

std::vector<std::int64_t> steps(const std::vector<const StreamPoint*>& points) {
    std::vector<std::int64_t> out;
    for (const auto* p : points)
        out.push_back(p->step);
    return out;
}

} // namespace

class TstTrainHistory : public QObject {
    Q_OBJECT
private slots:
    void percentilesOfHandMadeHistograms() {
        // Four bins of width 1 with one element each: the cumulative count is linear.
        const auto even = handMade(0, 4, {1, 1, 1, 1});
        QCOMPARE(histogram_percentiles(even, {0, 10, 25, 50, 100}),
                 (std::vector<double>{0, 0.4, 1, 2, 4}));
        // Empty middle bins: the cumulative count is flat there; 60% lies 20% into the last bin.
        const auto gap = handMade(0, 4, {2, 0, 0, 2});
        const auto g = histogram_percentiles(gap, {25, 50, 60});
        QCOMPARE(g[0], 0.5);
        QCOMPARE(g[1], 1.0);
        QVERIFY(std::abs(g[2] - 3.2) < 1e-12);
        // NaN and infinities are not in the histogram and change nothing.
        auto withNonFinite = even;
        withNonFinite.stats.nan = 7;
        withNonFinite.stats.pos_inf = 2;
        withNonFinite.stats.numel += 9;
        QCOMPARE(histogram_percentiles(withNonFinite, {10, 50}), (std::vector<double>{0.4, 2}));
        // One value (histc widened its range): every percentile is that value.
        auto constant = handMade(-1, 1, {0, 5, 0});
        constant.stats.min = constant.stats.max = 0.25;
        QCOMPARE(histogram_percentiles(constant, {0, 50, 100}),
                 (std::vector<double>{0.25, 0.25, 0.25}));
        // Nothing finite: NaN.
        StreamStats none;
        none.stats.numel = none.stats.nan = 3;
        none.histogram = {0, 0, std::vector<std::int64_t>(64, 0)};
        QVERIFY(std::isnan(histogram_percentiles(none, {50})[0]));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, histogram_percentiles(even, {101}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, histogram_percentiles(even, {nan_}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, histogram_percentiles(even, {-1}));
    }

    void percentilesAgainstNumpy() {
        const test::GoldenFile golden("train_history/percentiles.safetensors");
        const auto cases = nlohmann::json::parse(golden.metadata("cases"));
        QVERIFY(cases.size() >= 6);
        const std::vector<double> qs(std::begin(band_percentiles), std::end(band_percentiles));
        for (const auto& c : cases) {
            const auto name = c.get<std::string>();
            const auto stream = summarized(golden.tensor(name + "/data"));
            const auto expected = golden.tensor(name + "/percentiles").to_vector();
            const auto actual = histogram_percentiles(stream, qs);
            QCOMPARE(actual.size(), expected.size());
            // Exact at the ends; within one bin (the histogram's resolution) in between.
            const double bin = (stream.histogram.hi - stream.histogram.lo) / 64;
            QCOMPARE(actual.front(), expected.front());
            QCOMPARE(actual.back(), expected.back());
            for (std::size_t i = 0; i < qs.size(); ++i)
                QVERIFY2(std::abs(actual[i] - expected[i]) <= bin,
                         qPrintable(QStringLiteral("%1: percentile %2 is %3, numpy %4 (bin %5)")
                                        .arg(QString::fromStdString(name))
                                        .arg(qs[i])
                                        .arg(actual[i])
                                        .arg(expected[i])
                                        .arg(bin)));
            if (name == "linspace") // evenly spread: the interpolation is all but exact
                for (std::size_t i = 0; i < qs.size(); ++i)
                    QVERIFY(std::abs(actual[i] - expected[i]) <= bin / 16);
        }
    }

    void thinsAMillionStepsKeepingWhatMatters() {
        // Every step observed, as with observe_every_step; step 123456 has a NaN in a gradient
        // and a later one an infinite loss (not the first: thinned like any other).
        const std::int64_t total = 1'000'000, bad = 123'456, later = 700'001;
        TrainingHistory history;
        const auto& options = history.options();
        StepRecord r = record(0);
        for (std::int64_t step = 0; step < total; ++step) {
            r.step = step;
            r.loss = 2.0 - 1e-6 * double(step);
            for (auto& m : r.modules) {
                m.activation->stats.mean = m.gradient->stats.mean = double(step);
                m.gradient->stats.nan = step == bad ? 3 : 0;
            }
            r.params[0].grad_norm = 1.0 + double(step);
            if (step == later) r.loss = std::numeric_limits<double>::infinity();
            history.append(r);
        }
        QCOMPARE(history.steps(), total);
        QCOMPARE(history.first_nonfinite_step(), std::optional<std::int64_t>(bad));
        QCOMPARE(history.last_observed_step(), std::optional<std::int64_t>(total - 1));
        QCOMPARE(history.modules(), (std::vector<std::string>{"0", "1"}));
        QCOMPARE(history.params(), (std::vector<std::string>{"0.weight"}));
        QCOMPARE(history.module_type("1"), std::string("Linear"));

        // Every series bounded, in step order, step 0 and the first non-finite step kept whole,
        // the newest `recent` steps all there, older ones evenly thinned by the stride.
        const auto stride = history.stride();
        QVERIFY(stride >= 256 && (stride & (stride - 1)) == 0);
        for (const auto& module : history.modules())
            for (const auto stream : {Stream::Activation, Stream::Gradient}) {
                const auto points = history.series(module, stream);
                QVERIFY(points.size() <= options.budget_points);
                QVERIFY(points.size() >= options.budget_points / 4);
                QCOMPARE(points.front()->step, 0);
                QCOMPARE(points.front()->stats.stats.mean, 0.0);
                const auto s = steps(points);
                QVERIFY(std::is_sorted(s.begin(), s.end()));
                QVERIFY(std::find(s.begin(), s.end(), bad) != s.end());
                for (std::size_t i = 0; i < options.recent; ++i)
                    QCOMPARE(s[s.size() - 1 - i], total - 1 - std::int64_t(i));
                for (const auto step : s)
                    QVERIFY(step >= total - std::int64_t(options.recent) || step % stride == 0 ||
                            step == bad);
                for (const auto* p : points) {
                    QCOMPARE(p->stats.stats.mean, double(p->step)); // the step's own values
                    QCOMPARE(p->bands.size(), std::size_t(9));
                }
            }
        const auto bad_point = history.at("0", Stream::Gradient, bad);
        QVERIFY(bad_point && bad_point->step == bad);
        QCOMPARE(bad_point->stats.stats.nan, 3);
        const auto params = history.param_series("0.weight");
        QVERIFY(params.size() <= options.budget_points);
        QCOMPARE(params.front()->step, 0);
        for (const auto* p : params)
            QCOMPARE(p->grad_norm, 1.0 + double(p->step));

        // Losses: every step counted once, bounded, the pinned steps points of their own, the
        // newest `recent` steps one point each, a bucket's mean/min/max those of its steps.
        const auto& losses = history.losses();
        QVERIFY(losses.size() <= options.budget_points);
        std::int64_t counted = 0, expected_step = 0;
        bool saw_bad = false;
        for (const auto& p : losses) {
            QCOMPARE(p.step, expected_step);
            QCOMPARE(p.last_step - p.step + 1, p.count);
            expected_step = p.last_step + 1;
            counted += p.count;
            if (p.step == bad) {
                QCOMPARE(p.count, 1);
                saw_bad = true;
            }
            if (p.step <= later && later <= p.last_step) {
                QVERIFY(std::isinf(p.loss) && std::isinf(p.loss_max));
                continue;
            }
            QCOMPARE(p.loss_max, 2.0 - 1e-6 * double(p.step));
            QCOMPARE(p.loss_min, 2.0 - 1e-6 * double(p.last_step));
            const double mean = 2.0 - 1e-6 * (double(p.step) + double(p.last_step)) / 2;
            QVERIFY(std::abs(p.loss - mean) < 1e-9);
        }
        QCOMPARE(counted, total);
        QVERIFY(saw_bad);
        QCOMPARE(losses.front().count, 1);
        QVERIFY(history.loss_width() > 1);
        for (std::size_t i = 0; i < options.recent; ++i)
            QCOMPARE(losses[losses.size() - 1 - i].count, 1);

        // Bounded memory: at most budget_points per series of ~0.8 kB each, plus the losses.
        const auto bytes = history.memory_bytes();
        qInfo("1,000,000 steps: %zu bytes, stride %lld, loss width %lld", bytes,
              static_cast<long long>(stride), static_cast<long long>(history.loss_width()));
        QVERIFY(bytes < 4 * options.budget_points * 1000 + options.budget_points * 200 + 100000);
    }

    void rangesAndNearestPoints() {
        // Every 7th step observed, as the window's ~30 a second would; small budgets so the
        // thinning runs.
        TrainingHistory history({10, 40, std::size_t(1) << 30});
        for (std::int64_t step = 0; step < 1000; ++step)
            history.append(record(step, step % 7 == 0));
        QCOMPARE(history.steps(), 1000);
        QCOMPARE(history.last_observed_step(), std::optional<std::int64_t>(994));
        const auto all = steps(history.series("0", Stream::Activation));
        QVERIFY(all.size() <= 40);
        for (const auto step : all)
            QCOMPARE(step % 7, 0);
        // [first, last] inclusive, in step order, exactly the kept points in it.
        const auto tail = steps(history.series("0", Stream::Gradient, 900, 994));
        std::vector<std::int64_t> expected;
        std::copy_if(all.begin(), all.end(), std::back_inserter(expected),
                     [](std::int64_t s) { return s >= 900 && s <= 994; });
        QCOMPARE(tail, expected);
        QCOMPARE(steps(history.series("0", Stream::Gradient, 995)), std::vector<std::int64_t>{});
        QCOMPARE(steps(history.series("0", Stream::Activation, 0, 0)),
                 std::vector<std::int64_t>{0});
        // The newest 10 observed steps are all there.
        QCOMPARE(steps(history.series("1", Stream::Activation, 994 - 9 * 7)).size(),
                 std::size_t(10));
        // The nearest kept point, the earlier on a tie; exact hits.
        QCOMPARE(history.at("0", Stream::Activation, 994)->step, 994);
        QCOMPARE(history.at("0", Stream::Activation, 990)->step, 987);
        QCOMPARE(history.at("0", Stream::Activation, 991)->step, 994);
        QCOMPARE(history.at("0", Stream::Activation, 5000)->step, 994);
        QCOMPARE(history.at("0", Stream::Activation, -3)->step, 0);
        const auto mid = all[all.size() / 3], next = all[all.size() / 3 + 1];
        QCOMPARE(
            history.at("1", Stream::Gradient, (mid + next) / 2 + ((mid + next) % 2 ? 1 : 0))->step,
            (mid + next) % 2 ? next : mid);
        // Unknown names: nothing, no throw.
        QVERIFY(history.series("nope", Stream::Activation).empty());
        QVERIFY(history.at("nope", Stream::Gradient, 3) == nullptr);
        QVERIFY(history.param_series("nope").empty());
        QCOMPARE(history.module_type("nope"), std::string());
        const auto params = history.param_series("0.weight", 100, 200);
        for (const auto* p : params)
            QVERIFY(p->step >= 100 && p->step <= 200 && p->step % 7 == 0);
        QCOMPARE(params.front()->update_ratio(), 0.25);
        QVERIFY(std::isnan(ParamPoint{0, 1, 0, 1}.update_ratio()));
    }

    void evaluationsAndNonFiniteLosses() {
        TrainingHistory history({4, 16, std::size_t(1) << 30});
        EvalRecord e{0, 0, 2.3, 0.1, 100, 2, {40, 10, 30, 20}};
        history.append(e);
        for (std::int64_t step = 0; step < 200; ++step) {
            auto r = record(step, false); // losses only
            if (step == 77) r.loss = std::numeric_limits<double>::quiet_NaN();
            history.append(r);
            if (step == 99) history.append(EvalRecord{100, 1, 0.6, 0.8, 100, 2, {45, 5, 15, 35}});
        }
        QCOMPARE(history.evaluations().size(), std::size_t(2));
        QCOMPARE(history.evaluations()[1].step, 100);
        QCOMPARE(history.evaluations()[1].confusion, (std::vector<std::int64_t>{45, 5, 15, 35}));
        QCOMPARE(history.first_nonfinite_step(), std::optional<std::int64_t>(77));
        QVERIFY(!history.last_observed_step());
        QVERIFY(history.modules().empty());
        const auto& losses = history.losses();
        QVERIFY(losses.size() <= 16);
        const auto it = std::find_if(losses.begin(), losses.end(),
                                     [](const LossPoint& p) { return p.step == 77; });
        QVERIFY(it != losses.end() && it->count == 1 && std::isnan(it->loss));
        QCOMPARE(losses.front().step, 0);
        QCOMPARE(losses.front().count, 1);
        std::int64_t counted = 0;
        for (const auto& p : losses)
            counted += p.count;
        QCOMPARE(counted, 200);
    }

    void staysUnderTheByteBudget() {
        // 300 modules with both streams, ~0.5 MB an observed step: the recent window alone would
        // outgrow 32 MB, so it shrinks; step 0 stays.
        const std::size_t budget = std::size_t(32) << 20;
        TrainingHistory history({1000, 4000, budget});
        StepRecord r = record(0);
        const auto stream = *r.modules[0].activation;
        r.modules.clear();
        for (int m = 0; m < 300; ++m)
            r.modules.push_back({"layer" + std::to_string(m), "ReLU", stream, stream});
        for (std::int64_t step = 0; step < 3000; ++step) {
            r.step = step;
            history.append(r);
            QVERIFY(history.memory_bytes() <= budget);
        }
        QVERIFY(history.recent() < 1000 && history.recent() >= 16);
        QCOMPARE(history.series("layer299", Stream::Gradient).front()->step, 0);
        QCOMPARE(history.series("layer0", Stream::Activation).back()->step, 2999);
        qInfo("300 modules under %zu bytes: %zu bytes, recent %zu, stride %lld", budget,
              history.memory_bytes(), history.recent(), static_cast<long long>(history.stride()));
    }

    void valueSemanticsAndErrors() {
        TrainingHistory a({4, 16, std::size_t(1) << 30});
        for (std::int64_t step = 0; step < 5; ++step)
            a.append(record(step));
        TrainingHistory b = a;
        a.append(record(5));
        QCOMPARE(a.steps(), 6);
        QCOMPARE(b.steps(), 5); // a deep copy
        QCOMPARE(b.series("0", Stream::Activation).back()->step, 4);
        b.append(record(9)); // the copy's own series
        QCOMPARE(steps(b.series("1", Stream::Gradient)),
                 (std::vector<std::int64_t>{0, 1, 2, 3, 4, 9}));
        QCOMPARE(a.series("1", Stream::Gradient).back()->step, 5);
        TrainingHistory c = std::move(a);
        QCOMPARE(c.steps(), 6);
        QCOMPARE(a.steps(), 0); // moved-from: empty, usable
        QCOMPARE(a.options().recent, std::size_t(4));
        a.append(record(0));
        QCOMPARE(a.losses().size(), std::size_t(1));

        // Steps out of order: an error naming both.
        try {
            c.append(record(3));
            QFAIL("no error");
        } catch (const std::invalid_argument& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(
                QStringLiteral("step 3 appended after step 5")));
        }
        c.clear();
        QCOMPARE(c.steps(), 0);
        QVERIFY(c.modules().empty() && c.losses().empty() && !c.first_nonfinite_step());
        c.append(record(0)); // a new run
        QCOMPARE(c.steps(), 1);

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrainingHistory({0, 100, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrainingHistory({10, 27, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrainingHistory({10, 28, 0}));
        TrainingHistory({10, 28, 1}); // the smallest budgets are fine
    }
};

QTEST_GUILESS_MAIN(TstTrainHistory)
#include "tst_train_history.moc"
