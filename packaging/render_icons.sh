#!/usr/bin/env bash
# Renders resources/icons/io.github.nnscope.nnscope.svg to the hicolor PNG sizes under
# resources/icons/hicolor/. Run it after editing the SVG and commit its outputs: the PNGs are
# committed rather than rendered at build time so that building and packaging need no SVG
# renderer, and a size that renders badly can be looked at (and the SVG fixed) before it ships.
# Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
svg="$root/resources/icons/io.github.nnscope.nnscope.svg"
for size in 16 22 24 32 48 64 128 256; do
    out="$root/resources/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$out"
    rsvg-convert --width "$size" --height "$size" "$svg" --output "$out/io.github.nnscope.nnscope.png"
done
