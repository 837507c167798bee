// nnscope [FILE] opens the window; nnscope --screenshot OUT.png [--page N] [--width W] [FILE]
// renders it (page N, 1 the browser as Ctrl+N picks it; W pixels wide) to a PNG and exits. Without
// FILE the bundled mlp is shown, so a first start shows something real.

#include "ui/app_paths.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"
#include "ui/pages/compare_page.h"
#include "ui/screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
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
    QApplication::setOrganizationName(QStringLiteral("nnscope"));
    QApplication::setApplicationName(QStringLiteral("nnscope"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Look inside neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption shot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the window to a PNG file and exit."),
                                  QStringLiteral("OUT.png"));
    parser.addOption(shot);
    const QCommandLineOption page(
        QStringLiteral("page"),
        QStringLiteral("With --screenshot: the page shown (1 the browser, "
                       "2 the DataLoader lab, as Ctrl+N)."),
        QStringLiteral("N"), QStringLiteral("1"));
    parser.addOption(page);
    const QCommandLineOption width(
        QStringLiteral("width"), QStringLiteral("With --screenshot: the window's width in pixels."),
        QStringLiteral("W"), QStringLiteral("1280"));
    parser.addOption(width);
    const QCommandLineOption compare(
        QStringLiteral("compare"),
        QStringLiteral("Compare checkpoint A with FILE on the Compare page (or, when A is a "
                       "folder, its checkpoints as a sequence)."),
        QStringLiteral("A"));
    parser.addOption(compare);
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QStringLiteral("Model file (.pt .pth .bin .ckpt .safetensors .onnx); the bundled mlp "
                       "when absent."),
        QStringLiteral("[FILE]"));
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
