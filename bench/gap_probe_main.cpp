// nnscope-gap-probe OUT.json FILE: the longest GUI event-loop gap of the real window (offscreen
// unless a platform is chosen) while FILE opens and its largest tensor's histogram is computed.

#include "gap_probe.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"

#include <QApplication>
#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: nnscope-gap-probe OUT.json FILE\n");
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("nnscope"));
    QApplication::setApplicationName(QStringLiteral("nnscope"));
    nnscope::ui::applyDesktopPalette(app);
    nnscope::ui::MainWindow window(nullptr, false);
    return nnscope::ui::measureGaps(window, QString::fromLocal8Bit(argv[2]),
                                    QString::fromLocal8Bit(argv[1]));
}
