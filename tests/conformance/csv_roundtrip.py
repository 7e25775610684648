#!/usr/bin/python3
"""Conformance: the leaked rows of ../shared/corpus/csv through csv -> JSON -> csv.

usage: csv_roundtrip.py CABLEX SHARED_DIR

- cables_tiny.csv (12 rows) and every single-row file of rows/ convert to JSON
  Lines, one cable per row, without failures;
- each cable agrees with the row as Python's csv module reads it on its own
  (escapechar '\\', no doubled quotes): id, origin, classification, the
  referenced ids, the date (M/D/YYYY H:MM -> ISO), and the telegram (header
  field, a blank line, body field);
- JSON -> csv gives the input back byte for byte.
Prints the numbers.  Exit 0 when everything matched, 1 otherwise, 77 (skipped)
when the shared corpus is not there.
"""
import csv
import datetime
import glob
import io
import json
import os
import subprocess
import sys
import tempfile


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def rows_of(data):
    text = data.decode('utf-8')
    return list(csv.reader(io.StringIO(text, newline=''), escapechar='\\', doublequote=False))


def check_file(cablex, path, tmp, fails):
    data = open(path, 'rb').read()
    rows = rows_of(data)
    jl = os.path.join(tmp, 'out.jsonl')
    back = os.path.join(tmp, 'back.csv')
    rc, _, err = run([cablex, 'convert', '-q', '-f', 'csv', '-t', 'jsonl', '-o', jl, path])
    if rc != 0:
        fails.append('%s: csv -> JSON failed: %s' % (path, err.strip()))
        return 0
    cables = [json.loads(l) for l in open(jl, encoding='utf-8')]
    if len(cables) != len(rows):
        fails.append('%s: %d rows but %d cables' % (path, len(rows), len(cables)))
        return 0
    for row, c in zip(rows, cables):
        seq, date, cid, origin, cls, refs, header, body = row
        when = datetime.datetime.strptime(date, '%m/%d/%Y %H:%M').strftime('%Y-%m-%dT%H:%M:%S')
        sep = '\r\n\r\n' if '\r\n' in header else '\n\n'
        want = {
            'id': cid, 'origin': origin, 'classification': cls, 'created': when,
            'telegram': header + sep + body if header else body,
            'csv_references': refs.split('|') if refs else [],
            'csv_sequence': int(seq),
        }
        got = {
            'id': c['id'], 'origin': c['origin'], 'classification': c['classification'],
            'created': c['created'], 'telegram': c['header_text'] + c['body'],
            'csv_references': c['extra'].get('csv_references'),
            'csv_sequence': c['extra'].get('csv_sequence'),
        }
        for k in want:
            if want[k] != got[k]:
                fails.append('%s: %s: %s differs: %r vs %r' % (
                    path, cid, k, str(got[k])[:60], str(want[k])[:60]))
    rc, _, err = run([cablex, 'convert', '-q', '-f', 'json', '-t', 'csv', '-o', back, jl])
    if rc != 0:
        fails.append('%s: JSON -> csv failed: %s' % (path, err.strip()))
    elif open(back, 'rb').read() != data:
        fails.append('%s: csv -> JSON -> csv is not byte-identical' % path)
    return len(cables)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cablex, shared = sys.argv[1], sys.argv[2]
    tiny = os.path.join(shared, 'corpus', 'csv', 'cables_tiny.csv')
    if not os.path.exists(tiny):
        print('SKIP: %s not found' % tiny)
        return 77
    fails = []
    files = [tiny] + sorted(glob.glob(os.path.join(shared, 'corpus', 'csv', 'rows', '*.csv')))
    with tempfile.TemporaryDirectory() as tmp:
        counts = [check_file(cablex, p, tmp, fails) for p in files]
    print('csv conformance: %d files, %d cables (%d in cables_tiny.csv), %d problems' % (
        len(files), sum(counts), counts[0], len(fails)))
    for f in fails[:30]:
        print('FAIL: ' + f)
    if counts[0] != 12:
        print('FAIL: cables_tiny.csv gave %d cables, not 12' % counts[0])
        return 1
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
