#!/usr/bin/env bash
# `cmake --install` into a staging folder puts exactly what a desktop app
# needs in place, both validators accept the launcher entry and AppStream
# data, the man page covers everything --help and the headless door offer,
# and bash completion completes.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

stage=$work/stage
DESTDIR=$stage cmake --install "$build" --prefix /usr >/dev/null
usr=$stage/usr
id=org.attune.Attune

# Exactly these files, nothing from tests or benchmarks.
expected=(
  bin/attune bin/attune-discovery
  share/applications/$id.desktop
  share/metainfo/$id.metainfo.xml
  share/icons/hicolor/scalable/apps/$id.svg
  share/man/man1/attune.1.gz share/man/man1/attune-discovery.1.gz
  share/bash-completion/completions/attune share/bash-completion/completions/attune-discovery
  share/doc/attune/copyright share/doc/attune/changelog.gz
)
for size in 16 24 32 48 64 128 256 512; do expected+=("share/icons/hicolor/${size}x${size}/apps/$id.png"); done
diff <(printf '%s\n' "${expected[@]}" | sort) <(cd "$usr" && find . -type f -printf '%P\n' | sort) ||
  fail "cmake --install put other files in place than expected (diff above: < missing, > extra)"

# Each PNG is the size its folder says.
for size in 16 24 32 48 64 128 256 512; do
  png=$usr/share/icons/hicolor/${size}x${size}/apps/$id.png
  read -r w h < <(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4, $7*256+$8}')
  [ "$w" = "$size" ] && [ "$h" = "$size" ] || fail "$png is ${w}x${h}, not ${size}x${size}"
done

desktop=$usr/share/applications/$id.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate refused $desktop"
appstreamcli validate --no-net "$usr/share/metainfo/$id.metainfo.xml" ||
  fail "appstreamcli refused the metainfo"
grep -qx "Icon=$id" "$desktop" || fail "the launcher's Icon is not $id"
grep -qx "StartupWMClass=$id" "$desktop" || fail "the launcher's StartupWMClass is not $id"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$usr/share/metainfo/$id.metainfo.xml" ||
  fail "the metainfo does not launch $id.desktop"

attune=$usr/bin/attune
man_text() {
  local page=$1 warnings=$work/groff-warnings
  zcat "$page" | LC_ALL=C.UTF-8 MANWIDTH=200 man --warnings -E UTF-8 -l -Tutf8 - 2>"$warnings" | col -bx
  [ ! -s "$warnings" ] || fail "groff warns about $page: $(cat "$warnings")"
}
man_text "$usr/share/man/man1/attune.1.gz" >"$work/attune.txt"
man_text "$usr/share/man/man1/attune-discovery.1.gz" >"$work/discovery.txt"
# The text of one section (NAME .. next all-caps heading).
section() { awk -v s="$2" '/^[A-Z][A-Z ]+$/ {on = ($0 == s)} on' "$1"; }

# Every option and subcommand --help shows, at every level.
covers_help() {
  local text=$1
  shift
  local help
  help=$("$@" --help)
  for word in $(grep -oE -- '(^|[ ,])-{1,2}[a-zA-Z][a-zA-Z0-9-]*' <<<"$help" | tr -d ' ,' | sort -u); do
    grep -qF -- "$word" "$text" || fail "'$*' offers $word, the man page doesn't say so"
  done
  for sub in $(awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} /^$/ {on = 0}' <<<"$help"); do
    grep -qE "^ +$(basename "$1") .*$sub" "$text" || fail "'$*' has the command $sub, the man page doesn't"
    covers_help "$text" "$@" "$sub"
  done
}
covers_help "$work/attune.txt" "$attune"
covers_help "$work/discovery.txt" "$usr/bin/attune-discovery"

# Every headless command, as the running program lists them.
data=$work/data
commands=$(printf 'help\nquit\n' | "$attune" --headless --data-dir "$data" host --name Check --bind 127.0.0.1 |
  jq -r 'select(.event == "help") | .commands[] | .usage | split(" ")[0]')
[ -n "$commands" ] || fail "the headless help listed no commands"
section "$work/attune.txt" "HEADLESS COMMANDS" >"$work/commands.txt"
for c in $commands; do
  grep -qE "^ +$c( |$)" "$work/commands.txt" || fail "the headless command '$c' is missing from the man page"
done

# Every event the headless door prints (its source is the list of truth).
section "$work/attune.txt" "EVENTS" >"$work/events.txt"
events=$(grep -ohE '\{"event", "[a-z_]+"\}' "$src"/peer/cli/*.cpp | sed -E 's/.*"([a-z_]+)"\}/\1/' | sort -u)
[ -n "$events" ] || fail "found no events in peer/cli"
for e in $events; do
  grep -qE "^ +$e( |$)" "$work/events.txt" || fail "the event '$e' is missing from the man page"
done

# Every exit code --help names.
section "$work/attune.txt" "EXIT STATUS" >"$work/exit.txt"
codes=$("$attune" --help | grep -oE '(Exit codes:|;) [0-9]+ ' | grep -oE '[0-9]+')
[ "$(wc -w <<<"$codes")" -ge 7 ] || fail "--help names too few exit codes: $codes"
for c in $codes; do
  grep -qE "^ +$c " "$work/exit.txt" || fail "exit code $c is missing from the man page"
done

# Bash completion completes commands, options and values.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _attune; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$usr/share/bash-completion/completions/attune" "$@"
}
[ "$(complete_words attune ho)" = host ] || fail "completion: 'attune ho' did not become host"
complete_words attune host --na | grep -qx -- --name || fail "completion: 'attune host --na' lacks --name"
[ "$(complete_words attune join --role partner-)" = "$(printf 'partner-a\npartner-b')" ] ||
  fail "completion: --role does not offer the seats"
complete_words attune devices f | grep -qx forget || fail "completion: 'attune devices f' lacks forget"
mkdir -p "$work/dirs/only-this-one"
[ "$(complete_words attune --data-dir "$work/dirs/on")" = "$work/dirs/only-this-one" ] ||
  fail "completion: --data-dir does not complete folders"
echo "installed files, validators, man page and completion: all good"
