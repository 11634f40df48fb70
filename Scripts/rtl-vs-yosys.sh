#!/usr/bin/env bash
# Reads RTL Verilog files nobody here wrote with Miter and with Yosys and checks
# the two readings against each other, one line per top module:
#   Scripts/rtl-vs-yosys.sh [-j JOBS] FILE.v ...    (needs yosys; builds miter in release)
# e.g. Yosys's own tests/simple/*.v or picorv32.v. Both sides read x/z bits as 0
# (--x-bits zero / setundef -zero) and undriven nets as 0. Status per module:
#   CHECK <miter check's first lines> | MITER_ERROR <located error> | YOSYS_ERROR <error>
# A file with several never-instantiated modules is checked once per module.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=2
if [ "${1:-}" = "-j" ]; then jobs=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: Scripts/rtl-vs-yosys.sh [-j JOBS] FILE.v ..." >&2; exit 2; }
command -v yosys >/dev/null || { echo "yosys is not installed" >&2; exit 2; }
swift build -c release --product miter >&2 || exit 2
export MITER=$PWD/.build/release/miter WORK=$(mktemp -d)
one() {
  f=$1; b=$(basename "$f" .v)
  m=$("$MITER" stats --undriven zero --x-bits zero "$f" 2>&1 | head -1)
  tops="-"
  if [[ "$m" == *"ambiguous top module:"* ]]; then
    tops=$(echo "$m" | sed 's/.*ambiguous top module: //; s/ are never instantiated.*//; s/,//g')
  fi
  for t in $tops; do
    o=$WORK/${b}_$t; topflag=(); ytop="hierarchy -auto-top"
    if [ "$t" != "-" ]; then topflag=(--top "$t"); ytop="hierarchy -top $t"; fi
    m=$("$MITER" stats --undriven zero --x-bits zero "${topflag[@]}" "$f" 2>&1 | head -1)
    if [[ "$m" == miter:* ]]; then echo "$b:$t MITER_ERROR ${m#miter: error: }"; continue; fi
    if ! yosys -q -p "read_verilog -I $(dirname "$f") $f; $ytop; proc; flatten; opt -mux_undef; memory -nordff; opt -mux_undef; techmap; opt -fast -mux_undef; async2sync; dffunmap; aigmap; setundef -zero; opt_clean; write_verilog -noattr $o.ys.v" > "$o.log" 2>&1; then
      echo "$b:$t YOSYS_ERROR $(grep -m1 ERROR "$o.log")"; continue
    fi
    r=$(timeout 60 "$MITER" check --undriven zero --x-bits zero "${topflag[@]}" "$f" "$o.ys.v" 2>&1 | head -2 | tr '\n' ' ')
    echo "$b:$t CHECK $r"
  done
}
export -f one
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'one "$@"' _ {}
rm -rf "$WORK"
