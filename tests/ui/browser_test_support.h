#pragma once
// What the browser page's tests share: the bundled cnn, and opening a file until it is shown.

#include "ui/pages/browser_page.h"

#include <QSignalSpy>
#include <QString>
#include <QTest>

namespace nnscope::test {

inline QString cnn_file() {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/cnn.safetensors");
}

// Opens `file` in `page` and waits until it is shown and the page is no longer busy.
inline bool open_and_settle(ui::BrowserPage& page, const QString& file) {
    QSignalSpy shown(&page, &ui::BrowserPage::documentShown);
    page.openFile(file);
    if (!shown.wait(30000)) return false;
    return QTest::qWaitFor([&] { return !page.isBusy(); }, 30000);
}

} // namespace nnscope::test
