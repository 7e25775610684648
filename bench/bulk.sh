#!/bin/sh
# Bulk conversion of a compressed corpus against decompressing it: times
# `cablex convert BUNDLE -t jsonl` at -j1 and -j2 against `gzip -dc` and
# `igzip -dc` of the same tar.gz, in the same run (hyperfine medians), then
# the same for a zip bundle and for .jsonl.gz output, with the peak RSS of
# every cablex command (GNU time, the largest of its runs).  Prints one
# table per corpus size.
#
# usage: bench/bulk.sh [-b BUILD_DIR | -x CABLEX] [-c CACHE_DIR] [-r RUNS]
#                      [-w WARMUP] [-g GZ_RUNS] [-n "COUNT..."]
#   BUILD_DIR  where cablex was built (its ./cablex)   (default: build)
#   CABLEX     the cablex binary to time (an installed one, say)
#   CACHE_DIR  where the corpora are kept             (default: bench/.cache)
#   RUNS       timed runs per command                 (default: 5)
#   WARMUP     untimed runs before them               (default: 1)
#   GZ_RUNS    runs of the slow .jsonl.gz output       (default: RUNS)
#   COUNT      corpus sizes in cables                 (default: "20000 251287")
# needs: ../shared/tools/make-corpus, hyperfine, GNU time (/usr/bin/time),
#        gzip, igzip (Debian: isal), bsdtar (libarchive-tools, the zip baseline)
#
# The corpora (make-corpus --layout raw --pack tar.gz / zip; the full one is
# about 1 GB compressed, 2.6 GB of text) are built once and kept in
# CACHE_DIR.  The goal (issue 4): at -j2, ratio to gzip -dc <= 1.0 and peak
# memory under 64 MiB at every size.  When this cablex has no -j option,
# only its default is timed; when it cannot read bundles, only the
# baselines are.  Wall-clock medians mean something on an idle machine
# only: the cpu columns (user + system, hyperfine's means) say how much
# work each command did whatever else ran.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cablex=$top/build/cablex
cache=$top/bench/.cache
runs=5
warmup=1
gz_runs=
counts="20000 251287"
while getopts b:x:c:r:w:g:n: opt; do
  case $opt in
  b) cablex=$OPTARG/cablex ;;
  x) cablex=$OPTARG ;;
  c) cache=$OPTARG ;;
  r) runs=$OPTARG ;;
  w) warmup=$OPTARG ;;
  g) gz_runs=$OPTARG ;;
  n) counts=$OPTARG ;;
  *) sed -n '9,17p' "$0" >&2; exit 2 ;;
  esac
done
gz_runs=${gz_runs:-$runs}
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
trap 'exit 130' INT TERM HUP

# What this cablex can do: -j, and reading a bundle at all.
sample=$top/samples/05XXTEST517.txt
mkdir -p "$tmp/probe/cable"
cp "$sample" "$tmp/probe/cable/"
(cd "$tmp/probe" && bsdtar -czf ../probe.tar.gz cable)
jobs="-j1 -j2"
if ! "$cablex" convert -q -j 2 -t jsonl -o "$tmp/j.jsonl" "$sample" >/dev/null 2>&1; then
  jobs="default"
  echo "note: this cablex has no -j option: timing its default only"
fi
last_j=${jobs##* }
bundles=yes
if ! "$cablex" convert -q -t jsonl -o "$tmp/b.jsonl" "$tmp/probe.tar.gz" >/dev/null 2>&1 ||
  ! grep -q '"id"' "$tmp/b.jsonl"; then
  bundles=no
  echo "note: this cablex cannot read bundles: timing the baselines only"
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

# A cablex command as hyperfine runs it: its peak RSS (KiB) of each run is
# appended to $tmp/rss.<slug of NAME>.
measured() { # measured NAME ARGS... -> hyperfine's "-n NAME CMD" pair, in $pair_cmd
  slug=$(echo "$1" | tr -c 'a-zA-Z0-9\n' '_')
  shift
  pair_cmd="/usr/bin/time -f %M -a -o $tmp/rss.$slug $cablex convert -q $*"
}

echo "cablex: $cablex ($("$cablex" --version 2>/dev/null | head -n 1 || echo '?'))"
echo "host: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "hyperfine medians of $runs runs after $warmup warm-up (.jsonl.gz output: $gz_runs, no warm-up)"
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
      measured "tar.gz -> jsonl $j" "$f -t jsonl $tgz"
      set -- "$@" -n "tar.gz -> jsonl $j" "$pair_cmd"
      measured "zip -> jsonl $j" "$f -t jsonl $zip"
      set -- "$@" -n "zip -> jsonl $j" "$pair_cmd"
    done
  fi
  hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$tmp/t$n.json" "$@" >"$tmp/h$n.txt"
  files=$tmp/t$n.json
  if [ "$bundles" = yes ] && [ "$gz_runs" -gt 0 ]; then
    # much slower (zlib deflate of the output): fewer runs, no warm-up, and
    # at the highest -j only
    f=$(jflag "$last_j")
    measured "tar.gz -> jsonl.gz $last_j" "$f -t jsonl -o $tmp/out.jsonl.gz $tgz"
    hyperfine -N --runs "$gz_runs" --export-json "$tmp/g$n.json" \
      -n "tar.gz -> jsonl.gz $last_j" "$pair_cmd" >"$tmp/hg$n.txt"
    files="$files $tmp/g$n.json"
  fi
  /usr/bin/python3 - "$tmp" $files <<'PY'
import glob, json, os, re, statistics, sys
tmp, files = sys.argv[1], sys.argv[2:]
res = [x for f in files for x in json.load(open(f))["results"]]
t = {x["command"]: statistics.median(x["times"]) for x in res}
cpu = {x["command"]: x["user"] + x["system"] for x in res}  # means
def rss(name):
    p = os.path.join(tmp, "rss." + re.sub(r"[^a-zA-Z0-9]", "_", name))
    kb = [int(l) for l in open(p) if l.strip().isdigit()] if os.path.exists(p) else []
    return "%.1f" % (max(kb) / 1024) if kb else "-"
gz, igz, gzc = t["gzip -dc tar.gz"], t["igzip -dc tar.gz"], cpu["gzip -dc tar.gz"]
print("%-24s %9s %10s %11s %7s %10s %9s" % ("command", "median s", "/ gzip -dc", "/ igzip -dc",
                                             "cpu s", "cpu/gzip", "peak MiB"))
for name, s in t.items():
    print("%-24s %9.3f %10.2f %11.2f %7.3f %10.2f %9s" % (name, s, s / gz, s / igz, cpu[name],
                                                          cpu[name] / gzc, rss(name)))
PY
done
