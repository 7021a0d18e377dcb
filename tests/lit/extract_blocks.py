#!/usr/bin/env python3
"""extract_blocks.py DOC LANG OUTDIR: writes every ```LANG fenced block of DOC to
OUTDIR/block-N.LANG, so that a lit test can compile the examples of a document."""
import os
import re
import sys

doc, lang, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
blocks = re.findall(r"^```" + re.escape(lang) + r"\n(.*?)^```", open(doc).read(), re.M | re.S)
for i, block in enumerate(blocks, 1):
    with open(os.path.join(out, f"block-{i}.{lang}"), "w") as f:
        f.write(block)
print(f"{len(blocks)} blocks")
