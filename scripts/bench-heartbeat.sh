#!/usr/bin/env bash
# Heartbeat ingest: `wrk` sends Healthchecks-style pings to a release
# `rempart serve` (SQLite, the default store) for 20 s, spread over 100
# heartbeat monitors, 64 connections. Reports pings/s, the server's CPU and
# peak RSS, and checks that every ping answered OK was written (the sum of
# the monitors' ping counters). Target (issue 6): >= 5 000 pings/s;
# healthchecks.io reports 4 000/s peaks on 3 web servers.
#   scripts/bench-heartbeat.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rempart-target}"
seconds="${1:-20}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p rempart >/dev/null 2>&1
bin="$CARGO_TARGET_DIR/release/rempart"
work="$(mktemp -d /tmp/rempart-bench-heartbeat.XXXXXX)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cp crates/core/tests/plans/base.toml "$work/rempart.toml"
sed -i 's|^target = "https://app.example.com/"|target = "http://127.0.0.1:9/"|' "$work/rempart.toml"
for i in $(seq 1 100); do
  printf '\n[[monitor]]\nid = "job%s"\nkind = "heartbeat"\nperiod = "every 1h"\ngrace = "1h"\n' "$i" >>"$work/rempart.toml"
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve -c "$work/rempart.toml" --data-dir "$work/data" --listen "127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
"$bin" heartbeat --json --public-url "http://127.0.0.1:$port" --data-dir "$work/data" --tenant default >"$work/hb.json"
python3 - "$work/hb.json" >"$work/paths.lua" <<'PY'
import json, sys
urls = [h["url"].split("/", 3)[3] for h in json.load(open(sys.argv[1]))["heartbeats"]]
print("paths = {" + ",".join('"/%s"' % u for u in urls) + "}")
print("i = 0\nrequest = function() i = i + 1; return wrk.format('GET', paths[(i % #paths) + 1]) end")
PY
cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
wrk -t2 -c64 -d"${seconds}s" -s "$work/paths.lua" "http://127.0.0.1:$port" >"$work/wrk.txt"
cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
sent=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
errors=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt"); errors=${errors:-0}
rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
p99=$(awk '/Latency/ {print $2}' "$work/wrk.txt")
stored=$("$bin" heartbeat --json --public-url x --data-dir "$work/data" --tenant default | python3 -c 'import json,sys; print(sum(h["pings"] for h in json.load(sys.stdin)["heartbeats"]))')
tck=$(getconf CLK_TCK)
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $(date -u +%Y-%m-%d)"
echo
echo "| measure | value | target | ratio |"
echo "|---|---|---|---|"
echo "| pings/s (wrk, 64 connections, ${seconds} s, SQLite) | $rate | >= 5 000 | x $(python3 -c "print(round($rate/5000,2))") |"
echo "| vs healthchecks.io's published peak (4 000/s on 3 servers) | | | x $(python3 -c "print(round($rate/4000,2))") |"
echo "| server CPU over the run | $(python3 -c "print(round(($cpu1-$cpu0)/$tck/$seconds*100))") % of one core | | |"
echo "| server peak RSS | $((rss / 1024)) MiB | | |"
echo "| mean latency | $p99 | | |"
echo "| answered OK (wrk) / written | $((sent - errors)) / $stored | written >= answered (pings in flight at the end are written, not counted by wrk) | |"
