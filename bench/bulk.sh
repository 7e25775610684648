#!/bin/sh
# Bulk conversion of a compressed corpus against decompressing it: times
# `cablex convert BUNDLE -t jsonl` at -j1 and -j2 against `gzip -dc` and
# `igzip -dc` of the same tar.gz, in the same run (hyperfine medians), then
# the same for a zip bundle and for .jsonl.gz output, with the peak RSS of
# every cablex run (GNU time).  Prints one table per corpus size.
#
# usage: bench/bulk.sh [-b BUILD_DIR] [-c CACHE_DIR] [-r RUNS] [-n "COUNT..."]
#   BUILD_DIR  where cablex was built            (default: build)
#   CACHE_DIR  where the corpora are kept        (default: bench/.cache)
#   RUNS       timed runs per command            (default: 5, plus 1 warm-up)
#   COUNT      corpus sizes in cables            (default: "20000 251287")
# needs: ../shared/tools/make-corpus, hyperfine, GNU time (/usr/bin/time),
#        gzip, igzip (Debian: isal), bsdtar (for the zip baseline)
#
# The corpora (made by make-corpus --layout raw --pack tar.gz / zip; the
# full one is about 1 GB compressed, 2.6 GB of text) are built once and
# kept in CACHE_DIR.  The goal (issue 4): at -j2, ratio to gzip -dc <= 1.0
# and peak memory under 64 MiB at every size.  When this cablex has no -j
# option yet, only -j1 (no flag) is timed; when it cannot read bundles,
# only the baselines are.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
cache=$top/bench/.cache
runs=5
counts="20000 251287"
while getopts b:c:r:n: opt; do
  case $opt in
  b) build=$OPTARG ;;
  c) cache=$OPTARG ;;
  r) runs=$OPTARG ;;
  n) counts=$OPTARG ;;
  *) sed -n '9,14p' "$0" >&2; exit 2 ;;
  esac
done
cablex=$build/cablex
make_corpus=$top/../shared/tools/make-corpus
for need in "$cablex" "$make_corpus" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done
for tool in hyperfine gzip igzip bsdtar; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not installed" >&2; exit 2; }
done
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# What this cablex can do: -j, and reading a bundle at all.
sample=$top/samples/05ACCRA517.txt
mkdir -p "$tmp/probe/cable"
cp "$sample" "$tmp/probe/cable/"
(cd "$tmp/probe" && bsdtar -czf ../probe.tar.gz cable)
jobs="-j1 -j2"
if ! "$cablex" convert -q -j 2 -t jsonl -o "$tmp/j.jsonl" "$sample" >/dev/null 2>&1; then
  jobs="default"
  echo "note: this cablex has no -j option: timing the default only"
fi
bundles=yes
if ! "$cablex" convert -q -t jsonl -o "$tmp/b.jsonl" "$tmp/probe.tar.gz" >/dev/null 2>&1 ||
  ! grep -q '"id"' "$tmp/b.jsonl"; then
  bundles=no
  echo "note: this cablex cannot read bundles yet: timing the baselines only"
fi
jflag() { [ "$1" = default ] && echo "" || echo "$1"; }

corpus() { # corpus COUNT PACK -> path of the cached corpus
  f=$cache/raw-$1.$2
  if [ ! -s "$f" ]; then
    "$make_corpus" --count "$1" --layout raw --pack "$2" "$f.part" >&2
    mv "$f.part" "$f"
  fi
  echo "$f"
}

rss() { # rss CMD... -> peak RSS in KiB of one run (output thrown away)
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

echo "cablex: $cablex ($("$cablex" --version 2>/dev/null | head -n 1 || echo '?'))"
echo "host: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg); hyperfine medians of $runs runs"
for n in $counts; do
  tgz=$(corpus "$n" tar.gz)
  zip=$(corpus "$n" zip)
  echo
  echo "== $n cables: $(wc -c <"$tgz") bytes tar.gz, $(wc -c <"$zip") bytes zip"
  set -- -n "gzip -dc tar.gz" "gzip -dc $tgz" -n "igzip -dc tar.gz" "igzip -dc $tgz" \
    -n "bsdtar -xOf zip" "bsdtar -xOf $zip"
  if [ "$bundles" = yes ]; then
    for j in $jobs; do
      f=$(jflag "$j")
      set -- "$@" -n "tar.gz -> jsonl $j" "$cablex convert -q $f -t jsonl $tgz"
      set -- "$@" -n "zip -> jsonl $j" "$cablex convert -q $f -t jsonl $zip"
      set -- "$@" -n "tar.gz -> jsonl.gz $j" \
        "$cablex convert -q $f -t jsonl -o $tmp/out.jsonl.gz $tgz"
    done
  fi
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$tmp/t$n.json" "$@" >"$tmp/h$n.txt"
  : >"$tmp/rss$n"
  if [ "$bundles" = yes ]; then
    for j in $jobs; do
      f=$(jflag "$j")
      # shellcheck disable=SC2086
      {
        echo "tar.gz -> jsonl $j	$(rss "$cablex" convert -q $f -t jsonl "$tgz")"
        echo "zip -> jsonl $j	$(rss "$cablex" convert -q $f -t jsonl "$zip")"
        echo "tar.gz -> jsonl.gz $j	$(rss "$cablex" convert -q $f -t jsonl -o "$tmp/out.jsonl.gz" "$tgz")"
      } >>"$tmp/rss$n"
    done
  fi
  /usr/bin/python3 - "$tmp/t$n.json" "$tmp/rss$n" <<'PY'
import json, statistics, sys
res = json.load(open(sys.argv[1]))["results"]
t = {x["command"]: statistics.median(x["times"]) for x in res}
cpu = {x["command"]: x["user"] + x["system"] for x in res}  # means
rss = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if "\t" in l)
gz, igz = t["gzip -dc tar.gz"], t["igzip -dc tar.gz"]
print("%-24s %9s %10s %11s %7s %10s %9s" % ("command", "median s", "/ gzip -dc", "/ igzip -dc",
                                             "cpu s", "cpu/gzip", "peak MiB"))
for name, s in t.items():
    kb = rss.get(name)
    mib = "%.1f" % (int(kb) / 1024) if kb and kb.isdigit() else "-"
    print("%-24s %9.3f %10.2f %11.2f %7.3f %10.2f %9s" % (name, s, s / gz, s / igz, cpu[name],
                                                          cpu[name] / cpu["gzip -dc tar.gz"], mib))
PY
done
