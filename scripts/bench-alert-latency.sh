#!/usr/bin/env bash
# Detection-to-notification latency: a release `rempart serve` watches a
# local HTTP server every second (confirm = 1); the server is stopped and
# restarted CYCLES times; a local webhook receiver stamps each message on
# arrival. Latency = the webhook's arrival minus the end of the check that
# confirmed the change (its `probe` evidence record). Target (issue 6):
# <= 1 s after the confirmation threshold, p50 and p99.
#   scripts/bench-alert-latency.sh [CYCLES]   (default 10, about 2.5 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rempart-target}"
cycles="${1:-10}"
cargo build --release --locked -p rempart >/dev/null 2>&1
exec python3 - "$CARGO_TARGET_DIR/release/rempart" "$cycles" <<'PY'
import http.server, json, os, socket, subprocess, sys, tempfile, threading, time

rempart, cycles = sys.argv[1], int(sys.argv[2])
work = tempfile.mkdtemp(prefix="rempart-bench-latency.")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

target, hook, listen = free_port(), free_port(), free_port()
arrivals = []

class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        arrivals.append((time.time() * 1000, json.loads(body)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass

threading.Thread(target=http.server.ThreadingHTTPServer(("127.0.0.1", hook), Hook).serve_forever, daemon=True).start()

plan = open("crates/core/tests/plans/base.toml").read()
plan = plan.replace('target = "https://app.example.com/"\ninterval = "1m"',
                    f'target = "http://127.0.0.1:{target}/"\ninterval = "1s"\ntimeout = "1s"\nconfirm = 1')
plan = plan.replace('steps = [{ notify = ["mail"] }]', 'steps = [{ notify = ["hook"] }]')
plan += f'\n[[channel]]\nid = "hook"\nkind = "webhook"\nurl = "http://127.0.0.1:{hook}/"\n'
open(f"{work}/rempart.toml", "w").write(plan)

def web():
    return subprocess.Popen(["python3", "-m", "http.server", str(target), "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

server = web()
# --group-alerts 0s: one monitor goes down every 14 s here, and grouping
# would hold each alert behind the previous one's window; the first alert
# of an incident, the one measured, goes at once either way.
serve = subprocess.Popen([rempart, "serve", "-c", f"{work}/rempart.toml", "--data-dir", f"{work}/data",
                          "--listen", f"127.0.0.1:{listen}", "--group-alerts", "0s"],
                         stderr=open(f"{work}/serve.log", "w"))
time.sleep(4)
for _ in range(cycles):
    # Slow enough not to look like flapping (5 changes in 12 checks would
    # hold the alerts, as designed).
    server.kill(); server.wait(); time.sleep(6)
    server = web(); time.sleep(8)
time.sleep(2)
server.kill(); serve.terminate(); serve.wait()

out = subprocess.run([rempart, "evidence", "list", "--kind", "probe", "--subject", "web", "--limit", "1000",
                      "--json", "--data-dir", f"{work}/data"], capture_output=True, text=True).stdout
changes = [r for r in json.loads(out)["records"] if r["measurements"].get("changed") in ("down", "up")]
# The first "up" is the initial state: it alerts nobody.
changes = changes[1:] if changes and changes[0]["measurements"]["changed"] == "up" else changes
lat = []
for c, (arrived, body) in zip(changes, arrivals):
    lat.append(arrived - c["finished_ms"])
lat.sort()
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
print(f"Machine: {os.cpu_count()} cores, {time.strftime('%Y-%m-%d', time.gmtime())}")
print()
print("| measure | value | target | ratio |")
print("|---|---|---|---|")
print(f"| alerts and recoveries received / confirmed changes | {len(arrivals)} / {len(changes)} | equal | |")
print(f"| latency p50 (confirming check → webhook received) | {pct(0.5):.0f} ms | <= 1 000 ms | x {pct(0.5)/1000:.2f} |")
print(f"| latency p99 | {pct(0.99):.0f} ms | <= 1 000 ms | x {pct(0.99)/1000:.2f} |")
print(f"| latency max | {lat[-1] if lat else float('nan'):.0f} ms | | |")
PY
