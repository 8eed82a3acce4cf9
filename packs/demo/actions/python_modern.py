"""Counts words; the := operator makes this file a syntax error before Python 3.8."""
import json
import platform
import sys

params = json.loads(sys.stdin.read() or "{}")
if (words := params.get("text", "").split()):
    longest = max(words, key=len)
else:
    longest = None
print(json.dumps({"words": len(words), "longest": longest, "python": platform.python_version()}))
