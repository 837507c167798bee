// AG_NEWS: rows read from CSV files the test writes (quoting, errors naming file and line), the
// seeded split of a lone test.csv, the vocabulary of the training rows, and the real test split
// in ../shared/datasets/ag_news_csv against torchtext's reading of it (gen_text.py).

#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "data/random_split.h"
#include "data/text/ag_news.h"
#include "data/text/basic_english.h"
#include "data/text/text_collate.h"
#include "data_golden.h"
#include "text_golden.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace nnscope;
using namespace nnscope::data;
using nlohmann::json;
using test::errorOf;

namespace {

void writeFile(const QString& path, const std::string& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << bytes;
}

// Where the real AG_NEWS test split is: NNSCOPE_SHARED_DIR, or the folder the environment
// variable of the same name gives (worktrees sit one level deeper than the shared folder).
QString realAgNewsDir() {
    const QString sub = QStringLiteral("/datasets/ag_news_csv");
    const QByteArray env = qgetenv("NNSCOPE_SHARED_DIR");
    if (!env.isEmpty() && QFile::exists(QString::fromLocal8Bit(env) + sub + "/test.csv"))
        return QString::fromLocal8Bit(env) + sub;
    if (QFile::exists(test::sharedDir() + sub + "/test.csv")) return test::sharedDir() + sub;
    return {};
}

} // namespace

class TestAgNews : public QObject {
    Q_OBJECT

private slots:
    void rowsFromTrickyCsv() {
        const std::string csv = "\"3\",\"Wall St. Bears, \"\"Claw\"\" Back\",\"Short-sellers,\r\n"
                                "are seeing green\"\r\n"
                                "1,plain title,plain description\n"
                                "\n"
                                "\"4\",\"\",\"only a description\"";
        const auto rows = parse_ag_news_csv(csv, "t.csv");
        QCOMPARE(rows.size(), std::size_t{3});
        QCOMPARE(rows[0].label, std::int64_t{2});
        QCOMPARE(rows[0].text,
                 std::string("Wall St. Bears, \"Claw\" Back Short-sellers,\nare seeing green"));
        QCOMPARE(rows[1].label, std::int64_t{0});
        QCOMPARE(rows[1].text, std::string("plain title plain description"));
        QCOMPARE(rows[2].text, std::string(" only a description")); // " ".join(["", ...])

        AgNewsDataset d(rows);
        QCOMPARE(d.size(), std::int64_t{3});
        const Sample s = d.get(0);
        QCOMPARE(s[0].text(), rows[0].text);
        QCOMPARE(s[1].integer(), std::int64_t{2});
        QCOMPARE(d.label(2), std::optional<std::int64_t>(3));
        QCOMPARE(d.classes(),
                 (std::vector<std::string>{"World", "Sports", "Business", "Sci/Tech"}));
        QVERIFY(errorOf([&] { d.get(3); }).contains("out of range"));
    }

    void errorsNameFileAndLine_data() {
        QTest::addColumn<QString>("csv");
        QTest::addColumn<QString>("expected");
        QTest::newRow("class 0") << "1,a,b\n0,a,b\n"
                                 << "bad.csv:2: bad class index '0' (expected 1-4)";
        QTest::newRow("class 5") << "5,a,b\n"
                                 << "bad.csv:1: bad class index '5' (expected 1-4)";
        QTest::newRow("class word") << "1,a,\"b\nc\"\nabc,a,b\n"
                                    << "bad.csv:3: bad class index 'abc' (expected 1-4)";
        QTest::newRow("empty class") << ",a,b\n"
                                     << "bad.csv:1: bad class index '' (expected 1-4)";
        QTest::newRow("two fields") << "1,a,b\n2,\"a,b\"\n"
                                    << "bad.csv:2: expected 3 fields (class index, title, "
                                       "description), got 2";
        QTest::newRow("four fields") << "1,a,b,c\n"
                                     << "bad.csv:1: expected 3 fields (class index, title, "
                                        "description), got 4";
        QTest::newRow("unterminated") << "1,a,b\n2,\"a\nb,c\n3,x,y\n"
                                      << "bad.csv:2: unterminated quoted field";
    }

    void errorsNameFileAndLine() {
        QFETCH(QString, csv);
        QFETCH(QString, expected);
        const QString e = errorOf([&] { parse_ag_news_csv(csv.toStdString(), "bad.csv"); });
        QVERIFY2(e.startsWith(expected), qPrintable(e));
    }

    void classIndexAsPythonInt() {
        const auto rows = parse_ag_news_csv(" 2 ,a,b\n+4,c,d\n", "ok.csv");
        QCOMPARE(rows[0].label, std::int64_t{1});
        QCOMPARE(rows[1].label, std::int64_t{3});
    }

    void folderWithBothSplits() {
        QTemporaryDir dir;
        writeFile(dir.filePath("train.csv"), "1,a,b\n2,c,d\n3,e,f\n");
        writeFile(dir.filePath("test.csv"), "4,g,h\n");
        const AgNewsSplits s = open_ag_news(dir.path().toStdString());
        QVERIFY(!s.split_from_test);
        QCOMPARE(s.train->size(), std::int64_t{3});
        QCOMPARE(s.test->size(), std::int64_t{1});
        QCOMPARE(s.test->get(0)[0].text(), std::string("g h"));
    }

    void loneTestCsvIsSplit() {
        QTemporaryDir dir;
        std::string csv;
        for (int i = 0; i < 40; ++i)
            csv += std::to_string(i % 4 + 1) + ",title " + std::to_string(i) + ",text\n";
        writeFile(dir.filePath("test.csv"), csv);
        AgNewsOptions o;
        o.split_seed = 3;
        const AgNewsSplits s = open_ag_news(dir.path().toStdString(), o);
        QVERIFY(s.split_from_test);
        QCOMPARE(s.train->size(), std::int64_t{38}); // int(40 * 0.95)
        QCOMPARE(s.test->size(), std::int64_t{2});
        // random_split(range(40), [38, 2], generator=manual_seed(3)) is one randperm(40).
        Generator gen(3);
        const auto perm = randperm(40, gen).to_int64_vector();
        QCOMPARE(s.test->get(1)[0].text(), "title " + std::to_string(perm[39]) + " text");
        QCOMPARE(s.train->get(0)[0].text(), "title " + std::to_string(perm[0]) + " text");
        QVERIFY(QString::fromStdString(s.description).contains("38/2"));
    }

    void folderErrors() {
        QTemporaryDir dir;
        QString e = errorOf([&] { open_ag_news(dir.path().toStdString()); });
        QVERIFY2(e.contains("no test.csv in"), qPrintable(e));
        writeFile(dir.filePath("test.csv"), "1,a,b\n9,c,d\n");
        e = errorOf([&] { open_ag_news(dir.path().toStdString()); });
        QVERIFY2(e.endsWith("test.csv:2: bad class index '9' (expected 1-4)"), qPrintable(e));
    }

    void randomSplitMatchesPyTorch() {
        // random_split(7600 rows, [7220, 380], generator=Generator().manual_seed(0)).
        const json split = test::textGolden("ag_news_test.json")["split"];
        Generator gen(0);
        const auto parts = random_split(std::make_shared<RangeDataset>(7600), {7220, 380}, gen);
        const auto train_first = split["train_first"].get<std::vector<std::int64_t>>();
        for (std::size_t i = 0; i < train_first.size(); ++i)
            QCOMPARE(parts[0]->label(static_cast<std::int64_t>(i)).value(), train_first[i]);
        const auto test_idx = split["test"].get<std::vector<std::int64_t>>();
        QCOMPARE(parts[1]->size(), static_cast<std::int64_t>(test_idx.size()));
        for (std::size_t i = 0; i < test_idx.size(); ++i)
            QCOMPARE(parts[1]->label(static_cast<std::int64_t>(i)).value(), test_idx[i]);
        QString e = errorOf([&] { random_split(std::make_shared<RangeDataset>(5), {2, 2}, gen); });
        QCOMPARE(e,
                 QString("Sum of input lengths does not equal the length of the input dataset!"));
    }

    void vocabFromTrainingRowsOnly() {
        AgNewsDataset train({{0, "the cat. The dog"}, {1, "a cat"}});
        const Vocab v = build_text_vocab(train);
        QCOMPARE(v.itos(),
                 (std::vector<std::string>{"<unk>", "<pad>", "cat", "the", ".", "a", "dog"}));
        QCOMPARE(v["zebra"], std::int64_t{0});
        QCOMPARE(build_text_vocab(train, 2).itos(),
                 (std::vector<std::string>{"<unk>", "<pad>", "cat", "the"}));
    }

    void realTestSplit() {
        const QString dir = realAgNewsDir();
        if (dir.isEmpty())
            QSKIP("../shared/datasets/ag_news_csv/test.csv is absent (set NNSCOPE_SHARED_DIR to "
                  "the shared folder to use it)");
        const json g = test::textGolden("ag_news_test.json");
        const auto all = read_ag_news_csv((dir + "/test.csv").toStdString());
        QCOMPARE(static_cast<std::int64_t>(all.size()), g["rows"].get<std::int64_t>());
        std::vector<std::int64_t> per_class(4);
        for (const auto& r : all)
            ++per_class[static_cast<std::size_t>(r.label)];
        QCOMPARE(per_class, g["per_class"].get<std::vector<std::int64_t>>());
        for (std::size_t i = 0; i < g["first_rows"].size(); ++i) {
            const json& row = g["first_rows"][i];
            QCOMPARE(all[i].label, row["label"].get<std::int64_t>());
            QCOMPARE(all[i].text, row["text"].get<std::string>());
            QCOMPARE(basic_english_tokenize(all[i].text),
                     row["tokens"].get<std::vector<std::string>>());
        }

        const AgNewsSplits s = open_ag_news(dir.toStdString());
        QVERIFY(s.split_from_test);
        QCOMPARE(s.train->size(), g["split"]["train_size"].get<std::int64_t>());
        QCOMPARE(s.test->size(), g["split"]["test_size"].get<std::int64_t>());
        const Vocab vocab = build_text_vocab(*s.train);
        QCOMPARE(vocab.size(), g["vocab"]["size"].get<std::int64_t>());
        const auto first = g["vocab"]["first"].get<std::vector<std::string>>();
        const auto last = g["vocab"]["last"].get<std::vector<std::string>>();
        QCOMPARE(std::vector<std::string>(vocab.itos().begin(),
                                          vocab.itos().begin() +
                                              static_cast<std::ptrdiff_t>(first.size())),
                 first);
        QCOMPARE(
            std::vector<std::string>(vocab.itos().end() - static_cast<std::ptrdiff_t>(last.size()),
                                     vocab.itos().end()),
            last);
        QCOMPARE(build_text_vocab(*s.train, 2).size(),
                 g["vocab"]["size_min_freq_2"].get<std::int64_t>());
        for (std::int64_t i = 0; i < 3; ++i) {
            const auto k = static_cast<std::size_t>(i);
            QCOMPARE(numericalize(vocab, s.train->get(i)[0].text()),
                     g["train_first_ids"][k].get<std::vector<std::int64_t>>());
            QCOMPARE(numericalize(vocab, s.test->get(i)[0].text()),
                     g["test_first_ids"][k].get<std::vector<std::int64_t>>());
        }
    }

    void loaderWithOffsetsCollate() {
        QTemporaryDir dir;
        writeFile(dir.filePath("train.csv"), "1,a b,c\n2,d,e f g\n3,h,i\n");
        writeFile(dir.filePath("test.csv"), "4,j,k\n");
        const AgNewsSplits s = open_ag_news(dir.path().toStdString());
        auto vocab = std::make_shared<Vocab>(build_text_vocab(*s.train));
        DataLoaderOptions o;
        o.batch_size = 2;
        o.collate_fn = offsets_collate(vocab);
        o.num_workers = 2;
        DataLoader loader(s.train, o);
        auto it = loader.iter();
        const auto b = it->next();
        QVERIFY(b.has_value());
        QCOMPARE(b->data[0].tensor().to_int64_vector(), (std::vector<std::int64_t>{0, 1}));
        QCOMPARE(b->data[2].tensor().to_int64_vector(), (std::vector<std::int64_t>{0, 3}));
        QCOMPARE(b->data[1].tensor().numel(), std::int64_t{7});
    }
};

QTEST_GUILESS_MAIN(TestAgNews)
#include "tst_ag_news.moc"
