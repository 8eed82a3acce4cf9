"""Reads a Prometheus text exposition on standard input and prints its samples as JSON, through the parser of
the Prometheus Python client (Debian's python3-prometheus-client): a real parser of the format, so that a test
checks what a Prometheus server would read, not what a regular expression finds.

Output: [{"family": ..., "type": ..., "name": ..., "labels": {...}, "value": ...}, ...]; exit status 1 with the
parser's message when the exposition does not parse."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

try:
    samples = []
    for family in text_string_to_metric_families(sys.stdin.read()):
        for sample in family.samples:
            value = sample.value
            samples.append({"family": family.name, "type": family.type, "name": sample.name,
                            "labels": sample.labels, "value": None if math.isnan(value) else value})
except Exception as error:  # the parser raises ValueError and friends on malformed input
    print("not a valid Prometheus exposition: %s" % error, file=sys.stderr)
    sys.exit(1)
json.dump(samples, sys.stdout)
