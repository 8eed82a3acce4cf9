import json
import sys

params = json.load(sys.stdin)
epochs = params.get("epochs", 3)
loss = 1.0
for epoch in range(1, epochs + 1):
    loss = loss / 2
    print(f"epoch {epoch}: loss {loss}", file=sys.stderr)
# sys.orig_argv (Python 3.10+) shows how the interpreter was started: with the pack's -u
print(json.dumps({"epochs": epochs, "loss": loss, "unbuffered": "-u" in getattr(sys, "orig_argv", [])}))
