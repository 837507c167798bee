// The restricted unpickler: plain values decode as Python does; every global it does not know
// becomes an inert placeholder that is never called (a pickle that would create a file through
// os.system or builtins.open leaves no file, and shows the call as data); opcodes that reach
// outside the pickle are refused by name; allocation bombs, deep nesting, cycles and truncation
// at every length end in a clear exception, quickly.

#include "io/pickle/unpickler.h"
#include "io/pytorch_archive.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <fstream>

using namespace nnscope;
using namespace nnscope::io::pickle;
using namespace std::string_literals;

namespace {

// Little helpers that spell pickle opcodes.
std::string le(std::uint64_t v, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}
std::string str(const std::string& s) {
    return "X" + le(s.size(), 4) + s;
}
std::string global(const std::string& module, const std::string& name) {
    return "c" + module + "\n" + name + "\n";
}
std::string binfloat(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    std::string out;
    for (int i = 7; i >= 0; --i)
        out += static_cast<char>((bits >> (8 * i)) & 0xff);
    return "G" + out;
}
const std::string proto2 = "\x80\x02";

UnpickleResult run(const std::string& bytes, const UnpicklerOptions& options = {}) {
    return unpickle(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size(), options);
}

// A persistent_load that accepts any ('storage', type, key, location, numel) id.
UnpicklerOptions with_storages() {
    UnpicklerOptions options;
    options.persistent_load = [](const Value& pid) {
        auto ref = std::make_shared<StorageRef>();
        ref->numel =
            pid.items.size() > 4 && pid.items[4]->kind == Kind::Int ? pid.items[4]->integer : 0;
        auto v = std::make_shared<Value>();
        v->kind = Kind::Storage;
        v->storage = ref;
        return v;
    };
    return options;
}

// ('storage', torch.FloatStorage, '0', 'cpu', numel) as a persistent id, then BINPERSID.
std::string storage_pid(const std::string& numel_op) {
    return "((" + str("storage") + global("torch", "FloatStorage") + str("0") + str("cpu") +
           numel_op + "tQ";
}

// _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())
std::string tensor(const std::string& numel_op, const std::string& size,
                   const std::string& stride) {
    return global("torch._utils", "_rebuild_tensor_v2") + storage_pid(numel_op) + "K\x00"s + size +
           stride + "\x89" + global("collections", "OrderedDict") + ")R" + "tR";
}

// The legacy torch.save layout around an object pickle, with storages appended raw.
std::string legacy_file(const std::string& object_pickle, const std::string& after) {
    const std::string magic =
        proto2 + "\x8a\x0a" + "\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19" + ".";
    const std::string protocol = proto2 + "M" + le(1001, 2) + ".";
    const std::string sys_info = proto2 + "}(" + str("little_endian") + "\x88u.";
    return magic + protocol + sys_info + object_pickle + after;
}

std::string expect_unsafe(const std::string& bytes, bool torchscript = false) {
    UnpicklerOptions options;
    options.torchscript = torchscript;
    try {
        run(bytes, options);
    } catch (const UnsafePickleError& e) {
        return e.name();
    } catch (const std::exception& e) {
        return std::string("wrong exception: ") + e.what();
    }
    return "accepted";
}

std::string expect_error(const std::string& bytes, const UnpicklerOptions& options = {}) {
    try {
        run(bytes, options);
    } catch (const PickleError& e) {
        return e.what();
    }
    return "";
}

} // namespace

class TestPickle : public QObject {
    Q_OBJECT

private slots:
    void scalarsDecodeAsPython() {
        const std::string bytes = proto2 + "(" + "K\x05" + "J" + le(std::uint32_t(-7), 4) +
                                  "\x8a\x01\xff" + "\x8a\x02\x00\x80"s + binfloat(0.125) +
                                  str("héllo") + "N\x88\x89" + "M" + le(65535, 2) + "t.";
        const ValuePtr v = run(bytes).value;
        QCOMPARE(v->kind, Kind::Tuple);
        QCOMPARE(v->items.size(), std::size_t(10));
        QCOMPARE(v->items[0]->integer, std::int64_t(5));
        QCOMPARE(v->items[1]->integer, std::int64_t(-7));
        QCOMPARE(v->items[2]->integer, std::int64_t(-1));     // LONG1 is two's complement
        QCOMPARE(v->items[3]->integer, std::int64_t(-32768)); // 0x8000 little-endian
        QCOMPARE(v->items[4]->real, 0.125); // BINFLOAT: refused by 1.13, accepted here
        QCOMPARE(v->items[5]->text, std::string("héllo"));
        QCOMPARE(v->items[6]->kind, Kind::None);
        QVERIFY(v->items[7]->boolean);
        QVERIFY(!v->items[8]->boolean);
        QCOMPARE(v->items[9]->integer, std::int64_t(65535));
        QCOMPARE(to_display(*v), std::string("(5, -7, -1, -32768, 0.125, 'héllo', None, True, "
                                             "False, 65535)"));
    }

    void dictsKeepOrderAndReplaceDuplicates() {
        const std::string bytes = proto2 + global("collections", "OrderedDict") + ")R" + "(" +
                                  str("b") + "K\x01" + str("a") + "K\x02" + str("b") + "K\x03" +
                                  "u.";
        const ValuePtr v = run(bytes).value;
        QCOMPARE(v->kind, Kind::Dict);
        QVERIFY(v->ordered);
        QCOMPARE(to_display(*v), std::string("{'b': 3, 'a': 2}"));
        QCOMPARE(dict_find(*v, "a")->integer, std::int64_t(2));
    }

    void tensorsAreDescribedNotBuilt() {
        const std::string bytes =
            proto2 + "}(" + str("w") + tensor("K\x06", "(K\x02K\x03t", "(K\x03K\x01t") + "u.";
        const ValuePtr v = run(bytes, with_storages()).value;
        const Value* w = dict_find(*v, "w");
        QVERIFY(w && w->kind == Kind::Tensor);
        QCOMPARE(w->tensor->shape, (Shape{2, 3}));
        QCOMPARE(w->tensor->strides, (Shape{3, 1}));
        // A view reaching past its storage is refused when read, not when loaded.
        const std::string past = proto2 + tensor("K\x05", "(K\x02K\x03t", "(K\x03K\x01t") + ".";
        QVERIFY(expect_error(past, with_storages()).find("reaches past") != std::string::npos);
    }

    // The payloads of real attacks. Each pickle would run `touch <dir>/pwned` if executed; here
    // each call stays a placeholder holding its name and arguments.
    void maliciousGlobalsStayInert_data() {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("name");
        for (const auto& [module, name] : std::vector<std::pair<const char*, const char*>>{
                 {"os", "system"},
                 {"posix", "system"},
                 {"nt", "system"},
                 {"builtins", "eval"},
                 {"builtins", "exec"},
                 {"__builtin__", "eval"},
                 {"builtins", "getattr"},
                 {"subprocess", "Popen"},
                 {"subprocess", "check_output"},
                 {"torch", "load"},
                 {"torch._utils", "_rebuild_device_tensor_from_numpy"},
                 {"torch.storage", "_load_from_bytes"},
                 {"__torch__", "Evil"},
                 {"collections", "defaultdict"}})
            QTest::newRow(
                qPrintable(QStringLiteral("%1.%2").arg(QLatin1String(module), QLatin1String(name))))
                << QString::fromLatin1(module) << QString::fromLatin1(name);
    }
    void maliciousGlobalsStayInert() {
        QFETCH(QString, module);
        QFETCH(QString, name);
        QTemporaryDir dir;
        const std::string marker = dir.filePath(QStringLiteral("pwned")).toStdString();
        const std::string call =
            global(module.toStdString(), name.toStdString()) + str("touch " + marker) + "\x85R.";
        const std::string full = module.toStdString() + "." + name.toStdString();
        const std::string shown = "<" + full + "('touch " + marker + "')>";
        QCOMPARE(to_display(*run(proto2 + call).value), shown);
        // The same global reached through STACK_GLOBAL (protocol 4) and INST (protocol 0).
        const std::string stacked = "\x80\x04\x8c" + le(module.size(), 1) + module.toStdString() +
                                    "\x8c" + le(name.size(), 1) + name.toStdString() + "\x93" +
                                    str("touch " + marker) + "\x85R.";
        QCOMPARE(to_display(*run(stacked).value), shown);
        const std::string inst = "(" + str("touch " + marker) + "i" + module.toStdString() + "\n" +
                                 name.toStdString() + "\n.";
        const ValuePtr instance = run(inst).value;
        QCOMPARE(instance->kind, Kind::Placeholder);
        QCOMPARE(to_display(*instance), shown);
        // Inside a legacy torch.save file: it opens, and the call is only shown.
        const std::string path = dir.filePath(QStringLiteral("evil.pt")).toStdString();
        std::ofstream(path, std::ios::binary) << legacy_file(proto2 + call, proto2 + "].");
        const io::ModelDocument document = io::open_pytorch_file(path);
        QCOMPARE(document.metadata.at("value"), shown);
        QVERIFY(!QFile::exists(QString::fromStdString(marker)));
    }

    // A checkpoint whose other entries would create files through os.system and builtins.open:
    // its tensor opens and loads, the calls read as data, and no file appears.
    void dangerousPlaceholdersBesideTensors() {
        QTemporaryDir dir;
        const std::string by_system = dir.filePath(QStringLiteral("by_system")).toStdString();
        const std::string by_open = dir.filePath(QStringLiteral("by_open")).toStdString();
        const std::string object =
            proto2 + "}(" + str("w") + tensor("K\x02", "(K\x02t", "(K\x01t") + str("s") +
            global("os", "system") + str("touch " + by_system) + "\x85R" + str("f") +
            global("builtins", "open") + str(by_open) + str("w") + "\x86R" + str("p") +
            global("subprocess", "Popen") + "(" + str("touch") + str(by_system) + "l\x85R" + "u.";
        std::string with_view = object;
        with_view.replace(with_view.find("tQ"), 2, "NtQ");
        const std::string path = dir.filePath(QStringLiteral("mixed.pt")).toStdString();
        const float data[2] = {1.5f, -2.0f};
        std::ofstream(path, std::ios::binary)
            << legacy_file(with_view, proto2 + "](" + str("0") + "e." + le(2, 8) +
                                          std::string(reinterpret_cast<const char*>(data), 8));
        const io::ModelDocument document = io::open_pytorch_file(path);
        QCOMPARE(document.find("w")->load().to_vector(), (std::vector<double>{1.5, -2.0}));
        QCOMPARE(document.metadata.at("s"), "<os.system('touch " + by_system + "')>");
        QCOMPARE(document.metadata.at("f"), "<builtins.open('" + by_open + "', 'w')>");
        QCOMPARE(document.metadata.at("p"), "<subprocess.Popen(['touch', '" + by_system + "'])>");
        QVERIFY(!QFile::exists(QString::fromStdString(by_system)));
        QVERIFY(!QFile::exists(QString::fromStdString(by_open)));
    }

    void refusedOpcodes() {
        QCOMPARE(expect_unsafe(proto2 + "\x82\x01."), std::string("EXT1"));
        QCOMPARE(expect_unsafe("Pabc\n."), std::string("PERSID"));
        QCOMPARE(expect_unsafe("\x80\x05\x97."), std::string("NEXT_BUFFER"));
        QCOMPARE(expect_unsafe(proto2 + "(" + str("storage") + "tQ."), std::string("BINPERSID"));
        // Allowed globals may still not be called in ways that are not plain data.
        QVERIFY(!expect_error(proto2 + global("torch", "FloatStorage") + ")R.").empty());
        QVERIFY(!expect_error(proto2 + global("collections", "OrderedDict") + "(K\x01tR.").empty());
    }

    // OBJ (protocol 1) and NEWOBJ_EX (protocol 4) instantiate as other opcodes do: known classes
    // are built, unknown ones stay placeholders with their keyword arguments.
    void instantiatingOpcodes() {
        QCOMPARE(run(proto2 + "(" + global("collections", "OrderedDict") + "o.").value->kind,
                 Kind::Dict);
        const ValuePtr v =
            run("\x80\x04" + global("m", "Cls") + "(K\x01t}(" + str("k") + "K\x02u\x92.").value;
        QCOMPARE(v->kind, Kind::Placeholder);
        QCOMPARE(to_display(*v), std::string("<m.Cls(1, {'k': 2})>"));
        // A dict subclass collects its items; a list subclass its elements.
        const ValuePtr d = run(proto2 + global("m", "D") + ")\x81(" + str("a") + "K\x01u.").value;
        QCOMPARE(to_display(*d), std::string("<m.D({'a': 1})>"));
        const ValuePtr l = run(proto2 + global("m", "L") + ")\x81K\x05"s + "a.").value;
        QCOMPARE(to_display(*l), std::string("<m.L([5])>"));
        // A placeholder, like a container, cannot change once nested.
        QVERIFY(expect_error(proto2 + global("m", "D") + ")\x81q\x00\x85"s + "h\x00("s + str("a") +
                             "K\x01u.")
                    .find("after it was nested") != std::string::npos);
    }

    void torchScriptClassesAreInert() {
        const std::string bytes = proto2 + global("__torch__.torch.nn.modules.linear", "Linear") +
                                  ")\x81}(" + str("in_features") + "K\x03ub.";
        QCOMPARE(run(bytes).value->kind, Kind::Placeholder); // outside TorchScript: inert data
        UnpicklerOptions options;
        options.torchscript = true;
        const ValuePtr v = run(bytes, options).value;
        QCOMPARE(v->kind, Kind::Object);
        QCOMPARE(v->text, std::string("__torch__.torch.nn.modules.linear.Linear"));
        QCOMPARE(dict_find(*v->state, "in_features")->integer, std::int64_t(3));
        // Even in TorchScript archives, other globals stay inert references.
        const ValuePtr other = run(proto2 + global("os", "system") + ".", options).value;
        QCOMPARE(other->kind, Kind::Global);
        QCOMPARE(other->global, GlobalId::Unknown);
        QCOMPARE(to_display(*other), std::string("<os.system>"));
    }

    // Sizes the input cannot back are refused before anything is allocated.
    void allocationBombs() {
        QElapsedTimer timer;
        timer.start();
        QVERIFY(expect_error(proto2 + "X\xff\xff\xff\xff" + "abc.").find("remain") !=
                std::string::npos);
        QVERIFY(!expect_error(proto2 + "\x8b\xff\xff\xff\x7f" + "abc.").empty());
        QVERIFY(!expect_error(proto2 + "\x8e" + le(std::uint64_t(1) << 62, 8) + ".").empty());
        QVERIFY(!expect_error(proto2 + "\x8d" + le(~std::uint64_t(0), 8) + ".").empty());
        // A memo index of 2^32 - 1 costs one entry, not a 4G-entry table.
        QCOMPARE(run(proto2 + "K\x07r\xff\xff\xff\xff" + "0j\xff\xff\xff\xff" + ".").value->integer,
                 std::int64_t(7));
        QVERIFY(expect_error(proto2 + "j\xfe\xff\xff\xff.").find("never stored") !=
                std::string::npos);
        // Millions of tiny objects: capped by count.
        UnpicklerOptions small = with_storages();
        small.max_values = 100000;
        QVERIFY(expect_error(proto2 + std::string(200000, ']') + ".", small).find("objects") !=
                std::string::npos);
        QVERIFY(expect_error(proto2 + std::string(200000, 'N') + ".", small).find("stack") !=
                std::string::npos);
        // A tensor of 2^62 x 2^62 elements overflows; one of 2^40 elements in a tiny storage
        // reaches past it.
        const std::string huge = "\x8a\x08" + le(std::uint64_t(1) << 62, 8);
        QVERIFY(
            !expect_error(proto2 + tensor("K\x01", "(" + huge + huge + "t", "(K\x01K\x01t") + ".",
                          with_storages())
                 .empty());
        // A legacy file whose storage claims 2^40 floats but holds none.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("bomb.pt")).toStdString();
        const std::string numel = "\x8a\x06" + le(std::uint64_t(1) << 40, 6);
        const std::string object =
            proto2 + "}(" + str("w") + tensor(numel, "(" + numel + "t", "(K\x01t") + "u.";
        const std::string legacy_pid_fix = object; // legacy ids carry a 6th field, the view
        std::string with_view = legacy_pid_fix;
        with_view.replace(with_view.find("tQ"), 2, "NtQ");
        std::ofstream(path, std::ios::binary) << legacy_file(
            with_view, proto2 + "](" + str("0") + "e." + le(std::uint64_t(1) << 40, 8));
        try {
            io::open_pytorch_file(path);
            QFAIL("opened");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("truncated inside storage") != std::string::npos,
                     e.what());
        }
        QVERIFY(timer.elapsed() < 5000);
    }

    void nestingAndCyclesAreBounded() {
        QVERIFY(expect_error(proto2 + std::string(100000, '(') + ".").find("MARK") !=
                std::string::npos);
        std::string deep = proto2 + std::string(1000, ']') + std::string(999, 'a') + ".";
        QVERIFY(expect_error(deep).find("nested deeper") != std::string::npos);
        std::string tuples = proto2 + "N";
        for (int i = 0; i < 1000; ++i)
            tuples += "\x85";
        QVERIFY(expect_error(tuples + ".").find("nested deeper") != std::string::npos);
        // A list appended to itself, and a two-list cycle.
        QVERIFY(!expect_error(proto2 + "]q\x00h\x00"s + "a.").empty());
        QVERIFY(expect_error(proto2 + "]q\x00]h\x00"s + "aa.").find("after it was nested") !=
                std::string::npos);
        // Within the limits, nesting is fine.
        std::string ok = proto2 + std::string(150, ']') + std::string(149, 'a') + ".";
        QCOMPARE(run(ok).value->depth, std::uint16_t(149));
    }

    void malformedInput() {
        QVERIFY(expect_error("").find("truncated") != std::string::npos);
        QVERIFY(expect_error(proto2 + "a.").find("underflow") != std::string::npos);
        QVERIFY(expect_error(proto2 + "h\x05.").find("memo") != std::string::npos);
        QVERIFY(expect_error(proto2 + "u.").find("MARK") != std::string::npos);
        QVERIFY(expect_error(proto2 + "\xff.").find("unknown opcode 0xff") != std::string::npos);
        QVERIFY(expect_error("\x80\x09.").find("protocol") != std::string::npos);
        QVERIFY(!expect_error(proto2 + "}(]K\x01u.").empty()); // unhashable key
        QVERIFY(!expect_error(proto2 + global("os", "sys").substr(0, 4)).empty());
    }

    // Every prefix of a real pickle fails cleanly.
    void truncatedAtEveryLength() {
        const std::string object = proto2 + global("collections", "OrderedDict") + ")Rq\x00("s +
                                   str("w") + tensor("K\x06", "(K\x02K\x03t", "(K\x03K\x01t") +
                                   "q\x01" + str("epoch") + "K\x07" + str("loss") + binfloat(0.5) +
                                   "u}" + "b.";
        const UnpicklerOptions options = with_storages();
        QCOMPARE(run(object, options).consumed, object.size());
        for (std::size_t length = 0; length < object.size(); ++length) {
            const std::string error = expect_error(object.substr(0, length), options);
            if (error.empty())
                QFAIL(qPrintable(QStringLiteral("prefix of %1 bytes accepted").arg(length)));
        }
    }
};

QTEST_GUILESS_MAIN(TestPickle)
#include "tst_pickle.moc"
