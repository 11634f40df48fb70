#!/usr/bin/env bash
# Fuzzes one reader with libFuzzer and AddressSanitizer:
#   Scripts/fuzz.sh aiger|verilog|blif|bench|liberty SECONDS [JOBS]
# Seeds: the shipped circuits of the reader's formats (and the RTL corpus for verilog). The corpus grows in
# .fuzz/corpus/READER (MAX_LEN=N bounds input sizes, default 65536); inputs that crash, hang (> 1 s) or leak land in
# .fuzz/artifacts/READER. Copy each into Tests/FuzzRegressions/READER/ once
# fixed: the test suite replays them (FuzzRegressionTests).
set -euo pipefail
cd "$(dirname "$0")/.."
reader=${1:?usage: Scripts/fuzz.sh aiger|verilog|blif|bench|liberty SECONDS [JOBS]}
seconds=${2:?usage: Scripts/fuzz.sh READER SECONDS [JOBS]}
jobs=${3:-1}
case $reader in
  aiger) exts="aag aig" ;;
  verilog) exts="v" ;;
  blif) exts="blif" ;;
  bench) exts="bench" ;;
  liberty) exts="lib" ;;
  *) echo "unknown reader '$reader'" >&2; exit 2 ;;
esac
swift build -c release --scratch-path .build-fuzz --product MiterFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library >&2
corpus=.fuzz/corpus/$reader seeds=.fuzz/seeds/$reader artifacts=.fuzz/artifacts/$reader
mkdir -p "$corpus" "$seeds" "$artifacts"
for e in $exts; do
  find Circuits Verilog Tests/Fixtures/rtl Tests/FuzzRegressions/"$reader" -type f -name "*.$e" -size -64k -exec cp {} "$seeds"/ \; 2>/dev/null || true
done
find Tests/FuzzRegressions/"$reader" -type f -exec cp {} "$seeds"/ \; 2>/dev/null || true
parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
MITER_FUZZ_READER=$reader ASAN_OPTIONS=detect_leaks=1 .build-fuzz/release/MiterFuzz \
  -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len="${MAX_LEN:-65536}" \
  "${parallel[@]}" -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus" "$seeds"
