# Sourced by the side-by-side benchmarks (step.sh, train.sh, load.sh): installs PyTorch and
# OpenBLAS from Debian when missing (needs root) and, unless --no-build was given, builds
# nnscope-cli in the release preset. Expects $root; leaves the other arguments in $args and
# NNSCOPE_CLI exported.
build=1
args=()
for arg in "$@"; do
    if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done

if ! /usr/bin/python3 -c "import torch" 2>/dev/null \
    || ! dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q 'install ok installed'; then
    echo "bench: installing python3-torch and libopenblas0-pthread" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q libopenblas0-pthread python3-torch
fi

if [ -z "${NNSCOPE_CLI:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target nnscope-cli) >&2
fi

export NNSCOPE_CLI="${NNSCOPE_CLI:-$root/build/release/src/nnscope-cli}"
