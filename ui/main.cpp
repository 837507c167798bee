// nnscope [FILE] opens the window; nnscope --screenshot OUT.png [FILE] renders it to a PNG and
// exits. Without FILE the bundled mlp is shown, so a first start shows something real.

#include "ui/app_paths.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"
#include "ui/screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
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
    if (parser.isSet(shot)) {
        if (file.isEmpty()) {
            std::fprintf(stderr, "nnscope: no FILE given and no bundled model found\n");
            return 1;
        }
        nnscope::ui::MainWindow window(nullptr, false);
        return nnscope::ui::takeScreenshot(window, file, parser.value(shot));
    }
    nnscope::ui::MainWindow window;
    window.show();
    if (!file.isEmpty()) window.openFile(file);
    return QApplication::exec();
}
