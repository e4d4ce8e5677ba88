#!/usr/bin/env bash
# Builds Hearth's Linux app image and .deb, installs the .deb and checks that the installed app works:
#   packaging/smoke-test.sh                  app image + .deb: install (dpkg -i as root, else dpkg-deb -x into a
#                                            temporary root), CLI, window screenshot, dpkg -r
#   packaging/smoke-test.sh --app-image-only the app image only (what CI runs; about 2 minutes)
#   packaging/smoke-test.sh --jars-built     package the jars already in app/target (CI, right after ./mvnw verify)
#                                            with packaging/Package.java, instead of running Maven again
#   packaging/smoke-test.sh --no-build       reuse what is in packaging/target/ (with either of the above)
# Checks: `hearth --version`; `hearth models make-fixture`, `hearth models info` and `hearth run` (an engine worker
# started from inside the image) on that fixture; the image holds only this platform's llama.cpp library; nothing is
# written into the installation; the data folder is the OS one (XDG); the window opens under Xvfb with the fixture in
# the Models view, screenshot in packaging/target/smoke-*.png. Exits non-zero on the first failed check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/packaging/target"
app_image_only=false build=maven
for arg in "$@"; do
    case "$arg" in
        --app-image-only) app_image_only=true ;;
        --jars-built) build=jars ;;
        --no-build) build=none ;;
        *) echo "usage: $0 [--app-image-only] [--jars-built | --no-build]" >&2; exit 2 ;;
    esac
done

step() { printf '\n== smoke: %s\n' "$*"; }
fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }
sudo_cmd=(); [[ "$(id -u)" == 0 ]] || sudo_cmd=(sudo -n)

# A JDK 25 for the build (the default java may be older).
if [[ -z "${JAVA_HOME:-}" ]] || ! grep -q '^JAVA_VERSION="2[5-9]' "$JAVA_HOME/release" 2>/dev/null; then
    for c in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*; do
        if [[ -x "$c/bin/jpackage" ]] && grep -q '^JAVA_VERSION="2[5-9]' "$c/release" 2>/dev/null; then
            export JAVA_HOME="$c"; break
        fi
    done
fi
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jpackage" ]] || fail "no JDK 25 with jpackage found; set JAVA_HOME"

# Tools for the window check: Xvfb, xwininfo, xwd and ImageMagick's convert.
need=()
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
command -v xwininfo >/dev/null || need+=(x11-utils)
command -v xwd >/dev/null || need+=(x11-apps)
command -v convert >/dev/null || need+=(imagemagick)
if (( ${#need[@]} )); then
    step "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" \
        || fail "cannot install ${need[*]}"
fi

types=app-image; $app_image_only || types=app-image,deb
case "$build" in
    maven)
        step "building $types (./mvnw -Ppackage -DskipTests package)"
        (cd "$root" && ./mvnw -B -q -Ppackage -DskipTests -Dhearth.package.types="$types" package) || fail "the package build failed" ;;
    jars)
        [[ -f "$root/app/target/hearth-app.jar" ]] || fail "no app/target/hearth-app.jar: run ./mvnw package first"
        step "building $types from app/target (java packaging/Package.java)"
        (cd "$root" && "$JAVA_HOME/bin/java" packaging/Package.java --types "$types") || fail "the package build failed" ;;
esac
image="$target/Hearth"
[[ -x "$image/bin/Hearth" ]] || fail "no app image at $image"

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-smoke.XXXXXX")"
cleanup() { [[ -n "${installed_deb:-}" ]] && "${sudo_cmd[@]}" dpkg -r hearth >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
# The OS data and cache folders (XDG), in a temporary place: no HEARTH_HOME, so the default rule is what is tested.
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
unset HEARTH_HOME

# check_install NAME APP_DIR LAUNCHER: the CLI, the image's contents and the window of one installed copy.
check_install() {
    local name="$1" app="$2" hearth="$3" out
    step "$name: CLI through $hearth"
    local marker="$work/marker-$name"; touch "$marker"; sleep 1

    out="$("$hearth" --version)" || fail "hearth --version exited non-zero"
    echo "$out"
    grep -q '^Hearth ' <<<"$out" || fail "hearth --version printed no version"

    local model="$work/smoke-$name.gguf"
    "$hearth" models make-fixture "$model" || fail "hearth models make-fixture failed"
    out="$("$hearth" models info "$model")" || fail "hearth models info failed"
    echo "$out" | head -n 4
    grep -q 'Architecture: *llama' <<<"$out" || fail "hearth models info did not read the fixture's architecture"
    # A real generation: an engine worker started from inside the image, the native library extracted to the cache.
    out="$("$hearth" run --model "$model" --prompt "Hello" --max-tokens 8 --temperature 0 --json)" \
        || fail "hearth run on the fixture failed"
    grep -q '"stats"' <<<"$out" || fail "hearth run printed no stats line"
    echo "hearth run (engine worker): $(tail -n 1 <<<"$out")"
    ls "$XDG_CACHE_HOME"/hearth/native/*/*/libjllama.* >/dev/null 2>&1 \
        || fail "the native library was not extracted into the user's cache folder"
    if "$hearth" "$work/no-such-model.gguf" 2>/dev/null; then fail "a missing model file did not fail"; fi

    step "$name: contents"
    local natives
    natives="$(unzip -l "$app"/lib/app/llama-*.jar | grep -oE 'de/kherud/llama/[^ ]+\.(so|dylib|dll)$' || true)"
    echo "llama.cpp libraries in the image: $natives"
    [[ "$(wc -l <<<"$natives")" == 1 && "$natives" == de/kherud/llama/Linux/* ]] \
        || fail "the image should hold exactly this platform's llama.cpp library"
    [[ -x "$app/lib/runtime/bin/java" ]] || fail "the runtime has no bin/java (engine workers need it)"
    # How a child process of the app (an engine worker) starts: the image's own java with the image's class path.
    "$app/lib/runtime/bin/java" --enable-native-access=ALL-UNNAMED -cp "$app/lib/app/*" dev.hearth.app.Main --version \
        | grep -q '^Hearth ' || fail "the image's bin/java cannot start Hearth from lib/app"
    echo "lib/runtime/bin/java -cp 'lib/app/*' dev.hearth.app.Main --version: ok"
    [[ -f "$app/lib/share/doc/LICENSE" ]] || fail "no licence text in the image"
    # The package scripts' desktop integration must never fail, even where nothing can be written.
    sh "$app/lib/share/desktop-integration.sh" install /proc/hearth-smoke 2>/dev/null \
        || fail "desktop-integration.sh failed on an unwritable prefix"

    step "$name: window under Xvfb"
    local shot="$target/smoke-$name.png" log="$work/window-$name.log"
    xvfb-run -a -s "-screen 0 1280x860x24" bash -c '
        "$1" "$2" >"$3" 2>&1 & pid=$!
        for _ in $(seq 1 120); do   # up to 2 minutes on a busy 2-core machine
            sleep 1
            # The main window (min. 720 px wide), not GTK s 10x10 helper window of the same name.
            if xwininfo -root -tree | grep -E "\"Hearth\": .* [0-9]{3,}x[0-9]{3,}\+" >/dev/null; then break; fi
            kill -0 $pid 2>/dev/null || { echo "the app exited early" >&2; exit 1; }
        done
        sleep 6   # the model is read off the UI thread; let it show
        xwininfo -root -tree | grep "\"Hearth\"" >&2
        xwd -root -silent | convert xwd:- "$4"
        kill $pid; wait $pid 2>/dev/null; exit 0' _ "$hearth" "$model" "$log" "$shot" \
        || { cat "$log" >&2; fail "the window did not open"; }
    [[ -s "$shot" ]] || fail "no screenshot"
    echo "screenshot: $shot"
    [[ -f "$XDG_DATA_HOME/hearth/logs/hearth.log" || -f "$XDG_DATA_HOME/hearth/logs/hearth.log.0" ]] \
        || fail "no log in the OS data folder $XDG_DATA_HOME/hearth"
    grep -E "Exception|Error" "$log" && fail "the window printed errors (above)"

    step "$name: nothing written into $app"
    local written; written="$(find "$app" -newer "$marker" 2>/dev/null | head -n 5)"
    [[ -z "$written" ]] || fail "files written inside the installation: $written"
    echo "ok"
}

check_install app-image "$image" "$image/bin/Hearth"

if ! $app_image_only; then
    deb="$(ls -t "$target"/hearth_*.deb 2>/dev/null | head -n 1)"
    [[ -f "$deb" ]] || fail "no .deb in $target"
    step "the .deb: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
    size=$(stat -c %s "$deb")
    (( size <= 120 * 1024 * 1024 )) || fail "the .deb is larger than 120 MB"
    can_install=false
    if [[ "$(id -u)" == 0 ]] || sudo -n true 2>/dev/null; then can_install=true; fi
    if $can_install; then
        "${sudo_cmd[@]}" dpkg -i "$deb" || fail "dpkg -i failed"
        installed_deb=yes
        dpkg -s hearth | grep -q '^Status: install ok installed' || fail "the package is not fully installed"
        [[ -x /usr/bin/hearth ]] || fail "no /usr/bin/hearth"
        [[ -f /usr/share/applications/dev.hearth.Hearth.desktop ]] || fail "no desktop entry"
        grep -q '^Exec=/opt/hearth/bin/Hearth %f' /usr/share/applications/dev.hearth.Hearth.desktop || fail "desktop entry Exec"
        [[ -f /usr/share/metainfo/dev.hearth.Hearth.metainfo.xml ]] || fail "no AppStream metadata"
        [[ -f /usr/share/mime/packages/dev.hearth.Hearth.xml ]] || fail "no MIME type"
        [[ -f /usr/share/icons/hicolor/256x256/apps/dev.hearth.Hearth.png ]] || fail "no icon"
        if command -v desktop-file-validate >/dev/null; then desktop-file-validate /usr/share/applications/dev.hearth.Hearth.desktop; fi
        check_install deb /opt/hearth /usr/bin/hearth
        step "dpkg -r hearth"
        "${sudo_cmd[@]}" dpkg -r hearth || fail "dpkg -r failed"
        installed_deb=
        [[ ! -e /usr/bin/hearth && ! -e /usr/share/applications/dev.hearth.Hearth.desktop && ! -e /opt/hearth/bin/Hearth ]] \
            || fail "dpkg -r left files behind"
        "${sudo_cmd[@]}" dpkg -P hearth >/dev/null || fail "dpkg -P failed"
        echo "removed and purged"
    else
        step "not root: unpacking the .deb into a temporary root (dpkg-deb -x)"
        dpkg-deb -x "$deb" "$work/root"
        check_install deb "$work/root/opt/hearth" "$work/root/opt/hearth/bin/Hearth"
    fi
fi
step "all checks passed"
ls -l "$target"/*.deb "$target"/*.rpm 2>/dev/null || true
du -sh "$image"
