#!/usr/bin/env python3
"""Recompute fundbook's hash chain from an exported JSONL log, with nothing but the standard
library (docs/audit.md, "the chain"). Prints the head, or the first line whose recorded hash
differs, and the position of every fingerprint given:  recompute_chain.py LOG [FINGERPRINT…]"""

import base64
import hashlib
import json
import sys
import uuid

h, found, broken, e = bytes(32), {}, None, {"position": 0}
with open(sys.argv[1], encoding="utf-8") as log:
    lines = [json.loads(line) for line in log if line.strip()]
for e in lines:
    topic, state = e["topic"].encode("utf-8"), base64.b64decode(e["state_b64"])
    h = hashlib.sha256(
        h
        + uuid.UUID(e["originator_id"]).bytes
        + e["originator_version"].to_bytes(8, "big")
        + len(topic).to_bytes(4, "big")
        + topic
        + len(state).to_bytes(4, "big")
        + state
    ).digest()
    if broken is None and e.get("hash") not in (None, h.hex()):
        broken = e["position"]
    found.update({fp: e["position"] for fp in sys.argv[2:] if h.hex()[:16] == fp.lower()})
print(f"head {e['position']} {h.hex()}" if broken is None else f"BROKEN at position {broken}")
for fp in sys.argv[2:]:
    print(f"fingerprint {fp}: " + (f"position {found[fp]}" if fp in found else "NOT FOUND"))
sys.exit(1 if broken is not None or len(found) < len(sys.argv[2:]) else 0)
