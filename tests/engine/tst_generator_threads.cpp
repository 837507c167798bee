// The generator shared between threads: the default generator hammered by several threads
// gives, as a whole, exactly the draws one thread would have made (each draw operation holds
// the generator's lock, so no thread ever sees torn state), and DefaultGeneratorScope replaces
// the default on its own thread only, nested scopes restoring the one before.

#include "engine/generator.h"
#include "engine/random.h"
#include "engine/tensor.h"

#include <QtTest>
#include <algorithm>
#include <atomic>
#include <functional>
#include <latch>
#include <map>
#include <thread>
#include <vector>

using namespace nnscope;

namespace {

using Draw = std::function<Tensor(Generator&)>;

// One draw operation as a list of numbers, so that draws compare as values.
std::vector<double> values(const Tensor& t) {
    if (t.dtype() != DType::Int64) return t.to_vector();
    const auto v = t.to_int64_vector();
    return {v.begin(), v.end()};
}

// The default generator a new thread sees.
Generator* generatorSeenBy() {
    Generator* seen = nullptr;
    std::thread t([&] { seen = &default_generator(); });
    t.join();
    return seen;
}

} // namespace

Q_DECLARE_METATYPE(Draw)

class TestGeneratorThreads : public QObject {
    Q_OBJECT

private slots:
    void hammeredDefaultKeepsTheStream_data() {
        QTest::addColumn<Draw>("draw");
        QTest::newRow("randint") << Draw(
            [](Generator& g) { return randint(0, std::int64_t{1} << 31, {37}, g); });
        QTest::newRow("randperm") << Draw([](Generator& g) { return randperm(29, g); });
        QTest::newRow("rand float64")
            << Draw([](Generator& g) { return rand({23}, g, DType::Float64); });
        // Fewer than 16 elements: the scalar path, whose cached Box-Muller value is state too.
        QTest::newRow("randn scalar path") << Draw([](Generator& g) { return randn({5}, g); });
        QTest::newRow("randn vector path") << Draw([](Generator& g) { return randn({40}, g); });
        QTest::newRow("multinomial") << Draw([](Generator& g) {
            return multinomial(Tensor::from_vector({1, 2, 3, 4, 5, 6}, {6}), 4, false, g);
        });
    }

    // Every thread makes the same kind of draw, so any serialisation of the operations gives
    // the sequential stream's draws in some order: the union must be exactly those draws.
    void hammeredDefaultKeepsTheStream() {
        QFETCH(Draw, draw);
        constexpr int threads = 4;
        constexpr int per_thread = 1000;
        Generator reference(1234);
        std::vector<std::vector<double>> expected;
        for (int i = 0; i < threads * per_thread; ++i)
            expected.push_back(values(draw(reference)));

        manual_seed(1234);
        std::vector<std::vector<std::vector<double>>> got(threads);
        std::latch start(threads); // all begin together, so that their draws interleave
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k)
            pool.emplace_back([&, k] {
                start.arrive_and_wait();
                for (int i = 0; i < per_thread; ++i)
                    got[static_cast<std::size_t>(k)].push_back(values(draw(default_generator())));
            });
        for (auto& t : pool)
            t.join();

        std::vector<std::vector<double>> all;
        for (const auto& part : got)
            all.insert(all.end(), part.begin(), part.end());
        std::sort(all.begin(), all.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(all.size(), expected.size());
        QVERIFY(all == expected);
        // The next draw continues the stream where the sequential one left it.
        QCOMPARE(values(draw(default_generator())), values(draw(reference)));
    }

    void seedingWhileOthersDrawIsWhole() {
        // manual_seed takes the lock too: every draw is a run of consecutive values from the
        // stream of seed 0 or of seed 1, never a mix of two states.
        constexpr int draws = 2000;
        constexpr int width = 8;
        const std::int64_t range = std::int64_t{1} << 31;
        std::vector<std::map<double, std::vector<std::size_t>>> where(2);
        std::vector<std::vector<double>> streams;
        for (std::uint64_t seed : {0, 1}) {
            Generator g(seed);
            streams.push_back(values(randint(0, range, {draws * width}, g)));
            for (std::size_t i = 0; i < streams.back().size(); ++i)
                where[seed][streams.back()[i]].push_back(i);
        }
        auto inStream = [&](const std::vector<double>& v) {
            for (std::size_t s = 0; s < 2; ++s) {
                const auto found = where[s].find(v[0]);
                if (found == where[s].end()) continue;
                for (std::size_t start : found->second)
                    if (start + v.size() <= streams[s].size() &&
                        std::equal(v.begin(), v.end(), streams[s].begin() + start))
                        return true;
            }
            return false;
        };
        manual_seed(0);
        std::atomic<bool> stop = false;
        std::thread seeder([&] {
            for (std::uint64_t i = 0; !stop; ++i)
                manual_seed(i % 2);
        });
        int torn = 0;
        for (int i = 0; i < draws; ++i)
            torn += !inStream(values(randint(0, range, {width}, default_generator())));
        stop = true;
        seeder.join();
        QCOMPARE(torn, 0);
    }

    void scopeReplacesTheDefaultOnThisThreadOnly() {
        Generator& process = default_generator();
        QCOMPARE(generatorSeenBy(), &process);
        Generator mine(5);
        {
            const DefaultGeneratorScope scope(mine);
            QCOMPARE(&default_generator(), &mine);
            QCOMPARE(generatorSeenBy(), &process); // other threads keep the process default
            manual_seed(77);                       // seeds the scoped generator only
            QCOMPARE(mine.initial_seed(), std::uint64_t{77});
            Generator inner(8);
            {
                const DefaultGeneratorScope nested(inner);
                QCOMPARE(&default_generator(), &inner);
            }
            QCOMPARE(&default_generator(), &mine);
        }
        QCOMPARE(&default_generator(), &process);
        QVERIFY(process.initial_seed() != 77);
    }

    void scopedDrawsEqualSeededDefaultDraws() {
        Generator mine(21);
        std::vector<double> scoped;
        {
            const DefaultGeneratorScope scope(mine);
            scoped = values(randn({7}, default_generator()));
        }
        manual_seed(21);
        QCOMPARE(values(randn({7}, default_generator())), scoped);
    }
};

QTEST_GUILESS_MAIN(TestGeneratorThreads)
#include "tst_generator_threads.moc"
