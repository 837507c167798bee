// nnscope-gap-probe OUT.json FILE: the longest GUI event-loop gap of the real window (offscreen
// unless a platform is chosen) while FILE opens and its largest tensor's histogram is computed.
// nnscope-gap-probe --lab OUT.json [DATASET]: the same while the lab's batch size is scrubbed.

#include "gap_probe.h"
#include "ui/desktop_palette.h"
#include "ui/main_window.h"

#include <QApplication>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    const bool lab = argc >= 3 && std::strcmp(argv[1], "--lab") == 0;
    if (lab ? argc > 4 : argc != 3) {
        std::fprintf(stderr, "usage: nnscope-gap-probe OUT.json FILE\n"
                             "       nnscope-gap-probe --lab OUT.json [DATASET]\n");
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("nnscope"));
    QApplication::setApplicationName(QStringLiteral("nnscope"));
    nnscope::ui::applyDesktopPalette(app);
    nnscope::ui::MainWindow window(nullptr, false);
    if (lab)
        return nnscope::ui::measureLabGaps(
            window, argc == 4 ? QString::fromLocal8Bit(argv[3]) : QStringLiteral("fashion-mnist"),
            QString::fromLocal8Bit(argv[2]));
    return nnscope::ui::measureGaps(window, QString::fromLocal8Bit(argv[2]),
                                    QString::fromLocal8Bit(argv[1]));
}
