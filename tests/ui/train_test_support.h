#pragma once
// What the training workspace's GUI tests share: whether Debian's Fashion-MNIST is installed,
// and a run small enough to train in a test.

#include "data/mnist.h"
#include "workflows/training_config.h"

#include <QFileInfo>
#include <QString>
#include <cstdint>
#include <utility>

namespace nnscope::test {

inline bool haveFashionMnist() {
    return QFileInfo::exists(QString::fromLatin1(data::MnistDataset::fashion_mnist_default_dir) +
                             QStringLiteral("/train-images-idx3-ubyte.gz"));
}

// The mlp on the first 256 Fashion-MNIST training images in batches of 32, SGD, evaluated on
// the first 100 test images.
inline workflows::TrainingConfig smallFashionRun(std::uint64_t seed) {
    workflows::TrainingConfig c;
    c.model = "mlp";
    c.loader = workflows::TrainingConfig::default_training_loader();
    c.loader.batch_size = 32;
    c.loader.part = data::SubsetArgs{std::nullopt, std::pair<std::int64_t, std::int64_t>{0, 256}};
    c.eval_limit = 100;
    c.seed = seed;
    return c;
}

} // namespace nnscope::test

#define REQUIRE_FASHION_MNIST()                                                                    \
    if (!nnscope::test::haveFashionMnist())                                                        \
    QSKIP("Fashion-MNIST (dataset-fashion-mnist) is not installed")
