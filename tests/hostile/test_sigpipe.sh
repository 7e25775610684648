# test_sigpipe.sh - a run killed by SIGPIPE leaves no temporary file, as a
# run killed by TERM does (issue 12, case 12): `cablex convert -o out.csv
# ... 2>&1 | head -1` left .out.csv.XXXXXX.  No timing: stderr is a pipe
# whose reader is closed before cablex starts, so its first warning raises
# SIGPIPE while the output is being written.
. "$(dirname "$0")/lib.sh"

bad_date_csv 50 "$T/warns.csv"
mkdir -p "$T/o"
for out in out.csv out.jsonl.gz; do
  $CX_PYTHON - "$CABLEX" "$T/o/$out" "$T/warns.csv" "$T/errors.jsonl" <<'PY' >"$T/py" 2>&1 || fail "SIGPIPE -o $out: $(cat "$T/py")"
import os, signal, subprocess, sys
cablex, out, inp, log = sys.argv[1:]
r, w = os.pipe()
os.close(r)  # nobody reads stderr: the first message raises SIGPIPE
p = subprocess.run([cablex, "convert", "-j", "1", "-o", out, "--errors", log, inp],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=w,
                   restore_signals=True)
os.close(w)
if p.returncode != -signal.SIGPIPE:
    sys.exit("expected death by SIGPIPE, got %d" % p.returncode)
PY
  left=$(ls -A "$T/o" "$T" | grep -c '^\.\(out\|errors\)') || true
  [ "$left" = 0 ] || fail "SIGPIPE -o $out: temporary files left: $(ls -A "$T/o" "$T" | grep '^\.')"
  [ -e "$T/o/$out" ] && fail "SIGPIPE -o $out: a half output renamed into place"
done
finish
