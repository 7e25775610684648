#!/usr/bin/env python3
"""A cablex filter that drops cables: answers `null` for every cable whose
classification starts with UNCLASSIFIED, and the cable unchanged otherwise.

    cablex convert --filter examples/filters/drop-unclassified.py -o secret.jsonl cables/
"""
import json
import sys


def main():
    for line in sys.stdin:
        cable = json.loads(line)
        if (cable.get('classification') or '').startswith('UNCLASSIFIED'):
            sys.stdout.write('null\n')
        else:
            sys.stdout.write(line if line.endswith('\n') else line + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
