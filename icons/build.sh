#!/usr/bin/env bash
# Regenerates every Hearth app icon in this folder from the SVG masters.
#
#   hearth.svg     master for 32 px and up; its structural edges lie on a 16-unit grid,
#                  so the 32 and 64 px renders land on whole pixels
#   hearth-24.svg  hand-hinted master for 24 px (24-unit grid)
#   hearth-16.svg  hand-hinted master for 16 px (16-unit grid)
#
# Outputs: png/hearth-<N>.png (N = 16 24 32 48 64 128 256 512), hearth.ico, hearth.icns.
#
# Debian packages needed:
#   apt-get install -y librsvg2-bin icoutils icnsutils python3
#   librsvg2-bin  rsvg-convert   SVG -> PNG
#   icoutils      icotool        PNGs -> .ico (256 px entry stored as PNG)
#   icnsutils     png2icns       16/32 px legacy is32/il32 entries (+ icns2png -l to inspect)
#   python3                      appends the PNG-compressed .icns entries (ic07..ic14)
set -euo pipefail
cd "$(dirname "$0")"

for tool in rsvg-convert icotool png2icns python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: missing $tool (see the package list at the top)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render() { # render SVG SIZE OUT
  rsvg-convert --width "$2" --height "$2" --keep-aspect-ratio --format png --output "$3" "$1"
}

mkdir -p png
render hearth-16.svg 16 png/hearth-16.png
render hearth-24.svg 24 png/hearth-24.png
for n in 32 48 64 128 256 512; do
  render hearth.svg "$n" "png/hearth-$n.png"
done
render hearth.svg 1024 "$tmp/hearth-1024.png"   # only for the .icns 512@2x entry

# Windows: 16..128 as BMP entries, 256 as a PNG entry (-r), as Windows Vista+ expects.
icotool --create --output=hearth.ico \
  png/hearth-16.png png/hearth-24.png png/hearth-32.png png/hearth-48.png \
  png/hearth-64.png png/hearth-128.png --raw=png/hearth-256.png

# macOS: legacy RLE entries for 16 and 32 (is32/s8mk, il32/l8mk) from png2icns, then
# PNG entries for 128..1024 including the @2x (Retina) variants. png2icns would store
# 256 and up as JPEG 2000, so those are written here as PNG instead.
png2icns "$tmp/legacy.icns" png/hearth-16.png png/hearth-32.png >/dev/null
python3 - "$tmp/legacy.icns" hearth.icns \
  ic11=png/hearth-32.png  ic12=png/hearth-64.png \
  ic07=png/hearth-128.png ic13=png/hearth-256.png \
  ic08=png/hearth-256.png ic14=png/hearth-512.png \
  ic09=png/hearth-512.png ic10="$tmp/hearth-1024.png" <<'PY'
import struct, sys
legacy, out, *entries = sys.argv[1:]
data = open(legacy, "rb").read()
assert data[:4] == b"icns", "png2icns did not write an icns file"
body = data[8:struct.unpack(">I", data[4:8])[0]]
for entry in entries:
    kind, path = entry.split("=", 1)
    png = open(path, "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n", path + " is not a PNG"
    body += kind.encode("ascii") + struct.pack(">I", 8 + len(png)) + png
open(out, "wb").write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
PY

echo "build.sh: wrote png/hearth-{16,24,32,48,64,128,256,512}.png, hearth.ico, hearth.icns"
