#!/usr/bin/env bash
# Documents: the manufacturer example's PRA (every section, charts) made by
# the release `rempart report pra` end to end (process start, store read,
# assessment, audit, Typst layout and PDF, the report record), RUNS times:
# median and worst wall time, peak RSS. The peer, in the same run: headless
# Chromium printing the very same document's HTML page to PDF (the usual
# way to get a PDF from a web stack). Also the Markdown and HTML renderings,
# and the release binary's size (the growth Typst brings is measured by
# scripts/bench-report.sh --size BASE_COMMIT, which builds BASE_COMMIT's
# release binary in a worktree with the same target dir).
# Target (issue 17): PRA <= 300 ms and <= 100 MiB RSS.
#   scripts/bench-report.sh [RUNS]
#   scripts/bench-report.sh --size BASE_COMMIT
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rempart-target}"
if [ "${1:-}" = "--size" ]; then
  base="${2:?the commit to compare with}"
  cargo build --release --locked -p rempart --bin rempart >/dev/null 2>&1
  now=$(stat -c %s "$CARGO_TARGET_DIR/release/rempart")
  tree=$(mktemp -d); git worktree add -q --detach "$tree" "$base"
  (cd "$tree" && cargo build --release --locked -p rempart --bin rempart >/dev/null 2>&1)
  before=$(stat -c %s "$CARGO_TARGET_DIR/release/rempart")
  git worktree remove --force "$tree"
  # Leave the current binary in place for the next run.
  cargo build --release --locked -p rempart --bin rempart >/dev/null 2>&1
  echo "release binary: $base $((before / 1048576)) MiB, now $((now / 1048576)) MiB (+$(((now - before) / 1048576)) MiB)"
  exit 0
fi
runs="${1:-20}"
command -v chromium >/dev/null || { echo "needs chromium: run scripts/services" >&2; exit 1; }
cargo build --release --locked -p rempart --bin rempart >/dev/null 2>&1
exec python3 - "$CARGO_TARGET_DIR/release/rempart" "$runs" <<'PY'
import os, re, statistics, subprocess, sys, tempfile, time

rempart, runs = sys.argv[1], int(sys.argv[2])
work = tempfile.mkdtemp(prefix="rempart-bench-report.")
plan = os.path.abspath("examples/manufacturer/rempart.toml")
base = [rempart, "-c", plan, "--data-dir", f"{work}/data"]

def timed(cmd):
    """Wall time (s) and peak RSS (KiB) of one run, from GNU time."""
    t0 = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"{cmd}: {out.stderr}")
    rss = int(out.stderr.strip().splitlines()[-1])
    return wall, rss

def series(cmd, n):
    walls, rss = [], []
    for _ in range(n):
        w, r = timed(cmd)
        walls.append(w); rss.append(r)
    return statistics.median(walls), max(walls), max(rss)

# The store and its tenant, once (the first command creates them).
subprocess.run([*base, "status"], capture_output=True)
results = {}
for fmt in ["pdf", "html", "md"]:
    results[fmt] = series([*base, "report", "pra", "--format", fmt, "-o", f"{work}/pra.{fmt}"], runs)
pages = re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", f"{work}/pra.pdf"], capture_output=True, text=True).stdout).group(1)
# The peer: Chromium printing the same document's HTML to PDF.
chrome = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          f"--user-data-dir={work}/chromium", "--no-pdf-header-footer",
          f"--print-to-pdf={work}/chromium.pdf", f"file://{work}/pra.html"]
os.environ["XDG_CONFIG_HOME"] = f"{work}/xdg"
timed(chrome)  # its profile, once
peer = series(chrome, max(5, runs // 4))
size = os.path.getsize(rempart)
print(f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; release binary {size / 1048576:.0f} MiB")
print()
print("| what | median | worst | peak RSS |")
print("|---|---|---|---|")
for fmt, label in [("pdf", f"rempart report pra (PDF, {pages} pages)"), ("html", "rempart report pra --format html"), ("md", "rempart report pra --format md")]:
    m, w, r = results[fmt]
    print(f"| {label} | {m * 1000:.0f} ms | {w * 1000:.0f} ms | {r / 1024:.0f} MiB |")
m, w, r = peer
print(f"| peer: Chromium --print-to-pdf of the same HTML | {m * 1000:.0f} ms | {w * 1000:.0f} ms | {r / 1024:.0f} MiB |")
print()
print(f"PDF: Rempart end to end / Chromium printing alone = {results['pdf'][0] / peer[0]:.2f}")
PY
