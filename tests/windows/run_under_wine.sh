#!/usr/bin/env bash
# Runs the Windows build of mahalleh under Wine and compares what its verbs print with the Linux
# build's, on the sample map and on the Tehran Shapefile of ../shared/data put in a Persian-named
# folder and named with backslashes. Debian 12's Wine 8 cannot start Rust programs (no
# bcryptprimitives.dll), so Wine 10 runs in a Debian 13 chroot made with debootstrap (as root;
# the chroot is kept in $MAHALLEH_WINE_ROOT, default /work/trixie, and reused).
#
#   tests/windows/run_under_wine.sh            # builds both binaries first (about 12 + 15 minutes cold)
#   MAHALLEH_WINDOWS_EXE=path/mahalleh.exe MAHALLEH_LINUX_BIN=path/mahalleh tests/windows/run_under_wine.sh
#                                              # checks binaries built already
#
# Not part of `.ci/run`: the cross build alone takes longer than the whole test suite. It exits 0
# when every check passes, 1 when one fails, 2 when it cannot run here (not root, no network to
# Debian's packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
root=${MAHALLEH_WINE_ROOT:-/work/trixie}
windows=x86_64-pc-windows-gnu
data=../shared/data/tehran-mahalat

if [ "$(id -u)" != 0 ]; then
    echo "skipped: the Wine chroot needs root (debootstrap, chroot)"
    exit 2
fi
if [ ! -x "$root/usr/bin/wine-stable" ]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
    debootstrap --variant=minbase --include=ca-certificates trixie "$root" http://deb.debian.org/debian >/dev/null \
        || { echo "skipped: debootstrap of Debian 13 failed"; exit 2; }
    chroot "$root" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends wine wine64 libwine xvfb xauth x11-utils xdotool imagemagick libgl1-mesa-dri' >/dev/null \
        || { echo "skipped: installing Wine in the chroot failed"; exit 2; }
fi
for fs in proc sys dev; do
    mountpoint -q "$root/$fs" || mount --bind "/$fs" "$root/$fs"
done

exe=${MAHALLEH_WINDOWS_EXE:-}
if [ -z "$exe" ]; then
    rustup target add "$windows" >/dev/null 2>&1 || true
    command -v x86_64-w64-mingw32-gcc >/dev/null || apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc CARGO_PROFILE_RELEASE_DEBUG=false \
        cargo build --release --locked --target "$windows"
    exe="target/$windows/release/mahalleh.exe"
fi
linux=${MAHALLEH_LINUX_BIN:-}
if [ -z "$linux" ]; then
    cargo build --release --locked
    linux="$repo/target/release/mahalleh"
fi

work="$root/win"
rm -rf "$work"
mkdir -p "$work/داده‌ها"
cp "$exe" "$work/mahalleh.exe"
cp -r maps "$work/"
cp tests/fixtures/yazd-offices.geojson "$work/داده‌ها/دفترها.geojson"
if [ -d "$data" ]; then
    cp "$data"/* "$work/داده‌ها/"
else
    echo "note: $data is missing; the Shapefile checks are left out"
fi

wine() {
    chroot "$root" env HOME=/root WINEDEBUG=-all LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp \
        bash -c "cd /win && wine mahalleh.exe $1" 2>/dev/null | tr -d '\r'
}
failed=0
check() { # name, windows output, linux output
    if [ -n "$2" ] && [ "$2" = "$3" ]; then
        echo "ok: $1"
    else
        echo "FAILED: $1"
        diff <(echo "$2") <(echo "$3") | head -20
        failed=1
    fi
}
without_timings() { grep -v '^timings:' | sed 's#\\#/#g'; }

chroot "$root" env HOME=/root WINEDEBUG=-all bash -c 'wineboot -i' >/dev/null 2>&1 || true
check "info on the sample" \
    "$(wine 'info maps\\yazd-neighbourhoods.geojson' | without_timings)" \
    "$(cd "$work" && "$linux" info maps/yazd-neighbourhoods.geojson | without_timings)"
if [ -d "$data" ]; then
    check "info on Tehran's Shapefile in a Persian folder" \
        "$(wine 'info داده‌ها\\Mahalat_Tehran.shp' | without_timings)" \
        "$(cd "$work" && "$linux" info داده‌ها/Mahalat_Tehran.shp | without_timings)"
    check "locate in Tehran" \
        "$(wine 'locate داده‌ها\\Mahalat_Tehran.shp 51.35 35.75')" \
        "$("$linux" locate "$work/داده‌ها/Mahalat_Tehran.shp" 51.35 35.75)"
fi
check "coverage of the sample by offices in a Persian folder" \
    "$(wine 'coverage --districts maps\\yazd-neighbourhoods.geojson --offices داده‌ها\\دفترها.geojson')" \
    "$(cd "$work" && "$linux" coverage --districts maps/yazd-neighbourhoods.geojson --offices داده‌ها/دفترها.geojson)"
wine 'export --districts maps\\yazd-neighbourhoods.geojson --dpi 100 --out layout.png' >/dev/null
if [ -s "$work/layout.png" ]; then
    echo "ok: a PNG layout written ($(stat -c %s "$work/layout.png") bytes)"
else
    echo "FAILED: no PNG layout"
    failed=1
fi

# The window: the sample map opens in a real window under Xvfb (Mesa's software OpenGL), found
# beside the program; a screenshot is left in $work/window.png to look at.
title=$(chroot "$root" env HOME=/root WINEDEBUG=-all LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp bash -c '
    cd /win
    Xvfb :77 -screen 0 1600x1000x24 >/dev/null 2>&1 & xvfb=$!
    export DISPLAY=:77
    sleep 2
    wine mahalleh.exe >/dev/null 2>&1 &
    for _ in $(seq 60); do
        sleep 1
        title=$(xdotool search --name "^mahalleh —" getwindowname 2>/dev/null | head -1 || true)
        [ -n "$title" ] && break
    done
    sleep 5
    import -window root /win/window.png
    wineserver -k
    kill $xvfb
    echo "$title"')
if [ "$title" = "mahalleh — yazd-neighbourhoods.geojson" ]; then
    echo "ok: the window opened on the sample ($work/window.png)"
else
    echo "FAILED: the window's title is \"$title\""
    failed=1
fi
exit $failed
