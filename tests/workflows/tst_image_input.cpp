// workflows::image_input against torchvision 0.14 on a committed PNG (tests/golden/
// gen_image_input.py): the imagenet preset's resize (bilinear, antialias) and centre crop within
// one uint8 level of torchvision's tensor path and of PIL's, then ToTensor and Normalize; custom
// values; grey models; the errors.

#include "data/png_file.h"
#include "support/errors.h"
#include "support/golden.h"
#include "workflows/image_input.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

const std::string photo = NNSCOPE_GOLDEN_DIR "/image_input/photo.png";

double max_abs_diff(const Tensor& a, const Tensor& b) {
    const auto x = a.to_vector(), y = b.to_vector();
    double m = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        m = std::max(m, std::abs(x[i] - y[i]));
    return m;
}

} // namespace

class TestImageInput : public QObject {
    Q_OBJECT

private slots:
    void imagenetPresetResizesAsTorchvision_data() {
        QTest::addColumn<QString>("reference");
        QTest::newRow("tensor path") << QStringLiteral("imagenet.uint8");
        QTest::newRow("PIL") << QStringLiteral("imagenet.pil");
    }
    void imagenetPresetResizesAsTorchvision() {
        QFETCH(QString, reference);
        const test::GoldenFile golden("image_input/photo.safetensors");
        const Tensor expected = golden.tensor(reference.toStdString());
        const Tensor got = resize_and_crop(data::read_png(photo), image_preset("imagenet"));
        QCOMPARE(got.shape(), (Shape{3, 224, 224}));
        QCOMPARE(got.dtype(), DType::UInt8);
        QVERIFY2(max_abs_diff(got, expected) <= 1.0,
                 qPrintable(QString::number(max_abs_diff(got, expected))));
        // Against the tensor path (the same algorithm) nearly every pixel is exact.
        if (reference == u"imagenet.uint8") {
            const auto a = got.to_vector(), b = expected.to_vector();
            std::size_t off = 0;
            for (std::size_t i = 0; i < a.size(); ++i)
                off += a[i] != b[i];
            QVERIFY2(off * 1000 < a.size(), qPrintable(QString::number(off)));
        }
    }

    // The whole preset: (uint8 / 255 - mean) / std of the resized image.
    void imagenetPresetNormalises() {
        const test::GoldenFile golden("image_input/photo.safetensors");
        const Tensor x = image_file_input(photo, image_preset("imagenet"));
        QCOMPARE(x.shape(), (Shape{1, 3, 224, 224}));
        const auto u8 = golden.tensor("imagenet.uint8").to_vector();
        const auto got = x.to_vector();
        const double mean[] = {0.485, 0.456, 0.406}, stdev[] = {0.229, 0.224, 0.225};
        for (std::size_t i = 0; i < got.size(); ++i) {
            const std::size_t c = i / (224 * 224);
            const double expected = (u8[i] / 255.0 - mean[c]) / stdev[c];
            // One uint8 level, in normalised units.
            QVERIFY(std::abs(got[i] - expected) <= 1.0 / 255.0 / stdev[c] + 1e-5);
        }
    }

    void customValues() {
        const test::GoldenFile golden("image_input/photo.safetensors");
        ImagePreprocess pre{40, 32, {0.5, 0.4, 0.3}, {0.2, 0.3, 0.4}};
        const Tensor x = image_file_input(photo, pre);
        const Tensor expected = golden.tensor("custom.input");
        QCOMPARE(x.shape(), expected.shape());
        QVERIFY2(max_abs_diff(x, expected) <= 1.0 / 255.0 / 0.2 + 1e-5,
                 qPrintable(QString::number(max_abs_diff(x, expected))));
    }

    void greyModel() {
        const test::GoldenFile golden("image_input/photo.safetensors");
        const Tensor x = image_file_input(photo, {24, 20, {0.5}, {0.25}}, 1);
        const Tensor expected = golden.tensor("grey.input");
        QCOMPARE(x.shape(), (Shape{1, 1, 20, 20}));
        QVERIFY2(max_abs_diff(x, expected) <= 1.0 / 255.0 / 0.25 + 1e-5,
                 qPrintable(QString::number(max_abs_diff(x, expected))));
    }

    void noneKeepsTheSize() {
        const Tensor x = image_file_input(photo, image_preset("none"));
        QCOMPARE(x.shape(), (Shape{1, 3, 280, 300}));
        const Tensor raw = data::read_png(photo);
        // ToTensor alone: pixel (channel 1, row 2, column 5) / 255 in float32.
        const double pixel = raw.select(0, 1).select(0, 2).select(0, 5).item();
        QCOMPARE(x.select(0, 0).select(0, 1).select(0, 2).select(0, 5).item(),
                 static_cast<double>(static_cast<float>(pixel) / 255.0f));
    }

    void errors() {
        QCOMPARE(test::errorOf([] { image_preset("cifar"); }),
                 QStringLiteral("unknown preset 'cifar' (known: imagenet, none)"));
        QCOMPARE(test::errorOf([] {
                     image_file_input(photo, {0, 0, {0.1, 0.2}, {1.0}});
                 }),
                 QStringLiteral("mean has 2 values; the input has 3 channels (give one value or "
                                "one per channel)"));
        QCOMPARE(test::errorOf([] {
                     image_file_input(photo, {0, 0, {0.0}, {0.0}});
                 }),
                 QStringLiteral("std must not be 0"));
        QVERIFY(test::errorOf([] {
                    image_file_input("/nonexistent.png", {});
                }).contains(QStringLiteral("/nonexistent.png")));
        QVERIFY(test::errorOf([] {
                    image_input(Tensor::zeros({2, 4, 4}), {});
                }).startsWith(QStringLiteral("an image must be uint8 [C, H, W]")));
    }
};

QTEST_GUILESS_MAIN(TestImageInput)
#include "tst_image_input.moc"
