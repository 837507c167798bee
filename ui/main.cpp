// nnscope [FILE] opens the window; nnscope --screenshot OUT.png [--page N] [--width W] [FILE]
// renders it (page N, 1 the browser as Ctrl+N picks it; W pixels wide) to a PNG and exits. Without
// FILE the bundled mlp is shown, so a first start shows something real. --help and --version
// answer without a display.

#include "ui/app_paths.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"
#include "ui/pages/compare_page.h"
#include "ui/screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <cstdio>
#include <cstring>

namespace {

struct Options {
    QCommandLineOption shot{QStringLiteral("screenshot"),
                            QStringLiteral("Render the window to a PNG file and exit."),
                            QStringLiteral("OUT.png")};
    QCommandLineOption page{QStringLiteral("page"),
                            QStringLiteral("With --screenshot: the page shown (1 the browser, "
                                           "2 the DataLoader lab, 3 Compare, as Ctrl+N)."),
                            QStringLiteral("N"), QStringLiteral("1")};
    QCommandLineOption width{QStringLiteral("width"),
                             QStringLiteral("With --screenshot: the window's width in pixels."),
                             QStringLiteral("W"), QStringLiteral("1280")};
    QCommandLineOption compare{
        QStringLiteral("compare"),
        QStringLiteral("Compare checkpoint A with FILE on the Compare page (or, when A is a "
                       "folder, its checkpoints as a sequence)."),
        QStringLiteral("A")};
    QCommandLineOption help;
    QCommandLineOption version;

    explicit Options(QCommandLineParser& parser)
        : help(parser.addHelpOption())
        , version(parser.addVersionOption()) {
        parser.setApplicationDescription(QStringLiteral("Look inside neural networks."));
        parser.addOption(shot);
        parser.addOption(page);
        parser.addOption(width);
        parser.addOption(compare);
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

// --help and --version need no display: answered (and the process ended) before a QApplication
// connects to one. Other options, and errors, are left to the real parse.
void answerHelpAndVersion(int argc, char** argv) {
    QCoreApplication core(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    const Options options(parser);
    parser.parse(QCoreApplication::arguments());
    if (parser.isSet(options.help)) parser.showHelp(0);
    if (parser.isSet(options.version)) parser.showVersion();
}

} // namespace

int main(int argc, char** argv) {
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
    parser.process(app);
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "nnscope: one FILE at most\n");
        return 2;
    }
    QString file = parser.positionalArguments().value(0);
    if (file.isEmpty()) file = nnscope::ui::defaultModelPath();

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
    if (parser.isSet(shot)) {
        if (file.isEmpty()) {
            std::fprintf(stderr, "nnscope: no FILE given and no bundled model found\n");
            return 1;
        }
        nnscope::ui::MainWindow window(nullptr, false);
        nnscope::ui::ScreenshotOptions options;
        options.page = parser.value(page).toInt() - 1;
        options.width = parser.value(width).toInt();
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
    return QApplication::exec();
}
