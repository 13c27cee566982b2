#!/usr/bin/env bash
# Backup engine vs Debian's restic, side by side on the same data, in one
# run, as ratios (issue 4). Prints Markdown for BENCHMARKS.md.
#
#   scripts/bench-backup.sh            ~1.7 GB tree + 1 GiB dump (about 15 min)
#   BENCH_QUICK=1 scripts/bench-backup.sh   small data, to check the script
#
# Data: copies of Rust toolchain libraries and /usr/share (tens of thousands
# of files), and a generated SQL-like dump streamed through a command.
# Both tools read from a warm page cache (the data is read once first).
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$(scripts/services)"; export PATH="$tools:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rempart-target}"
cargo build --release --locked -q -p rempart
REMPART="$CARGO_TARGET_DIR/release/rempart"
W="${BENCH_DIR:-/tmp/rempart-bench-backup}"
rm -rf "$W"
mkdir -p "$W/data" "$W/secrets" "$W/restic"

if [ -n "${BENCH_QUICK:-}" ]; then
  cp -a /usr/share/doc "$W/data/doc"
  dump_mb=50
else
  for lib in "$HOME"/.rustup/toolchains/stable-*/lib "$HOME"/.rustup/toolchains/nightly-*/lib; do
    [ -d "$lib" ] && cp -a "$lib" "$W/data/$(basename "$(dirname "$lib")")-lib"
  done
  cp -a /usr/share "$W/data/share"
  dump_mb=1024
fi
python3 - "$W/dump.sql" "$dump_mb" <<'EOF'
import sys, random
path, mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
customers = [f"Client {i:05d} SARL" for i in range(5000)]
with open(path, "w") as f:
    n = 0
    while f.tell() < mb * 1024 * 1024:
        n += 1
        f.write(f"INSERT INTO invoice (id, customer, amount_cents, issued) VALUES ({n}, '{random.choice(customers)}', {random.randint(100, 9_999_999)}, '2026-{random.randint(1,12):02d}-{random.randint(1,28):02d}');\n")
EOF
tree_bytes=$(du -sb "$W/data" | cut -f1)
tree_files=$(find "$W/data" -type f | wc -l)
dump_bytes=$(stat -c %s "$W/dump.sql")
# Warm the page cache for both tools alike.
tar -cf - -C "$W" data dump.sql >/dev/null

echo pw-a > "$W/secrets/a"; echo pw-b > "$W/secrets/b"; echo pw-r > "$W/secrets/restic"
cat > "$W/rempart.toml" <<EOF
[organization]
name = "Bench"
language = "en"
timezone = "UTC"

[[site]]
id = "one"
kind = "primary"

[[site]]
id = "two"
kind = "secondary"

[[asset]]
id = "srv"
name = "Server"
kind = "server"
site = "one"

[[process]]
id = "p"
name = "Process"
criticality = "secondary"
rto = "1d"
rpo = "1d"
depends_on = ["srv"]

[[repository]]
id = "a"
site = "one"
location = "repos/a"
password = { file = "secrets/a" }

[[repository]]
id = "b"
site = "two"
location = "repos/b"
password = { file = "secrets/b" }

[[repository]]
id = "c"
site = "one"
location = "repos/c"
password = { file = "secrets/a" }

[[backup]]
id = "tree"
protects = ["srv"]
source = { paths = ["data"] }
schedule = "every 1d"
targets = ["a"]

[[backup]]
id = "tree2"
protects = ["srv"]
source = { paths = ["data"] }
schedule = "every 1d"
targets = ["c", "b"]

[[backup]]
id = "dump"
protects = ["srv"]
source = { command = "cat $W/dump.sql", filename = "dump.sql" }
schedule = "every 1d"
targets = ["a"]
EOF

R=(-c "$W/rempart.toml" --data-dir "$W/store")
RT=(restic --password-file "$W/secrets/restic" --cache-dir "$W/restic-cache")
# Runs a command quietly; prints "seconds peak_rss_kib".
# Dirty pages of the previous step are written out first, so neither tool
# pays for the other's writes.
measure() { sync; /usr/bin/time -f "%e %M" -o "$W/time" "$@" >/dev/null 2>"$W/stderr" || { cat "$W/stderr" >&2; exit 1; }; cat "$W/time"; }

"$REMPART" repo init "${R[@]}" >/dev/null
"${RT[@]}" -r "$W/restic/tree" init >/dev/null
"${RT[@]}" -r "$W/restic/dump" init >/dev/null

read -r rs_backup rs_backup_rss < <(measure "${RT[@]}" -r "$W/restic/tree" backup "$W/data")
read -r rp_backup rp_backup_rss < <(measure "$REMPART" backup run tree "${R[@]}")
read -r rs_again _ < <(measure "${RT[@]}" -r "$W/restic/tree" backup "$W/data")
read -r rp_again _ < <(measure "$REMPART" backup run tree "${R[@]}")
rs_size=$(du -sb "$W/restic/tree" | cut -f1)
rp_size=$(du -sb "$W/repos/a" | cut -f1)
read -r rp_two _ < <(measure "$REMPART" backup run tree2 "${R[@]}")
read -r rs_restore rs_restore_rss < <(measure "${RT[@]}" -r "$W/restic/tree" restore latest --target "$W/out-restic")
read -r rp_restore rp_restore_rss < <(measure "$REMPART" restore tree --to "$W/out-rempart" "${R[@]}")
# The floor of a restore on this disk: tar writing the same files from
# the page cache, one thread.
tar -cf "$W/data.tar" -C "$W" data
cat "$W/data.tar" >/dev/null
mkdir -p "$W/out-tar"
read -r tar_restore _ < <(measure tar -xf "$W/data.tar" -C "$W/out-tar")
rm -rf "$W/out-tar" "$W/data.tar"
# The same restores into memory (tmpfs), where the disk's variations
# (±30 % here from run to run) do not hide the tools' own work.
SHM="${BENCH_SHM:-/dev/shm/rempart-bench}"
shm_free=$(df -B1 --output=avail "$(dirname "$SHM")" | tail -1)
if [ "$shm_free" -gt $((tree_bytes * 3)) ]; then
  rm -rf "$SHM"
  read -r rs_shm rs_shm_rss < <(measure "${RT[@]}" -r "$W/restic/tree" restore latest --target "$SHM/restic")
  rm -rf "$SHM"
  read -r rp_shm rp_shm_rss < <(measure "$REMPART" restore tree --to "$SHM/rempart" "${R[@]}")
  rm -rf "$SHM"
fi
read -r rs_dump _ < <(measure sh -c "restic -r '$W/restic/dump' --password-file '$W/secrets/restic' --cache-dir '$W/restic-cache' backup --stdin --stdin-filename dump.sql < '$W/dump.sql'")
read -r rp_dump _ < <(measure "$REMPART" backup run dump "${R[@]}")

mb() { python3 -c "print(f'{$1/1e6/$2:.1f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $(date -u +%Y-%m-%d); $(restic version | cut -d' ' -f1-2)"
echo
echo "Tree: $((tree_bytes / 1000000)) MB in $tree_files files; dump: $((dump_bytes / 1000000)) MB."
echo
echo "| measure | restic | Rempart | Rempart / restic | target |"
echo "|---|---|---|---|---|"
echo "| initial backup of the tree | ${rs_backup} s ($(mb "$tree_bytes" "$rs_backup") MB/s) | ${rp_backup} s ($(mb "$tree_bytes" "$rp_backup") MB/s) | throughput × $(ratio "$rs_backup" "$rp_backup") | ≥ 2× |"
echo "| unchanged re-backup | ${rs_again} s | ${rp_again} s | time × $(ratio "$rp_again" "$rs_again") | ≤ 0.5× |"
echo "| restore of the tree | ${rs_restore} s ($(mb "$tree_bytes" "$rs_restore") MB/s), peak RSS $((rs_restore_rss / 1024)) MiB | ${rp_restore} s ($(mb "$tree_bytes" "$rp_restore") MB/s), peak RSS $((rp_restore_rss / 1024)) MiB | throughput × $(ratio "$rs_restore" "$rp_restore") | ≥ 2×, RSS ≤ 256 MiB |"
[ -n "${rs_shm:-}" ] && echo "| restore of the tree into tmpfs | ${rs_shm} s ($(mb "$tree_bytes" "$rs_shm") MB/s), peak RSS $((rs_shm_rss / 1024)) MiB | ${rp_shm} s ($(mb "$tree_bytes" "$rp_shm") MB/s), peak RSS $((rp_shm_rss / 1024)) MiB | throughput × $(ratio "$rs_shm" "$rp_shm") | ≥ 2× |"
echo "| dump streamed from a command | ${rs_dump} s ($(mb "$dump_bytes" "$rs_dump") MB/s) | ${rp_dump} s ($(mb "$dump_bytes" "$rp_dump") MB/s) | throughput × $(ratio "$rs_dump" "$rp_dump") | |"
echo "| backup to two sites vs one (Rempart) | | ${rp_two} s vs ${rp_backup} s | × $(ratio "$rp_two" "$rp_backup") | ≤ 1.3× |"
echo
echo "Peak RSS during the initial backup: restic $((rs_backup_rss / 1024)) MiB, Rempart $((rp_backup_rss / 1024)) MiB."
echo "Repository size after the two tree backups: restic $((rs_size / 1000000)) MB, Rempart $((rp_size / 1000000)) MB."
echo "Floor of a restore onto this disk: tar -x of the same tree from the page cache, ${tar_restore} s."
[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"
