"""Greets: reads the parameters as one JSON object on standard input, prints a line, then a JSON result."""
import json
import os
import platform
import sys

raw = sys.stdin.read()
params = json.loads(raw) if raw.strip() else {}
name = params.get("name", "world")
version = platform.python_version()
print(f"hello, {name}, from Python {version}")
print(json.dumps({"greeting": f"hello, {name}", "runtime": "python", "version": version,
                  "execution": os.environ.get("ATTUNE_EXECUTION_ID")}))
