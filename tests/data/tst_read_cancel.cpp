// A raised cancel flag stops an IDX read between chunks (data/read_cancel.h); without one, or
// with the flag down, the read is whole. The lab's first Fashion-MNIST read relies on it to let
// a window close promptly (tests/ui/tst_close_during_work).
#include "data/idx_file.h"
#include "data/read_cancel.h"
#include "support/files.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <string>
#include <thread>

using namespace nnscope;

namespace {

// An IDX file of `n` 28x28 images, every byte its index modulo 251.
std::string write_images(const QTemporaryDir& dir, std::uint32_t n) {
    std::string bytes = {0, 0, 8, 3};
    for (const std::uint32_t d : {n, 28u, 28u})
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.push_back(static_cast<char>((d >> shift) & 0xff));
    const std::size_t count = std::size_t{n} * 28 * 28;
    for (std::size_t i = 0; i < count; ++i)
        bytes.push_back(static_cast<char>(i % 251));
    const std::string path = dir.filePath(QStringLiteral("images.idx")).toStdString();
    test::write_bytes(path, bytes);
    return path;
}

} // namespace

class TestReadCancel : public QObject {
    Q_OBJECT
private slots:
    void aRaisedFlagStopsTheRead() {
        QTemporaryDir dir;
        const std::string path = write_images(dir, 4000); // 3 MB: several chunks
        std::atomic<bool> cancel{true};
        const data::ReadCancelScope scope(&cancel);
        QVERIFY_THROWS_EXCEPTION(data::ReadCancelled, data::read_idx_uint8(path, 3));
    }

    void aLoweredFlagOrNoneReadsEverything() {
        QTemporaryDir dir;
        const std::string path = write_images(dir, 4000);
        std::atomic<bool> cancel{false};
        {
            const data::ReadCancelScope scope(&cancel);
            const data::IdxArray a = data::read_idx_uint8(path, 3);
            QCOMPARE(a.data.size(), std::size_t{4000 * 28 * 28});
            QCOMPARE(int(a.data[1'000'000]), 1'000'000 % 251);
        }
        const data::IdxArray b = data::read_idx_uint8(path, 3);
        QCOMPARE(b.dims, (std::vector<std::int64_t>{4000, 28, 28}));
    }

    void scopesNestAndRestore() {
        QTemporaryDir dir;
        const std::string path = write_images(dir, 10);
        std::atomic<bool> raised{true};
        std::atomic<bool> lowered{false};
        const data::ReadCancelScope outer(&raised);
        {
            const data::ReadCancelScope inner(&lowered);
            QCOMPARE(data::read_idx_uint8(path, 3).data.size(), std::size_t{10 * 28 * 28});
        }
        QVERIFY_THROWS_EXCEPTION(data::ReadCancelled, data::read_idx_uint8(path, 3));
        // Another thread has no flag of its own: this thread's scope does not reach it.
        bool whole = false;
        std::thread([&] {
            whole = data::read_idx_uint8(path, 3).data.size() == 10 * 28 * 28;
        }).join();
        QVERIFY(whole);
    }
};

QTEST_MAIN(TestReadCancel)
#include "tst_read_cancel.moc"
