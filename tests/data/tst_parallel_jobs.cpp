// Two jobs at once, each on its own thread under its own DefaultGeneratorScope, give bit for bit
// what they give one after the other: job A builds an MLP with PyTorch's default init, runs a
// Dropout forward and draws three epochs of a shuffled DataLoader with random crops and rotations
// (num_workers 0 and 2); job B seeds differently and draws through a WeightedRandomSampler,
// random_split and a random flip. Nothing either job draws reaches the other's generator.

#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "data/random_split.h"
#include "data/tensor_dataset.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms/transformed_dataset.h"
#include "data/weighted_random_sampler.h"
#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/container.h"
#include "engine/nn/dropout.h"
#include "engine/nn/linear.h"
#include "engine/random.h"

#include <QtTest>
#include <thread>

using namespace nnscope;
using namespace nnscope::data;

namespace {

using Fingerprint = std::vector<double>; // every number a job produced, in order

void append(Fingerprint& out, const Tensor& t) {
    if (t.dtype() == DType::Int64) {
        for (std::int64_t v : t.to_int64_vector())
            out.push_back(static_cast<double>(v));
    } else {
        const auto v = t.to_vector();
        out.insert(out.end(), v.begin(), v.end());
    }
}

// Twelve 1x10x10 images with distinct pixels and labels 0..11.
DatasetPtr images() {
    std::vector<double> pixels(12 * 100);
    for (std::size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = static_cast<double>(i % 251) / 251.0;
    return std::make_shared<TensorDataset>(
        std::vector<Tensor>{Tensor::from_vector(pixels, {12, 1, 10, 10}), Tensor::arange(12)});
}

void drawEpochs(Fingerprint& out, DataLoader& loader, int epochs) {
    for (int e = 0; e < epochs; ++e) {
        auto it = loader.iter();
        while (auto batch = it->next()) {
            append(out, batch->data[0].tensor());
            append(out, batch->data[1].tensor());
        }
    }
}

// Draws only from "the default": whatever default_generator() is on the calling thread.
Fingerprint jobA(int num_workers) {
    Fingerprint out;
    auto mlp = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
        std::make_shared<nn::Linear>(6, 8), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::Dropout>(0.5), std::make_shared<nn::Linear>(8, 3)});
    for (const Tensor& p : mlp->parameters())
        append(out, p);
    append(out, (*mlp)(Tensor::ones({4, 6})).detach());

    auto dataset = std::make_shared<TransformedDataset>(
        images(), parse_transform("Compose([RandomCrop(8, padding=2), RandomRotation(30)])"));
    DataLoaderOptions o;
    o.batch_size = 4;
    o.shuffle = true;
    o.num_workers = num_workers;
    DataLoader loader(dataset, o);
    drawEpochs(out, loader, 3);
    return out;
}

Fingerprint jobB() {
    Fingerprint out;
    const auto parts = random_split(images(), {5, 7});
    for (const auto& part : parts)
        for (std::int64_t i = 0; i < part->size(); ++i)
            append(out, part->get(i)[1].tensor());
    auto dataset =
        std::make_shared<TransformedDataset>(images(), parse_transform("RandomHorizontalFlip()"));
    DataLoaderOptions o;
    o.batch_size = 5;
    o.sampler = std::make_shared<WeightedRandomSampler>(
        std::vector<double>{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, 20);
    DataLoader loader(dataset, o);
    drawEpochs(out, loader, 2);
    append(out, randn({9}, default_generator()));
    return out;
}

// Sample i is one number drawn from the default generator of the thread that fetches it.
class DrawingDataset : public Dataset {
public:
    std::int64_t size() const override { return 8; }
    Sample get(std::int64_t) const override {
        return Sample(randint(0, 1 << 30, {1}, default_generator()).to_int64_vector()[0]);
    }
    std::string name() const override { return "DrawingDataset"; }
};

// The job with its own generator seeded `seed` as this thread's default.
Fingerprint scoped(std::uint64_t seed, const std::function<Fingerprint()>& job) {
    Generator generator(seed);
    const DefaultGeneratorScope scope(generator);
    return job();
}

} // namespace

class TestParallelJobs : public QObject {
    Q_OBJECT

private slots:
    void scopedJobEqualsSeededDefault() {
        // A scope stands in for the process-wide default everywhere the job draws from it.
        const Fingerprint viaScope = scoped(11, [] { return jobA(2); });
        manual_seed(11);
        QVERIFY(jobA(2) == viaScope);
        QVERIFY(scoped(12, [] { return jobA(2); }) != viaScope); // the seed matters
        manual_seed(5);
        const Fingerprint b = jobB();
        QVERIFY(scoped(5, jobB) == b);
    }

    // In a worker, "the default" is the worker's generator, so worker_init_fn seeding it with
    // manual_seed decides what that worker's samples draw, as in a PyTorch worker process.
    void workersDrawFromTheirOwnDefault() {
        DataLoaderOptions o;
        o.num_workers = 2;
        o.worker_init_fn = [](int id) { manual_seed(100 + static_cast<std::uint64_t>(id)); };
        DataLoader loader(std::make_shared<DrawingDataset>(), o);
        std::vector<std::int64_t> got;
        auto it = loader.iter();
        while (auto batch = it->next())
            got.push_back(batch->data.tensor().to_int64_vector().at(0));
        Generator first(100), second(101); // batches go to the workers in turn
        std::vector<std::int64_t> want;
        for (int k = 0; k < 4; ++k) {
            want.push_back(randint(0, 1 << 30, {1}, first).to_int64_vector()[0]);
            want.push_back(randint(0, 1 << 30, {1}, second).to_int64_vector()[0]);
        }
        QCOMPARE(got, want);
    }

    void twoJobsAtOnceEqualOneAfterTheOther_data() {
        QTest::addColumn<int>("num_workers");
        QTest::newRow("job A without workers") << 0;
        QTest::newRow("job A with 2 workers") << 2;
    }
    void twoJobsAtOnceEqualOneAfterTheOther() {
        QFETCH(int, num_workers);
        auto a = [num_workers] { return scoped(1, [num_workers] { return jobA(num_workers); }); };
        auto b = [] { return scoped(2, jobB); };
        const Fingerprint wantA = a();
        const Fingerprint wantB = b();
        QVERIFY(wantA.size() > 700 && wantB.size() > 100);

        manual_seed(3); // the process default is drawn from too, by this thread
        for (int round = 0; round < 20; ++round) {
            Fingerprint gotA, gotB;
            std::thread ta([&] { gotA = a(); });
            std::thread tb([&] { gotB = b(); });
            // Meanwhile the main thread draws from the process default; the jobs never see it.
            for (int i = 0; i < 50; ++i)
                (void)randperm(100, default_generator());
            ta.join();
            tb.join();
            QVERIFY2(gotA == wantA,
                     qPrintable(QStringLiteral("job A differs, round %1").arg(round)));
            QVERIFY2(gotB == wantB,
                     qPrintable(QStringLiteral("job B differs, round %1").arg(round)));
        }
    }
};

QTEST_GUILESS_MAIN(TestParallelJobs)
#include "tst_parallel_jobs.moc"
