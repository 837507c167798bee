// Inputs that crashed, hung or exhausted memory in the readers (found by the fuzz targets in fuzz/
// or while writing them), rebuilt here byte by byte so that each fix stays proven without a
// fuzzer: every one must end in a clear exception, quickly.

#include "data/idx_file.h"
#include "support/errors.h"
#include "support/files.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <string>

using namespace nnscope;
using nnscope::test::error_message;

namespace {

std::string write_file(const QTemporaryDir& dir, const char* name, const std::string& bytes) {
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    test::write_bytes(path, bytes);
    return path;
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    // Found while writing fuzz_idx: the reader allocated (and zeroed) whatever the header promised
    // before reading any data: 1 GiB for a 20-byte file, std::bad_alloc for a terabyte, and a
    // product of sizes that wrapped around. Now sizes must not overflow and memory grows only with
    // the data actually read.
    void idxHeaderPromisesMoreThanTheFile() {
        QTemporaryDir dir;
        QElapsedTimer timer;
        timer.start();
        const std::string huge = write_file(
            dir, "huge",
            std::string("\x00\x00\x08\x03", 4) + std::string("\x00\x00\x40\x00", 4) +
                std::string("\x00\x00\x40\x00", 4) + std::string("\x00\x00\x00\x04", 4) + "data");
        QVERIFY(error_message([&] { data::read_idx_uint8(huge, 3); }).find("promises 1073741824") !=
                std::string::npos);
        const std::string tera = write_file(
            dir, "tera",
            std::string("\x00\x00\x08\x03", 4) + std::string("\x00\x00\xff\xff", 4) +
                std::string("\x00\x00\xff\xff", 4) + std::string("\x00\x00\x00\xff", 4) + "data");
        QVERIFY(error_message([&] { data::read_idx_uint8(tera, 3); }).find("truncated") !=
                std::string::npos);
        const std::string wraps = write_file(
            dir, "wraps", std::string("\x00\x00\x08\x03", 4) + std::string(12, '\xff') + "data");
        QVERIFY(error_message([&] { data::read_idx_uint8(wraps, 3); }).find("overflow") !=
                std::string::npos);
        QVERIFY(timer.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
