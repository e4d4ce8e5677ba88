#!/bin/sh
# Hearth's desktop integration on Linux: the menu entry, the .gguf file type, the icons, the AppStream metadata and
# the `hearth` command. Installed with the app (<app>/lib/share/desktop-integration.sh) and called by the .deb's and
# .rpm's own install scripts:   desktop-integration.sh install|remove [PREFIX]   (PREFIX: /usr by default)
#
# It copies files into PREFIX/share and links PREFIX/bin/hearth to the launcher. It never fails: a folder that does
# not exist is created, a step that cannot be done is reported and skipped, and the cache tools (update-mime-database,
# update-desktop-database, gtk-update-icon-cache) run only when present. So installing or removing the package works
# on a minimal system too, unlike xdg-desktop-menu ("No writable system menu directory found").
set -u
action="${1:-}"
prefix="${2:-/usr}"
id=dev.hearth.Hearth
here="$(cd "$(dirname "$0")" && pwd)"
app="$(cd "$here/../.." && pwd)"          # <app>/lib/share → <app>
launcher="$app/bin/Hearth"
share="$prefix/share"

say() { echo "hearth desktop integration: $*" >&2; }

put() { # put SOURCE TARGET: copy one file, creating its folder
    mkdir -p "$(dirname "$2")" 2>/dev/null && cp "$1" "$2" 2>/dev/null && chmod 644 "$2" 2>/dev/null \
        || say "skipped $2 (cannot write there)"
}

icons() { # the icon files shipped with the app, as paths relative to share/
    (cd "$here" && find icons -type f -name "$id.*" 2>/dev/null)
}

refresh() {
    if command -v update-mime-database >/dev/null 2>&1 && [ -d "$share/mime" ]; then
        update-mime-database "$share/mime" >/dev/null 2>&1 || say "update-mime-database failed (ignored)"
    fi
    if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$share/applications" ]; then
        update-desktop-database -q "$share/applications" >/dev/null 2>&1 || say "update-desktop-database failed (ignored)"
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$share/icons/hicolor" >/dev/null 2>&1 || true
    fi
}

case "$action" in
    install)
        if [ ! -x "$launcher" ]; then say "no launcher at $launcher; nothing installed"; exit 0; fi
        tmp="$(mktemp 2>/dev/null || echo "/tmp/$id.desktop.$$")"
        if sed "s|@LAUNCHER@|$launcher|g" "$here/applications/$id.desktop" > "$tmp" 2>/dev/null; then
            put "$tmp" "$share/applications/$id.desktop"
        fi
        rm -f "$tmp"
        put "$here/mime/packages/$id.xml" "$share/mime/packages/$id.xml"
        put "$here/metainfo/$id.metainfo.xml" "$share/metainfo/$id.metainfo.xml"
        for icon in $(icons); do put "$here/$icon" "$share/$icon"; done
        # The command line as `hearth`; an existing `hearth` that is not ours is left alone.
        if [ -L "$prefix/bin/hearth" ] || [ ! -e "$prefix/bin/hearth" ]; then
            mkdir -p "$prefix/bin" 2>/dev/null
            ln -sf "$launcher" "$prefix/bin/hearth" 2>/dev/null || say "skipped $prefix/bin/hearth (cannot write there)"
        else
            say "$prefix/bin/hearth exists and is not a link; run $launcher instead"
        fi
        refresh
        ;;
    remove)
        rm -f "$share/applications/$id.desktop" "$share/mime/packages/$id.xml" "$share/metainfo/$id.metainfo.xml"
        for icon in $(icons); do rm -f "$share/$icon"; done
        if [ -L "$prefix/bin/hearth" ] && [ "$(readlink "$prefix/bin/hearth")" = "$launcher" ]; then
            rm -f "$prefix/bin/hearth"
        fi
        refresh
        ;;
    *)
        say "usage: $0 install|remove [PREFIX]"
        ;;
esac
exit 0
