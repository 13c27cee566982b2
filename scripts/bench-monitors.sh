#!/usr/bin/env bash
# Supervision at scale: a release `rempart serve` (embedded SQLite store)
# watches MONITORS http monitors every INTERVAL, all against one local nginx
# (Debian's, installed if missing). After a warm-up of one interval and a
# half, measured over WINDOW seconds:
#   - checks finished, from rempart's /metrics (rempart_checks_total), and
#     the requests nginx logged in the same window (the checks are real);
#   - CPU of the rempart process (utime + stime from /proc), in cores;
#   - peak RSS (VmHWM from /proc, the whole run) and RSS at the end.
# Target (issue 6): >= 20 000 checks/min on 2 cores with RSS < 100 MiB for
# 10 000 monitors at 30 s.
#   scripts/bench-monitors.sh [MONITORS] [INTERVAL_S] [WINDOW_S]   (default 10000 30 120)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rempart-target}"
monitors="${1:-10000}"
interval="${2:-30}"
window="${3:-120}"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt-get install -y --no-install-recommends nginx-light >/dev/null 2>&1 \
    || apt-get install -y --no-install-recommends nginx >/dev/null
fi
cargo build --release --locked -p rempart >/dev/null 2>&1
exec python3 - "$CARGO_TARGET_DIR/release/rempart" "$monitors" "$interval" "$window" <<'PY'
import os, re, socket, subprocess, sys, tempfile, time, urllib.request

rempart, n, interval, window = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
work = tempfile.mkdtemp(prefix="rempart-bench-monitors.")
tick = os.sysconf("SC_CLK_TCK")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

web, listen = free_port(), free_port()
os.makedirs(f"{work}/nginx/logs")
open(f"{work}/nginx/nginx.conf", "w").write(f"""
worker_processes 1;
daemon off;
pid {work}/nginx/nginx.pid;
error_log {work}/nginx/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log {work}/nginx/access.log combined buffer=64k flush=1s;
  client_body_temp_path {work}/nginx/body; proxy_temp_path {work}/nginx/proxy;
  fastcgi_temp_path {work}/nginx/fastcgi; uwsgi_temp_path {work}/nginx/uwsgi; scgi_temp_path {work}/nginx/scgi;
  keepalive_requests 1000000;
  server {{ listen 127.0.0.1:{web}; location / {{ default_type text/plain; return 200 "ok\\n"; }} }}
}}
""")
nginx_bin = "nginx" if subprocess.run(["which", "nginx"], capture_output=True).returncode == 0 else "/usr/sbin/nginx"
nginx = subprocess.Popen([nginx_bin, "-p", f"{work}/nginx", "-c", f"{work}/nginx/nginx.conf"],
                         stderr=subprocess.DEVNULL)

plan = open("crates/core/tests/plans/base.toml").read()
plan = plan.replace('target = "https://app.example.com/"\ninterval = "1m"',
                    f'target = "http://127.0.0.1:{web}/web"\ninterval = "{interval}s"')
parts = [plan]
for i in range(n):
    parts.append(f'\n[[monitor]]\nid = "site-{i}"\nkind = "http"\ntarget = "http://127.0.0.1:{web}/site/{i}"\n'
                 f'interval = "{interval}s"\ntimeout = "10s"\nexpect = {{ status = 200, body_contains = "ok" }}\n')
open(f"{work}/rempart.toml", "w").write("".join(parts))

started = time.time()
serve = subprocess.Popen([rempart, "serve", "-c", f"{work}/rempart.toml", "--data-dir", f"{work}/data",
                          "--listen", f"127.0.0.1:{listen}"], stderr=open(f"{work}/serve.log", "w"))

scrape_token = None

def metric(name):
    global scrape_token
    if scrape_token is None:
        # /metrics needs a token: a metrics-only one, made once the store exists.
        scrape_token = subprocess.run([rempart, "token", "create", "--name", "bench", "--metrics",
                                       "--data-dir", f"{work}/data"], capture_output=True,
                                      text=True, check=True).stdout.strip()
    request = urllib.request.Request(f"http://127.0.0.1:{listen}/metrics",
                                     headers={"Authorization": f"Bearer {scrape_token}"})
    text = urllib.request.urlopen(request, timeout=5).read().decode()
    m = re.search(rf"^{name} (\d+)", text, re.M)
    return int(m.group(1)) if m else 0

def cpu_s():
    fields = open(f"/proc/{serve.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

def status(key):
    for line in open(f"/proc/{serve.pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")

def logged():
    try:
        return sum(1 for _ in open(f"{work}/nginx/access.log"))
    except FileNotFoundError:
        return 0

for _ in range(600):
    try:
        metric("rempart_checks_total"); break
    except Exception:
        time.sleep(0.5)
ready = time.time() - started
time.sleep(interval * 1.5)
c0, l0, late0, cpu0, t0 = metric("rempart_checks_total"), logged(), metric("rempart_checks_late_total"), cpu_s(), time.time()
peak_window = 0.0
while time.time() - t0 < window:
    time.sleep(1)
    peak_window = max(peak_window, status("VmRSS"))
time.sleep(1.5)  # nginx flushes its log every second
c1, late1, cpu1, t1 = metric("rempart_checks_total"), metric("rempart_checks_late_total"), cpu_s(), time.time()
l1 = logged()
hwm, rss = status("VmHWM"), status("VmRSS")
serve.terminate(); serve.wait(); nginx.terminate(); nginx.wait()

elapsed = t1 - t0
rate = (c1 - c0) / elapsed * 60
served = (l1 - l0) / elapsed * 60
cores = (cpu1 - cpu0) / elapsed
expected = (n + 1) * 60 / interval
print(f"Machine: {os.cpu_count()} cores, {time.strftime('%Y-%m-%d', time.gmtime())}; {n} http monitors every {interval} s, one nginx on loopback; serve ready after {ready:.1f} s")
print()
print("| measure | value | target | ratio |")
print("|---|---|---|---|")
print(f"| checks finished per minute (rempart_checks_total) | {rate:,.0f} | >= 20 000 (asked: {expected:,.0f}) | x {rate/20000:.2f} |")
print(f"| requests nginx logged per minute, same window | {served:,.0f} | = checks | |")
print(f"| turns skipped (check still running) | {late1 - late0} | 0 | |")
print(f"| CPU of rempart serve | {cores:.2f} cores ({cores/ (os.cpu_count() or 1) * 100:.0f} % of the machine) | 2 cores | |")
print(f"| peak RSS (VmHWM, whole run) | {hwm:.0f} MiB | < 100 MiB | x {hwm/100:.2f} |")
print(f"| RSS during the window, highest / at the end | {peak_window:.0f} / {rss:.0f} MiB | < 100 MiB | |")
PY
