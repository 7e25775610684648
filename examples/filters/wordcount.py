#!/usr/bin/env python3
"""A cablex filter: adds extra.word_count, the number of words in the body.

    cablex convert --filter examples/filters/wordcount.py -t jsonl -o out.jsonl cables/

cablex writes each cable to the filter's stdin as one line of JSON (the
model of formats/cable.schema.json) and reads one line back per cable: the
cable, changed or not, or `null` to drop it.  Answer every line at once and
flush: cablex waits for the answer before it sends the next cable.
"""
import json
import sys


def main():
    for line in sys.stdin:
        cable = json.loads(line)
        cable['extra']['word_count'] = len((cable.get('body') or '').split())
        # ensure_ascii=False keeps the text as it was; separators as cablex writes
        sys.stdout.write(json.dumps(cable, ensure_ascii=False, separators=(',', ':')) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
