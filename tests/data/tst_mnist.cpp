// MNIST / Fashion-MNIST IDX readers: files written here (valid, gzipped, corrupt) and the real
// data sets when installed (figures from Python reading the same files with gzip + numpy).

#include "data/idx_file.h"
#include "data/mnist.h"
#include "data_golden.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::errorOf;

namespace {

void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// An IDX file: magic 0x0000080N, sizes, then `payload` bytes (pixel k = k % 251).
void writeIdx(const std::string& path, std::uint32_t magic, const std::vector<std::uint32_t>& dims,
              std::size_t payload, const std::vector<std::uint8_t>& values = {}) {
    std::string out;
    put32(out, magic);
    for (auto d : dims)
        put32(out, d);
    for (std::size_t k = 0; k < payload; ++k)
        out.push_back(static_cast<char>(values.empty() ? k % 251 : values[k % values.size()]));
    std::ofstream(path, std::ios::binary) << out;
}

void checkReal(const std::shared_ptr<MnistDataset>& d, std::int64_t count,
               const std::vector<std::int64_t>& first_labels, std::int64_t first_sum,
               std::int64_t last_sum) {
    QCOMPARE(d->size(), count);
    for (std::size_t i = 0; i < first_labels.size(); ++i)
        QCOMPARE(d->label(static_cast<std::int64_t>(i)).value(), first_labels[i]);
    auto sum = [&](std::int64_t i) {
        std::int64_t s = 0;
        for (double v : d->image_uint8(i).to_vector())
            s += static_cast<std::int64_t>(v);
        return s;
    };
    QCOMPARE(sum(0), first_sum);
    QCOMPARE(sum(count - 1), last_sum);
}

} // namespace

class TestMnist : public QObject {
    Q_OBJECT

private slots:
    void validFiles() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeIdx(root + "/train-images-idx3-ubyte", 0x803, {3, 28, 28}, 3 * 784);
        writeIdx(root + "/train-labels-idx1-ubyte", 0x801, {3}, 3, {4, 0, 9});
        const auto d = MnistDataset::mnist(root, Split::Train);
        QCOMPARE(d->size(), 3);
        QCOMPARE(d->classes().at(4), std::string("4 - four"));
        const Sample s = d->get(1);
        QCOMPARE(s[1].integer(), 0);
        const Tensor image = s[0].tensor();
        QCOMPARE(image.shape(), (Shape{1, 28, 28}));
        QCOMPARE(image.dtype(), DType::Float32);
        // Pixel k of the file is k % 251; image 1 starts at k = 784. ToTensor divides by 255.
        const auto px = image.to_vector();
        QCOMPARE(px[0], static_cast<double>(static_cast<float>(784 % 251) / 255.0f));
        QCOMPARE(d->image_uint8(2).dtype(), DType::UInt8);
        QCOMPARE(d->image_uint8(2).to_vector()[5], static_cast<double>((2 * 784 + 5) % 251));

        // The same files gzipped, in torchvision's MNIST/raw layout, read the same.
        if (std::system("command -v gzip >/dev/null") != 0) QSKIP("gzip is not installed");
        std::filesystem::create_directories(root + "/tv/MNIST/raw");
        for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"}) {
            const std::string cmd =
                "gzip -c " + root + "/" + f + " > " + root + "/tv/MNIST/raw/" + f + ".gz";
            QCOMPARE(std::system(cmd.c_str()), 0);
        }
        const auto gz = MnistDataset::mnist(root + "/tv", Split::Train);
        QCOMPARE(gz->size(), 3);
        QCOMPARE(gz->image_uint8(2).to_vector(), d->image_uint8(2).to_vector());
        QCOMPARE(gz->label(2).value(), 9);
    }

    void corruptFiles() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        const std::string images = root + "/train-images-idx3-ubyte";
        const std::string labels = root + "/train-labels-idx1-ubyte";
        auto error = [&] { return errorOf([&] { MnistDataset::mnist(root, Split::Train); }); };

        QVERIFY(error().contains("cannot find train-images-idx3-ubyte"));

        writeIdx(images, 0x801, {3, 28, 28}, 3 * 784); // a labels magic on the images file
        writeIdx(labels, 0x801, {3}, 3);
        QVERIFY2(error().contains("bad magic number 0x00000801, expected 0x00000803"),
                 qPrintable(error()));

        writeIdx(images, 0x803, {3, 28, 28}, 3 * 784 - 10);
        QVERIFY2(error().contains("truncated: the header promises 2352 bytes of data, the file "
                                  "has 2342"),
                 qPrintable(error()));

        writeIdx(images, 0x803, {3, 28, 28}, 3 * 784 + 1);
        QVERIFY2(error().contains("more data than the header"), qPrintable(error()));

        writeIdx(images, 0x803, {3, 28, 28}, 3 * 784);
        writeIdx(labels, 0x801, {2}, 2);
        QVERIFY2(error().contains("holds 3 images but") && error().contains("holds 2 labels"),
                 qPrintable(error()));

        writeIdx(labels, 0x801, {3}, 3, {1, 12, 3});
        QVERIFY2(error().contains("label 12 of sample 1 is not a class"), qPrintable(error()));

        writeIdx(images, 0x803, {3, 20, 28}, 3 * 20 * 28);
        writeIdx(labels, 0x801, {3}, 3);
        QVERIFY2(error().contains("images are 20x28, expected 28x28"), qPrintable(error()));

        std::ofstream(images, std::ios::binary) << "ab";
        QVERIFY2(error().contains("truncated: no IDX header"), qPrintable(error()));
    }

    void realFashionMnist() {
        const std::string dir = MnistDataset::fashion_mnist_default_dir;
        if (!std::filesystem::exists(dir + "/train-labels-idx1-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        const auto train = MnistDataset::fashion_mnist(dir, Split::Train);
        checkReal(train, 60000, {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, 76247, 16684);
        QCOMPARE(train->classes().at(9), std::string("Ankle boot"));
        const auto test = MnistDataset::fashion_mnist(dir, Split::Test);
        checkReal(test, 10000, {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, 33456, 24390);
        const auto row = test->image_uint8(0).select(1, 14).to_vector();
        QCOMPARE(std::vector<double>(row.begin() + 10, row.begin() + 16),
                 (std::vector<double>{0, 0, 98, 136, 110, 109}));
    }

    void realMnist() {
        if (!test::haveShared("datasets/mnist")) QSKIP("no shared MNIST folder");
        const std::string dir = (test::sharedDir() + "/datasets/mnist").toStdString();
        if (!std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz"))
            QSKIP("the shared MNIST folder has no test split");
        checkReal(MnistDataset::mnist(dir, Split::Test), 10000, {7, 2, 1, 0, 4, 1, 4, 9, 5, 9},
                  18454, 41833);
        if (!std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz") &&
            !std::filesystem::exists(dir + "/train-images-idx3-ubyte"))
            QSKIP("the shared MNIST folder has no train images (test split checked)");
        const auto train = MnistDataset::mnist(dir, Split::Train);
        QCOMPARE(train->size(), 60000);
        QCOMPARE(train->label(0).value(), 5);
    }
};

QTEST_GUILESS_MAIN(TestMnist)
#include "tst_mnist.moc"
