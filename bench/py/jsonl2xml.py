#!/usr/bin/env python3
"""The Python baseline of bench/: JSON Lines cables to XML with the json
module and xml.sax.saxutils only, as a ten-line script would do it.
usage: jsonl2xml.py IN.jsonl > OUT.xml"""
import json, sys
from xml.sax.saxutils import escape, quoteattr

out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8"?>\n<cables>\n')
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        c = json.loads(line)
        out.write("<cable id=%s>\n" % quoteattr(c.get("id") or ""))
        for k, v in c.items():
            if isinstance(v, str) and k != "id":
                out.write("  <%s>%s</%s>\n" % (k, escape(v), k))
        out.write("</cable>\n")
out.write("</cables>\n")
