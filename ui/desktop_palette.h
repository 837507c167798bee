#pragma once
// Light and dark palettes that follow the desktop. Qt 6.4 has no colour-scheme hint (6.5 adds
// QStyleHints::colorScheme), so the desktop's wish is read from what 6.4 exposes: the platform
// theme's palette, GTK_THEME's ":dark" suffix, and NNSCOPE_THEME=dark|light as an override.

class QApplication;
class QPalette;

namespace nnscope::ui {

bool desktopPrefersDark();
// The dark palette nnscope uses when the desktop's theme gives none (tests and screenshots too).
QPalette darkPalette();
// Fusion with a dark palette when the desktop prefers dark but its theme gave a light palette;
// otherwise the platform palette untouched.
void applyDesktopPalette(QApplication& app);

} // namespace nnscope::ui
