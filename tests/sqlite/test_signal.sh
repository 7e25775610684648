# test_signal.sh - a run killed by a signal while it writes or reads a
# database leaves nothing in TMPDIR (the full-text index's database, the
# copy of a database written to stdout or read from stdin) and nothing
# under the output's name.  No timing: a --filter blocks on the first cable
# it is given after making a marker file; the writer (opened before any
# cable is read) and its temporary files exist by then; the run is killed
# once the marker is there (TERM, INT, HUP; a run with --filter ignores
# PIPE, which a filter's exit would raise).  SIGPIPE comes from a stdout
# whose reader is gone: the database is copied there at the end.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || {
  echo "SKIP: python3 not found"
  exit 77
}

S=$CX_SRC/samples
run convert -q -t sqlite -o "$T/in.db" "$S"
expect_status 0 "make in.db"
cat >"$T/block.sh" <<'EOF'
read -r line
: >"$CX_MARK"
exec sleep 600
EOF

# kill_run NAME SIGNAL STDIN ARGS...: runs cablex with ARGS (stdin from
# STDIN, stdout to $T/NAME.out), kills it with SIGNAL once the filter has
# its first cable, and checks that it died of SIGNAL.
kill_run() {
  name=$1 sig=$2 stdin=$3
  shift 3
  rm -f "$T/mark"
  CX_MARK="$T/mark" python3 - "$sig" "$T/mark" "$stdin" "$T/$name.out" "$CABLEX" "$@" \
    <<'PY' >"$T/py" 2>&1 || fail "$name: $(cat "$T/py")"
import os, signal, subprocess, sys, time
sig, mark, stdin, out = sys.argv[1:5]
with open(stdin, "rb") as i, open(out, "wb") as o:
    p = subprocess.Popen(sys.argv[5:], stdin=i, stdout=o, stderr=subprocess.DEVNULL)
    # waits for an event, not for a time: the bound is only against a hang
    for _ in range(6000):
        if os.path.exists(mark) or p.poll() is not None:
            break
        time.sleep(0.05)
    if p.poll() is not None:
        sys.exit("cablex ended before the filter got a cable (status %d)" % p.returncode)
    if not os.path.exists(mark):
        p.kill()
        sys.exit("the filter never got a cable")
    p.send_signal(getattr(signal, sig))
    try:
        rc = p.wait(timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit("%s did not end the run" % sig)
if rc != -getattr(signal, sig):
    sys.exit("expected death by %s, got status %d" % (sig, rc))
PY
  [ -z "$(ls -A "$TMPDIR")" ] || fail "$name ($sig): left in TMPDIR: $(ls -A "$TMPDIR")"
}

f="sh $T/block.sh"
# a new database: its full-text index's database lives in TMPDIR
kill_run new SIGTERM /dev/null convert -q -j 1 --filter "$f" -t sqlite -o "$T/new.db" "$S"
[ -e "$T/new.db" ] && fail "new: a half-written database under the final name"
no_temp "$T" "new (SIGTERM)"
kill_run new-int SIGINT /dev/null convert -q -j 2 --filter "$f" -t sqlite -o "$T/new.db" "$S"
[ -e "$T/new.db" ] && fail "new-int: a half-written database under the final name"
no_temp "$T" "new (SIGINT)"
# to stdout: the database is built in TMPDIR, then copied
kill_run stdout SIGHUP /dev/null convert -q -j 1 --filter "$f" -t sqlite -o - "$S"
# to stdout, a pipe whose reader went away: SIGPIPE when the copy begins
python3 - "$CABLEX" "$S" <<'PY' >"$T/py" 2>&1 || fail "SIGPIPE: $(cat "$T/py")"
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "convert", "-q", "-t", "sqlite", "-o", "-", sys.argv[2]],
                   stdin=subprocess.DEVNULL, stdout=w, stderr=subprocess.DEVNULL,
                   restore_signals=True)
if p.returncode != -signal.SIGPIPE:
    sys.exit("expected death by SIGPIPE, got %d" % p.returncode)
PY
[ -z "$(ls -A "$TMPDIR")" ] || fail "stdout (SIGPIPE): left in TMPDIR: $(ls -A "$TMPDIR")"
# read from stdin: copied to TMPDIR first
kill_run stdin SIGTERM "$T/in.db" convert -q -j 1 --filter "$f" -f sqlite -t jsonl -o "$T/r.jsonl" -
[ -e "$T/r.jsonl" ] && fail "stdin: a half-written output under the final name"
no_temp "$T" "stdin (SIGTERM)"
finish
