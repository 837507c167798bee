// The lab's preset comparisons: each A and B validate and differ, and the mistake each one is
// about shows in what analyse_loader draws: A makes it, B does not.

#include "data/config_error.h"
#include "data/loader_config_json.h"
#include "workflows/lab_presets.h"
#include "workflows/loader_analysis.h"

#include <QtTest>
#include <algorithm>
#include <map>

using namespace nnscope;
using workflows::LabPreset;

namespace {

const LabPreset& preset(const char* name) {
    const LabPreset* p = workflows::find_lab_preset(name);
    if (!p) throw std::runtime_error(std::string("no preset ") + name);
    return *p;
}

// How often each index is drawn in the first epoch over every rank of a DistributedSampler.
std::map<std::int64_t, int> over_ranks(data::DataLoaderConfig c) {
    auto d = std::get<data::DistributedSamplerArgs>(c.sampler);
    std::map<std::int64_t, int> drawn;
    for (std::int64_t rank = 0; rank < d.num_replicas; ++rank) {
        d.rank = rank;
        c.sampler = d;
        const auto analysis = workflows::analyse_loader(c);
        for (auto i : analysis->epochs.at(0).order)
            ++drawn[i];
    }
    return drawn;
}

int repeats(const std::map<std::int64_t, int>& drawn) {
    int n = 0;
    for (const auto& [i, count] : drawn)
        n += count - 1;
    return n;
}

} // namespace

class TstLabPresets : public QObject {
    Q_OBJECT
private slots:
    void everyPresetIsComplete() {
        const auto& presets = workflows::lab_presets();
        QCOMPARE(presets.size(), std::size_t(5));
        for (const auto& p : presets) {
            QVERIFY2(!p.title.empty() && !p.tab.empty() && p.explanation.size() > 100,
                     p.name.c_str());
            QVERIFY2(p.mistake != p.fix, p.name.c_str());
            try {
                data::validate(p.mistake);
                data::validate(p.fix);
                // Both analyse, and JSON carries them unchanged (the lab saves them so).
                QVERIFY(workflows::analyse_loader(p.mistake));
                QVERIFY(workflows::analyse_loader(p.fix));
                for (const auto* c : {&p.mistake, &p.fix}) {
                    const auto json = data::loader_config_to_json(*c);
                    QCOMPARE(data::loader_config_from_json(json), *c);
                }
            } catch (const data::ConfigError& e) {
                QFAIL(qPrintable(QString::fromStdString(p.name + ": " + e.what())));
            }
            QCOMPARE(workflows::find_lab_preset(p.name), &p);
        }
        QVERIFY(!workflows::find_lab_preset("no-such-preset"));
        // The explanations name the PyTorch issues of the issue text.
        QVERIFY(preset("distributed-padding").explanation.find("pytorch#25162") !=
                std::string::npos);
        QVERIFY(preset("numpy-per-worker").explanation.find("pytorch#5059") != std::string::npos);
    }

    // 10,000 samples on 3 ranks: A repeats 2 of them over the ranks; B repeats none.
    void distributedPaddingRepeatsSamples() {
        const auto& p = preset("distributed-padding");
        const auto a = over_ranks(p.mistake), b = over_ranks(p.fix);
        QCOMPARE(repeats(a), 2);
        QCOMPARE(int(a.size()), 10000);
        QCOMPARE(repeats(b), 0);
        QCOMPARE(int(b.size()), 9999); // drop_last: one sample no rank sees
    }

    // A shuffles every epoch alike; B differently each epoch.
    void forgottenSetEpochRepeatsTheOrder() {
        const auto& p = preset("forgotten-set-epoch");
        const auto a = workflows::analyse_loader(p.mistake);
        const auto b = workflows::analyse_loader(p.fix);
        QCOMPARE(a->epochs.size(), std::size_t(3));
        QCOMPARE(a->epochs[1].order, a->epochs[0].order);
        QCOMPARE(a->epochs[2].order, a->epochs[0].order);
        QCOMPARE(b->epochs[0].order, a->epochs[0].order); // the first epoch is the same
        QVERIFY(b->epochs[1].order != b->epochs[0].order);
        QVERIFY(b->epochs[2].order != b->epochs[1].order);
    }

    // A: the workers' unseeded streams repeat each other; B's seeded ones do not.
    void unseededNumpyRepeatsAcrossWorkers() {
        const auto& p = preset("numpy-per-worker");
        QCOMPARE(p.mistake.worker_init_fn, data::WorkerInitChoice::None);
        QCOMPARE(p.fix.worker_init_fn, data::WorkerInitChoice::SeedNumpy);
        const auto a = workflows::analyse_loader(p.mistake);
        QCOMPARE(a->epochs.at(0).worker.at(1), 1); // the batches are spread over 4 workers
        QVERIFY(a->workers.size() >= 2);
        const auto& w0 = a->workers[0];
        const auto& w1 = a->workers[1];
        QCOMPARE(w0.unseeded, w1.unseeded);
        QVERIFY(w0.seeded != w1.seeded);
    }

    // A draws the 66 samples of the rarest class several times each; B none twice.
    void weightedReplacementRepeatsRareSamples() {
        const auto& p = preset("weighted-repeats");
        const auto a = workflows::analyse_loader(p.mistake);
        const auto b = workflows::analyse_loader(p.fix);
        QCOMPARE(a->class_counts.size(), std::size_t(4));
        QCOMPARE(a->class_counts[3], std::int64_t(66));
        QVERIFY2(a->drawn_per_class[3] > 3 * 66,
                 qPrintable(QString::number(a->drawn_per_class[3])));
        QVERIFY(a->duplicates > 300);
        QCOMPARE(b->duplicates, std::int64_t(0));
        QCOMPARE(*std::max_element(b->draw_counts.begin(), b->draw_counts.end()), std::int64_t(1));
    }

    // A never draws the last 40 samples; B draws every sample.
    void dropLastLosesTheTail() {
        const auto& p = preset("drop-last");
        const auto a = workflows::analyse_loader(p.mistake);
        const auto b = workflows::analyse_loader(p.fix);
        QCOMPARE(a->never_drawn, std::int64_t(40));
        QCOMPARE(a->draw_counts[999], std::int64_t(0));
        QCOMPARE(a->epochs[0].batch_sizes.size(), std::size_t(15));
        QCOMPARE(b->never_drawn, std::int64_t(0));
        QCOMPARE(b->epochs[0].batch_sizes.back(), std::int64_t(40));
    }
};

QTEST_GUILESS_MAIN(TstLabPresets)
#include "tst_lab_presets.moc"
