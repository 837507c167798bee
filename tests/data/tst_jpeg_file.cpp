// JPEG files through libjpeg (data/jpeg_file.h) and the image reader that picks PNG or JPEG by
// a file's first bytes (data/image_file.h): tiny files cut from the image_input photo decode to
// PIL's pixels (tests/golden/gen_jpeg.py; Debian's PIL links the same libjpeg62-turbo, so the
// pixels are equal), and every broken file — truncated anywhere, corrupt, empty, CMYK, not an
// image — ends in a runtime_error naming the file, never an exit() or a grey picture.

#include "data/image_file.h"
#include "data/jpeg_file.h"
#include "data/png_file.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace nnscope;

namespace {

std::string golden_jpeg(const char* name) {
    return std::string(NNSCOPE_GOLDEN_DIR "/jpeg/") + name;
}

std::string write(const QTemporaryDir& dir, const char* name, const std::string& bytes) {
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

// What the read throws (empty when it does not).
std::string read_error(const std::string& path) {
    try {
        data::read_image(path);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestJpegFile : public QObject {
    Q_OBJECT
private slots:
    void decodesAsPil_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("rgb 4:2:0, odd size") << QStringLiteral("rgb");
        QTest::newRow("greyscale") << QStringLiteral("grey");
    }
    void decodesAsPil() {
        QFETCH(QString, name);
        const test::GoldenFile golden("jpeg/jpeg.safetensors");
        const std::string path = golden_jpeg((name + QStringLiteral(".jpg")).toLatin1().data());
        const Tensor got = data::read_image(path); // picked by content, as read_jpeg
        NNSCOPE_COMPARE_TENSORS_EXACT(got, golden.tensor(name.toStdString()));
        NNSCOPE_COMPARE_TENSORS_EXACT(data::read_jpeg(path), got);
    }

    // The first bytes decide, not the name: a PNG named .jpg is read as PNG and the reverse.
    void pickedByContent() {
        QTemporaryDir dir;
        const std::string photo = NNSCOPE_GOLDEN_DIR "/image_input/photo.png";
        const std::string png_as_jpg = write(dir, "photo.jpg", data::read_file_bytes(photo));
        NNSCOPE_COMPARE_TENSORS_EXACT(data::read_image(png_as_jpg), data::read_png(photo));
        const std::string jpg_as_png =
            write(dir, "rgb.png", data::read_file_bytes(golden_jpeg("rgb.jpg")));
        QCOMPARE(data::read_image(jpg_as_png).shape(), (Shape{3, 29, 37}));
    }

    // Every prefix of the file (cut inside the headers, the scan, before the end marker) and
    // corrupted bytes inside the scan: an exception naming the file, never a crash or exit().
    void truncatedEverywhere() {
        QTemporaryDir dir;
        const std::string bytes = data::read_file_bytes(golden_jpeg("rgb.jpg"));
        for (std::size_t cut = 0; cut + 2 < bytes.size(); cut += 7) {
            const std::string path = write(dir, "cut.jpg", bytes.substr(0, cut));
            const std::string why = read_error(path);
            QVERIFY2(!why.empty(), qPrintable(QStringLiteral("cut at %1 read").arg(cut)));
            QVERIFY2(why.find(path) != std::string::npos, why.c_str());
        }
    }

    void brokenFilesAreSaid_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("words");
        const std::string rgb = data::read_file_bytes(golden_jpeg("rgb.jpg"));
        QByteArray half = QByteArray::fromStdString(rgb.substr(0, rgb.size() / 2));
        QTest::newRow("truncated scan")
            << half << QStringLiteral("cannot read JPEG"); // libjpeg's warning, made an error
        QByteArray garbled = QByteArray::fromStdString(rgb);
        for (qsizetype i = garbled.size() / 2; i < garbled.size() - 2; i += 3)
            garbled[i] = char(0xFF); // markers where entropy-coded data should be
        QTest::newRow("corrupt scan") << garbled << QStringLiteral("cannot read JPEG");
        QTest::newRow("soi only") << QByteArray("\xFF\xD8\xFF", 3)
                                  << QStringLiteral("cannot read JPEG");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("neither a PNG nor a JPEG");
        QTest::newRow("text") << QByteArray("hello") << QStringLiteral("neither a PNG nor a JPEG");
        QTest::newRow("cmyk") << QByteArray::fromStdString(
                                     data::read_file_bytes(golden_jpeg("cmyk.jpg")))
                              << QStringLiteral("a CMYK JPEG");
    }
    void brokenFilesAreSaid() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, words);
        QTemporaryDir dir;
        const std::string path = write(dir, "broken.jpg", bytes.toStdString());
        const std::string why = read_error(path);
        QVERIFY2(QString::fromStdString(why).contains(words), why.c_str());
        QVERIFY2(why.find(path) != std::string::npos, why.c_str());
    }

    void missingFile() {
        const std::string why = read_error("/nonexistent/photo.jpg");
        QVERIFY2(why.find("/nonexistent/photo.jpg") != std::string::npos, why.c_str());
    }
};

QTEST_GUILESS_MAIN(TestJpegFile)
#include "tst_jpeg_file.moc"
