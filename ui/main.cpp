// nnscope [FILE] opens the window; nnscope --screenshot OUT.png [--page N] [--width W] [FILE]
// renders it (page N, 1 the browser as Ctrl+N picks it; W pixels wide) to a PNG and exits. Without
// FILE the bundled mlp is shown, so a first start shows something real. nnscope --lab A.json
// [B.json] and nnscope --lab-preset NAME open the DataLoader lab on those configurations (with
// --screenshot: once they are analysed). nnscope --train CONFIG.json opens the training page on
// that configuration (with --screenshot: once --steps N steps are trained). --screenshot with
// --run INPUT [--module PATH] [--target N] runs FILE from the browser's Run panel first. --help,
// --version and
// --paths answer without a display.

#include "engine/parallel.h"
#include "ui/app_paths.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"
#include "ui/pages/compare_page.h"
#include "ui/pages/lab_page.h"
#include "ui/pages/train_page.h"
#include "ui/screenshot.h"
#include "workflows/lab_presets.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

struct Options {
    QCommandLineOption shot{QStringLiteral("screenshot"),
                            QStringLiteral("Render the window to a PNG file and exit."),
                            QStringLiteral("OUT.png")};
    QCommandLineOption page{QStringLiteral("page"),
                            QStringLiteral("With --screenshot: the page shown (1 the browser, "
                                           "2 the DataLoader lab, 3 Training, 4 Compare, as "
                                           "Ctrl+N)."),
                            QStringLiteral("N"), QStringLiteral("1")};
    QCommandLineOption width{QStringLiteral("width"),
                             QStringLiteral("With --screenshot: the window's width in pixels."),
                             QStringLiteral("W"), QStringLiteral("1280")};
    QCommandLineOption run{QStringLiteral("run"),
                           QStringLiteral("With --screenshot: run the file from the browser's Run "
                                          "panel on INPUT (random or an image) with a backward "
                                          "from class --target first; or on dataset:CONFIG.json#N, "
                                          "sample N of a DataLoader configuration's data set, "
                                          "with a backward from the loss against its label."),
                           QStringLiteral("INPUT")};
    QCommandLineOption module{QStringLiteral("module"),
                              QStringLiteral("With --run: the module selected (its output "
                                             "shown) before the picture; the whole model when "
                                             "absent."),
                              QStringLiteral("PATH")};
    QCommandLineOption target{QStringLiteral("target"),
                              QStringLiteral("With --run: the class the backward starts from."),
                              QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption compare{
        QStringLiteral("compare"),
        QStringLiteral("Compare checkpoint A with FILE on the Compare page (or, when A is a "
                       "folder, its checkpoints as a sequence)."),
        QStringLiteral("A")};
    QCommandLineOption lab{QStringLiteral("lab"),
                           QStringLiteral("Open the DataLoader lab with configuration A (JSON); "
                                          "FILE, when given, is configuration B."),
                           QStringLiteral("A.json")};
    QCommandLineOption lab_preset{
        QStringLiteral("lab-preset"),
        QStringLiteral("Open the DataLoader lab on a preset comparison: ") + preset_names() +
            QLatin1Char('.'),
        QStringLiteral("NAME")};
    QCommandLineOption train{QStringLiteral("train"),
                             QStringLiteral("Open the training page with this training "
                                            "configuration (JSON, as nnscope-cli train --config)."),
                             QStringLiteral("CONFIG.json")};
    QCommandLineOption steps{QStringLiteral("steps"),
                             QStringLiteral("With --train and --screenshot: the steps trained "
                                            "before the picture."),
                             QStringLiteral("N"), QStringLiteral("20")};
    QCommandLineOption paths{QStringLiteral("paths"),
                             QStringLiteral("Print the folder of the bundled files in use and the "
                                            "settings file, and exit.")};
    QCommandLineOption help;
    QCommandLineOption version;

    static QString preset_names() {
        QStringList names;
        for (const auto& p : nnscope::workflows::lab_presets())
            names << QString::fromStdString(p.name);
        return names.join(QStringLiteral(", "));
    }

    explicit Options(QCommandLineParser& parser)
        : help(parser.addHelpOption())
        , version(parser.addVersionOption()) {
        parser.setApplicationDescription(QStringLiteral("Look inside neural networks."));
        parser.addOption(shot);
        parser.addOption(page);
        parser.addOption(width);
        parser.addOption(run);
        parser.addOption(module);
        parser.addOption(target);
        parser.addOption(compare);
        parser.addOption(lab);
        parser.addOption(lab_preset);
        parser.addOption(train);
        parser.addOption(steps);
        parser.addOption(paths);
        parser.addPositionalArgument(
            QStringLiteral("FILE"),
            QStringLiteral("Model file (.pt .pth .bin .ckpt .safetensors .onnx); the bundled mlp "
                           "when absent."),
            QStringLiteral("[FILE]"));
    }
};

void nameApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("nnscope"));
    QCoreApplication::setApplicationName(QStringLiteral("nnscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

// --help, --version and --paths need no display: answered (and the process ended) before a
// QApplication connects to one. Other options, and errors, are left to the real parse.
void answerHelpAndVersion(int argc, char** argv) {
    QCoreApplication core(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    const Options options(parser);
    parser.parse(QCoreApplication::arguments());
    if (parser.isSet(options.help)) parser.showHelp(0);
    if (parser.isSet(options.version)) parser.showVersion();
    // Which installation's files are used (a package's, a build tree's, $NNSCOPE_RESOURCES_DIR):
    // for bug reports, and for the test that runs an installed package (tst_package).
    if (parser.isSet(options.paths)) {
        const QString resources = nnscope::ui::resourcesDir();
        std::printf("resources: %s\nsettings: %s\n",
                    qPrintable(resources.isEmpty() ? QStringLiteral("(none found)") : resources),
                    qPrintable(QSettings().fileName()));
        std::exit(0);
    }
}

} // namespace

int main(int argc, char** argv) {
    nnscope::parallel::prepare_wait_policy(argv);
    answerHelpAndVersion(argc, argv);
    // A screenshot needs no display: render offscreen unless a platform was chosen explicitly.
    bool screenshot = false;
    const char* option = "--screenshot";
    const std::size_t n = std::strlen(option);
    for (int i = 1; i < argc; ++i)
        screenshot = screenshot || std::strcmp(argv[i], option) == 0 ||
                     (std::strncmp(argv[i], option, n) == 0 && argv[i][n] == '=');
    if (screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    const Options options(parser);
    const QCommandLineOption& shot = options.shot;
    const QCommandLineOption& page = options.page;
    const QCommandLineOption& width = options.width;
    const QCommandLineOption& compare = options.compare;
    const Options& o = options; // the screenshot's block names its own `options`
    parser.process(app);
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "nnscope: one FILE at most\n");
        return 2;
    }
    const bool in_lab = parser.isSet(options.lab) || parser.isSet(options.lab_preset);
    QString file = in_lab ? QString() : parser.positionalArguments().value(0);
    if (file.isEmpty()) file = nnscope::ui::defaultModelPath();
    // --lab A.json [B.json] or --lab-preset NAME: the lab's columns, then the lab shown. "" or
    // what is wrong.
    const auto start_lab = [&](nnscope::ui::MainWindow& window) -> QString {
        auto* lab = window.findChild<nnscope::ui::LabPage*>();
        if (parser.isSet(options.lab_preset)) {
            const QString name = parser.value(options.lab_preset);
            if (!lab->applyPreset(name))
                return QStringLiteral("--lab-preset: no preset '%1' (one of %2)")
                    .arg(name, Options::preset_names());
        } else {
            const QStringList files =
                QStringList{parser.value(options.lab)} + parser.positionalArguments();
            for (int i = 0; i < files.size(); ++i) {
                const QString error = lab->openJson(i, files[i]);
                if (!error.isEmpty()) return error;
            }
        }
        for (int i = 0; i < window.workspaceCount(); ++i)
            if (window.workspace(i) == lab) window.showWorkspace(i);
        return {};
    };

    nnscope::ui::applyDesktopPalette(app);
    // --compare A [B]: the Compare page starts on A and B (FILE), or on the folder A.
    const auto start_compare = [&](nnscope::ui::MainWindow& window) {
        if (!parser.isSet(compare)) return;
        auto* page = window.findChild<nnscope::ui::ComparePage*>();
        const QString a = parser.value(compare);
        if (QFileInfo(a).isDir())
            page->compareFolder(a);
        else
            page->compare(a, file);
        for (int i = 0; i < window.workspaceCount(); ++i)
            if (window.workspace(i) == page) window.showWorkspace(i);
    };
    const bool in_train = parser.isSet(options.train);
    if (parser.isSet(shot) && in_train) {
        nnscope::ui::MainWindow window(nullptr, false);
        nnscope::ui::ScreenshotOptions shot_options;
        shot_options.width = parser.value(width).toInt();
        bool steps_ok = false;
        const qlonglong steps = parser.value(options.steps).toLongLong(&steps_ok);
        if (shot_options.width < 320 || !steps_ok || steps < 1) {
            std::fprintf(stderr, "nnscope: --width is at least 320 and --steps at least 1\n");
            return 2;
        }
        return nnscope::ui::takeTrainScreenshot(window, parser.value(options.train), steps,
                                                parser.value(shot), shot_options);
    }
    if (parser.isSet(shot) && in_lab) {
        nnscope::ui::MainWindow window(nullptr, false);
        nnscope::ui::ScreenshotOptions options;
        options.width = parser.value(width).toInt();
        if (options.width < 320) {
            std::fprintf(stderr, "nnscope: --width is at least 320\n");
            return 2;
        }
        if (const QString error = start_lab(window); !error.isEmpty()) {
            std::fprintf(stderr, "nnscope: %s\n", qPrintable(error));
            return 1;
        }
        return nnscope::ui::takeLabScreenshot(window, parser.value(shot), options);
    }
    if (parser.isSet(shot)) {
        if (file.isEmpty()) {
            std::fprintf(stderr, "nnscope: no FILE given and no bundled model found\n");
            return 1;
        }
        nnscope::ui::MainWindow window(nullptr, false);
        nnscope::ui::ScreenshotOptions options;
        options.page = parser.value(page).toInt() - 1;
        options.width = parser.value(width).toInt();
        options.run = parser.value(o.run);
        options.module = parser.value(o.module);
        options.target = parser.value(o.target).toInt();
        if (options.page < 0 || options.page >= window.workspaceCount() || options.width < 320) {
            std::fprintf(stderr, "nnscope: --page is 1..%d and --width at least 320\n",
                         window.workspaceCount());
            return 2;
        }
        start_compare(window);
        return nnscope::ui::takeScreenshot(window, file, parser.value(shot), options);
    }
    nnscope::ui::MainWindow window;
    window.show();
    if (!file.isEmpty()) window.openFile(file);
    start_compare(window);
    if (in_train) {
        auto* train = window.findChild<nnscope::ui::TrainPage*>();
        for (int i = 0; i < window.workspaceCount(); ++i)
            if (window.workspace(i) == train) window.showWorkspace(i);
        if (const QString error = train->openConfig(parser.value(options.train));
            !error.isEmpty()) {
            std::fprintf(stderr, "nnscope: %s\n", qPrintable(error));
            return 1;
        }
    }
    if (in_lab) {
        if (const QString error = start_lab(window); !error.isEmpty()) {
            std::fprintf(stderr, "nnscope: %s\n", qPrintable(error));
            return 1;
        }
    }
    return QApplication::exec();
}
