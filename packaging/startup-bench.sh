#!/usr/bin/env bash
# Measures how long Hearth's window takes to become interactive: starts the real window under Xvfb N times and
# reports the ready time and the CPU time used by then, from the "startup:" line that the window logs.
#
#   packaging/startup-bench.sh [--runs N] [--fresh] [--keep] [COMMAND...]
#
#   COMMAND   what starts the window, run with bash -c in the repository root; default ./hearth. Several commands are
#             run interleaved (A B A B …) so that their figures are comparable on a busy machine, e.g.
#             packaging/startup-bench.sh 'HEARTH_AOT=off ./hearth' './hearth' 'packaging/target/Hearth/bin/Hearth'
#   --runs N  timed starts per command (default 10)
#   --fresh   every start gets an empty HEARTH_HOME (default: one data folder per command, used once untimed first,
#             so the timed starts are warm: data folder, session log, settings and caches exist)
#   --keep    keep the data folders (their logs hold the per-phase "startup:" lines)
#
# "Interactive" is what the window logs as "window ready": the first frame with the open section's content has been
# rendered and the FX thread has run everything start() queued, so the next click is handled at once. It is measured
# from the start of the process (the launcher script's own work included), so JVM start, class loading, JavaFX
# start and the first frame all count; the "startup:" line also gives each phase. Each start runs with
# HEARTH_QUIT_WHEN_READY=1, so the window closes itself once ready. Needs xvfb-run. Run it without nice, and say what the load average was (printed at the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=10 fresh=false keep=false commands=()
while (( $# )); do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --fresh) fresh=true; shift ;;
        --keep) keep=true; shift ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "startup-bench: unknown option $1 (try --help)" >&2; exit 2 ;;
        *) commands+=("$1"); shift ;;
    esac
done
(( ${#commands[@]} )) || commands=(./hearth)
command -v xvfb-run >/dev/null || { echo "startup-bench: needs xvfb-run (apt-get install xvfb xauth)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-startup.XXXXXX")"
$keep || trap 'rm -rf "$work"' EXIT
declare -a ready cpus

# ready_lines HOME: how many "startup:" lines the window's logs in HOME hold.
ready_lines() { cat "$1"/logs/hearth.log* 2>/dev/null | grep -c "startup: " || true; }

# start_once INDEX HOME: starts command INDEX with HEARTH_HOME=HOME, waits for its "startup:" line, stops it and
# prints "READY_MS CPU_MS" (or "failed").
start_once() {
    local index="$1" home="$2" before pid ms="" line waited=0
    mkdir -p "$home"; before="$(ready_lines "$home")"
    # its own process group, so the window, Xvfb and anything they started are stopped together
    HEARTH_HOME="$home" HEARTH_QUIT_WHEN_READY=1 setsid xvfb-run -a -s "-screen 0 1280x1024x24" bash -c "cd '$root' && ${commands[$index]}" \
        >"$home/out.txt" 2>&1 &
    pid=$!
    while (( waited < 1800 )); do  # at most 3 min (the first start after a build also makes the AOT cache)
        if (( "$(ready_lines "$home")" > before )); then
            line="$(cat "$home"/logs/hearth.log* | grep "startup: " | tail -n 1)"
            ms="$(sed 's/.*ready \([0-9]*\) ms.*/\1/' <<<"$line") $(sed -n 's/.*cpu \([0-9]*\) ms.*/\1/p' <<<"$line")"
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1; waited=$((waited + 1))
    done
    # it closes itself once ready (HEARTH_QUIT_WHEN_READY); what is left after 20 s more is stopped
    while (( waited < 2000 )) && kill -0 "$pid" 2>/dev/null; do sleep 0.1; waited=$((waited + 1)); done
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sleep 1 # let the machine settle before the next start
    if [[ -n "$ms" ]]; then echo "$ms"; else echo failed; cat "$home/out.txt" >&2; fi
}

for i in "${!commands[@]}"; do
    mkdir -p "$work/$i"
    $fresh || { printf 'warming %s … ' "${commands[$i]}"; start_once "$i" "$work/$i/home" >/dev/null; echo done; }
done
for ((r = 1; r <= runs; r++)); do
    for i in "${!commands[@]}"; do
        home="$work/$i/home"; $fresh && home="$work/$i/fresh-$r"
        read -r ms cpu < <(start_once "$i" "$home")
        ready[$i]="${ready[$i]:-} $ms"
        [[ -n "${cpu:-}" ]] && cpus[$i]="${cpus[$i]:-} $cpu"
        printf 'run %2d  ready %-6s cpu %-6s %s\n' "$r" "$ms" "${cpu:--}" "${commands[$i]}"
    done
done

# stats "N N …": "median (min–max)" of the numbers, ignoring "failed"
stats() {
    local sorted n median
    mapfile -t sorted < <(printf '%s\n' $1 | grep -E '^[0-9]+$' | sort -n)
    n=${#sorted[@]}
    (( n )) || { echo "-"; return; }
    if (( n % 2 )); then median=${sorted[n / 2]}; else median=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
    echo "$median (${sorted[0]}–${sorted[n - 1]})"
}
echo
printf '%-22s %-22s %s\n' "ready ms: median (min–max)" "cpu ms: median (min–max)" command
for i in "${!commands[@]}"; do
    printf '%-27s %-24s %s\n' "$(stats "${ready[$i]:-}")" "$(stats "${cpus[$i]:-}")" "${commands[$i]}"
done
$fresh && echo "(fresh data folder each start)" || echo "(warm: data folder used once before the timed starts)"
$keep && echo "data folders kept in $work"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
