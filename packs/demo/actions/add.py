"""Adds the integer parameters a and b and prints the sum as a JSON object."""
import json
import sys

params = json.loads(sys.stdin.read() or "{}")
print(json.dumps({"sum": params["a"] + params["b"]}))
