#!/usr/bin/env bash
# Fetches a pinned llama.cpp engine pack (one of node-llama-cpp's platform packages) with npm, checks the tarball
# against the sha512 integrity pinned in the pom, keeps only the native libraries and the build metadata, and
# caches the result, so later builds (and CI reruns) reuse it:
#
#   build/engine-pack.sh PACKAGE VERSION INTEGRITY CACHE_DIR [COPY_TO]
#
# leaves CACHE_DIR/<pack>-<version>/ (flat: libllama*, libggml*, _nlcBuildMetadata.json, package.json, LICENSE) and,
# with COPY_TO, a copy in COPY_TO/<pack>/. Without npm, or when the fetch or the check fails, it says so and exits 0:
# Hearth then has only its built-in b4916 engine, and the tests that need the pack skip.
set -uo pipefail

pkg="$1" version="$2" integrity="$3" cache="$4" copy_to="${5:-}"
pack="${pkg##*/}"                      # @node-llama-cpp/linux-x64 -> linux-x64
target="$cache/$pack-$version"
say() { printf '[engine-pack] %s\n' "$*" >&2; }

if [[ ! -f "$target/_nlcBuildMetadata.json" ]]; then
    if ! command -v npm >/dev/null 2>&1; then
        say "npm is not installed: not fetching $pkg@$version; Hearth gets only its built-in b4916 engine."
        exit 0
    fi
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    say "fetching $pkg@$version with npm pack"
    if ! (cd "$work" && npm pack --silent "$pkg@$version" >npm.out 2>npm.err); then
        say "npm pack failed ($(tail -n 1 "$work/npm.err" 2>/dev/null)); going on with b4916 only."
        exit 0
    fi
    tgz="$(ls "$work"/*.tgz 2>/dev/null | head -n 1)"
    actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
    if [[ "$actual" != "$integrity" ]]; then
        say "REFUSED: $pkg@$version has integrity $actual, the pom pins $integrity; going on with b4916 only."
        exit 0
    fi
    mkdir -p "$work/x" && tar -xzf "$tgz" -C "$work/x" || { say "cannot unpack $tgz"; exit 0; }
    bins="$(ls -d "$work"/x/package/bins/*/ 2>/dev/null | head -n 1)"
    [[ -n "$bins" && -f "$bins/_nlcBuildMetadata.json" ]] || { say "$pkg@$version holds no bins/<platform>/ folder"; exit 0; }
    mkdir -p "$work/keep"
    find "$bins" -maxdepth 1 -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.dylib' -o -name '*.dll' \
        -o -name '_nlcBuildMetadata.json' \) -exec cp -p {} "$work/keep/" \;
    cp -p "$work/x/package/package.json" "$work/x/package/LICENSE" "$work/keep/" 2>/dev/null || true
    mkdir -p "$cache" && rm -rf "$target.part" && mv "$work/keep" "$target.part" && mv -T "$target.part" "$target"
    say "cached $pkg@$version in $target"
fi
if [[ -n "$copy_to" ]]; then
    rm -rf "${copy_to:?}/$pack" && mkdir -p "$copy_to" && cp -rp "$target" "$copy_to/$pack"
fi
exit 0
