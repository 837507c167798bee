// The DataLoader lab's worker streams (workflows/worker_streams.h, numpy_random.h): numpy's
// RandomState against real numpy 1.24 (integer and array seeds, torch's _generate_state), and
// what each worker of a real PyTorch 1.13 DataLoader draws (torch.initial_seed(), numpy's global
// rand(), a parent-made RandomState's rand()) against LoaderAnalysis::workers, with and without
// worker_init_fn and persistent workers (tests/golden/gen_loader_analysis.py).

#include "workflows/loader_analysis.h"
#include "workflows/numpy_random.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::data;
using namespace nnscope::workflows;

namespace {

nlohmann::json goldenJson(const std::string& name) {
    std::ifstream in(std::string(NNSCOPE_GOLDEN_DIR) + "/loader_analysis/" + name);
    return nlohmann::json::parse(in);
}

} // namespace

class TstWorkerStreams : public QObject {
    Q_OBJECT
private slots:
    void numpyMatchesNumpy() {
        const auto g = goldenJson("numpy.json");
        for (const auto& s : g["int_seeds"]) {
            NumpyRandomState r(s["seed"].get<std::uint32_t>());
            for (const auto& x : s["rand"])
                QCOMPARE(r.rand(), x.get<double>());
        }
        for (const auto& s : g["array_seeds"]) {
            NumpyRandomState r(s["key"].get<std::array<std::uint32_t, 4>>());
            for (const auto& x : s["rand"])
                QCOMPARE(r.rand(), x.get<double>());
        }
        for (const auto& s : g["generate_state"])
            QCOMPARE(torch_worker_numpy_seed(std::stoull(s["base_seed"].get<std::string>()),
                                             s["worker"].get<int>()),
                     (s["state"].get<std::array<std::uint32_t, 4>>()));
    }

    // workers.json: real DataLoaders with 2 workers reporting torch.initial_seed(), numpy's
    // global rand() and a parent-made RandomState(0)'s rand() from inside each worker.
    void workerStreamsMatchPyTorch() {
        const auto cases = goldenJson("workers.json");
        QCOMPARE(cases.size(), std::size_t(8));
        for (const auto& g : cases) {
            DataLoaderConfig c;
            c.dataset = "range:" + std::to_string(g["n"].get<std::int64_t>());
            c.batch_size = g["batch_size"].get<std::int64_t>();
            c.epochs = 3;
            c.shuffle = true;
            c.num_workers = 2;
            c.generator_seed = std::stoull(g["seed"].get<std::string>());
            c.persistent_workers = g["persistent_workers"];
            const bool init = g["worker_init_fn"] == "seed-numpy";
            c.worker_init_fn = init ? WorkerInitChoice::SeedNumpy : WorkerInitChoice::None;
            const auto a = analyse_loader(c);
            QCOMPARE(a->workers.size(), std::size_t(6));
            const auto bs = static_cast<std::size_t>(c.batch_size.value());
            for (std::size_t e = 0; e < 3; ++e) {
                const auto& samples = g["epochs"][e];
                std::size_t at[2] = {0, 0};
                for (std::size_t p = 0; p < samples.size(); ++p) {
                    const auto& s = samples[p];
                    QCOMPARE(a->epochs[e].order[p], s[0].get<std::int64_t>());
                    const std::size_t w = (p / bs) % 2;
                    const WorkerStream& stream = a->workers[e * 2 + w];
                    const std::size_t k = at[w]++;
                    QCOMPARE(stream.indices[k], s[0].get<std::int64_t>());
                    QCOMPARE(stream.torch_seed, std::stoull(s[1].get<std::string>()));
                    QCOMPARE(init ? stream.seeded[k] : stream.torch_seeded[k], s[2].get<double>());
                    QCOMPARE(stream.unseeded[k], s[3].get<double>());
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstWorkerStreams)
#include "tst_worker_streams.moc"
