// The parallel runtime itself (engine/parallel.h): how ranges are cut, that reductions combine
// in chunk order whatever the team, that regions do not nest, and the thread settings.

#include "engine/parallel.h"

#include <QtTest>
#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace nnscope;

namespace {

// Restores the process-wide thread setting when a test ends, pass or fail.
struct ThreadsGuard {
    int saved = parallel::configured_threads();
    ~ThreadsGuard() { parallel::set_num_threads(saved); }
};

struct Piece {
    std::int64_t begin, end;
};

} // namespace

class TestParallel : public QObject {
    Q_OBJECT

private slots:
    void parallel_for_covers_range_once_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("grain");
        QTest::addColumn<int>("threads");
        for (int threads : {1, 2, 3, 4})
            for (auto [n, grain] : {std::pair<qint64, qint64>{1, 1},
                                    {7, 1},
                                    {100, 7},
                                    {100, 100},
                                    {101, 50},
                                    {100000, 1000},
                                    {5, 0}}) {
                const std::string name = "n" + std::to_string(n) + "_g" + std::to_string(grain) +
                                         "_t" + std::to_string(threads);
                QTest::newRow(name.c_str()) << n << grain << threads;
            }
    }
    void parallel_for_covers_range_once() {
        QFETCH(qint64, n);
        QFETCH(qint64, grain);
        QFETCH(int, threads);
        ThreadsGuard guard;
        parallel::set_num_threads(threads);
        std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
        std::mutex mutex;
        std::vector<Piece> pieces;
        parallel::parallel_for(n, grain, [&](std::int64_t b, std::int64_t e) {
            {
                std::lock_guard lock(mutex);
                pieces.push_back({b, e});
            }
            for (std::int64_t i = b; i < e; ++i)
                hits[static_cast<std::size_t>(i)].fetch_add(1);
        });
        for (std::int64_t i = 0; i < n; ++i)
            QCOMPARE(hits[static_cast<std::size_t>(i)].load(), 1);
        const std::int64_t g = grain < 1 ? 1 : grain;
        const std::int64_t most =
            parallel::available() ? std::min<std::int64_t>(threads, (n + g - 1) / g) : 1;
        QVERIFY(static_cast<std::int64_t>(pieces.size()) <= most);
        QVERIFY(!pieces.empty());
        if (n <= g) QCOMPARE(pieces.size(), std::size_t{1}); // below the grain: the caller only
    }

    void parallel_for_empty_range() {
        int calls = 0;
        parallel::parallel_for(0, 10, [&](std::int64_t, std::int64_t) { ++calls; });
        parallel::parallel_for(-3, 10, [&](std::int64_t, std::int64_t) { ++calls; });
        QCOMPARE(calls, 0);
    }

    void chunks_do_not_depend_on_threads() {
        ThreadsGuard guard;
        std::vector<Piece> reference;
        for (int threads : {1, 2, 3, 4}) {
            parallel::set_num_threads(threads);
            std::vector<Piece> chunks(5, Piece{-1, -1});
            parallel::for_each_chunk(1001, 250,
                                     [&](std::int64_t i, std::int64_t b, std::int64_t e) {
                                         chunks[static_cast<std::size_t>(i)] = {b, e};
                                     });
            QCOMPARE(chunks[0].begin, 0);
            QCOMPARE(chunks[0].end, 250);
            QCOMPARE(chunks[3].end, 1000);
            QCOMPARE(chunks[4].begin, 1000);
            QCOMPARE(chunks[4].end, 1001);
            if (reference.empty()) reference = chunks;
            for (std::size_t i = 0; i < chunks.size(); ++i) {
                QCOMPARE(chunks[i].begin, reference[i].begin);
                QCOMPARE(chunks[i].end, reference[i].end);
            }
        }
    }

    void reduce_combines_in_chunk_order() {
        ThreadsGuard guard;
        // A string concatenation is not commutative: any other order shows.
        const std::string expected = "[0,3)[3,6)[6,9)[9,10)";
        for (int threads : {1, 2, 3, 4}) {
            parallel::set_num_threads(threads);
            const std::string got = parallel::parallel_reduce(
                10, 3, std::string(),
                [](std::int64_t b, std::int64_t e) {
                    return "[" + std::to_string(b) + "," + std::to_string(e) + ")";
                },
                [](std::string a, const std::string& b) { return a + b; });
            QCOMPARE(got, expected);
        }
        // Float sums: the same bits for any team, and not the serial left-to-right sum.
        std::vector<float> values(10000);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = 1.0f / static_cast<float>(i + 1) * ((i % 3) ? 1.0f : -3.0f);
        float reference = 0;
        for (int threads : {1, 2, 3, 4}) {
            parallel::set_num_threads(threads);
            const float total = parallel::parallel_reduce(
                static_cast<std::int64_t>(values.size()), 1024, 0.0f,
                [&](std::int64_t b, std::int64_t e) {
                    float s = 0;
                    for (std::int64_t i = b; i < e; ++i)
                        s += values[static_cast<std::size_t>(i)];
                    return s;
                },
                [](float a, float b) { return a + b; });
            if (threads == 1) reference = total;
            QCOMPARE(std::memcmp(&total, &reference, sizeof total), 0);
        }
        QCOMPARE(parallel::parallel_reduce(
                     0, 4, 42, [](std::int64_t, std::int64_t) { return 1; },
                     [](int a, int b) { return a + b; }),
                 42);
    }

    void nested_regions_run_serially() {
        ThreadsGuard guard;
        parallel::set_num_threads(4);
        std::atomic<int> inner_calls{0};
        std::atomic<int> inner_threads_seen{0};
        parallel::parallel_for(4, 1, [&](std::int64_t, std::int64_t) {
            if (parallel::num_threads() != 1) inner_threads_seen.fetch_add(1);
            parallel::parallel_for(1000, 1, [&](std::int64_t b, std::int64_t e) {
                QCOMPARE(b, 0); // one piece: the whole range, on this thread
                QCOMPARE(e, 1000);
                inner_calls.fetch_add(1);
            });
        });
        QCOMPARE(inner_threads_seen.load(), 0);
        // One inner call per outer piece (the outer pieces depend on the team).
        QVERIFY(inner_calls.load() >= 1 && inner_calls.load() <= 4);
        QCOMPARE(parallel::num_threads(), 4); // restored after the region
    }

    void thread_cap_lowers_and_restores() {
        ThreadsGuard guard;
        parallel::set_num_threads(4);
        QCOMPARE(parallel::num_threads(), 4);
        {
            parallel::ThreadCap cap(2);
            QCOMPARE(parallel::num_threads(), 2);
            {
                parallel::ThreadCap wider(3); // never raises
                QCOMPARE(parallel::num_threads(), 2);
                parallel::ThreadCap one(1);
                QCOMPARE(parallel::num_threads(), 1);
            }
            QCOMPARE(parallel::num_threads(), 2);
            QCOMPARE(parallel::configured_threads(), 4); // the process setting is untouched
        }
        QCOMPARE(parallel::num_threads(), 4);
        {
            parallel::ThreadCap zero(0); // clamps to 1
            QCOMPARE(parallel::num_threads(), 1);
        }
        QCOMPARE(parallel::num_threads(), 4);
    }

    void set_num_threads_rejects_zero() {
        ThreadsGuard guard;
        parallel::set_num_threads(3);
        for (int bad : {0, -2}) {
            try {
                parallel::set_num_threads(bad);
                QFAIL("set_num_threads accepted a non-positive count");
            } catch (const std::invalid_argument& e) {
                QCOMPARE(std::string(e.what()),
                         "the number of engine threads must be at least 1, got " +
                             std::to_string(bad));
            }
        }
        QCOMPARE(parallel::configured_threads(), 3);
    }

    void exception_reaches_caller() {
        ThreadsGuard guard;
        for (int threads : {1, 2, 4}) {
            parallel::set_num_threads(threads);
            try {
                parallel::parallel_for(1000, 10, [](std::int64_t b, std::int64_t e) {
                    if (b <= 500 && 500 < e) throw std::runtime_error("piece with 500");
                });
                QFAIL("the exception was lost");
            } catch (const std::runtime_error& e) {
                QCOMPARE(std::string(e.what()), std::string("piece with 500"));
            }
            try {
                parallel::for_each_chunk(10, 1, [](std::int64_t i, std::int64_t, std::int64_t) {
                    if (i == 7) throw std::out_of_range("chunk 7");
                });
                QFAIL("the exception was lost");
            } catch (const std::out_of_range& e) {
                QCOMPARE(std::string(e.what()), std::string("chunk 7"));
            }
            // The runtime still works, and serially outside any region, after a throw.
            QCOMPARE(parallel::num_threads(), threads);
            std::atomic<std::int64_t> total{0};
            parallel::parallel_for(100, 10,
                                   [&](std::int64_t b, std::int64_t e) { total.fetch_add(e - b); });
            QCOMPARE(total.load(), 100);
        }
    }
};

QTEST_GUILESS_MAIN(TestParallel)
#include "tst_parallel.moc"
