import json, os, sys, time
params = json.load(sys.stdin)
time.sleep(params.get("seconds", 1))
print(json.dumps({"slept": params.get("seconds", 1), "execution": os.environ.get("ATTUNE_EXECUTION_ID")}))
