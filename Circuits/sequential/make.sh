#!/bin/sh
# Regenerates the register-matching fixtures (issue #14) from counter.v and
# counter_bug.v with Yosys (tested with Yosys 0.23). miter's Verilog reader has
# no always blocks, so the designs reach miter as BLIF and AIGER:
#   counter.blif          the design, elaborated only (registers cnt[0..3], u1.sh[0..2], p)
#   counter_yosys.blif    synthesised, hierarchy kept: the submodule's registers
#                         become shifter_0.sh[k] and the latch order changes
#   counter_yosys.aag     synthesised and flattened: Yosys's AIGER symbols list
#                         every alias of a register ("shout[0] u1.sh[0]")
#   counter_renamed.aag   counter.blif with registers renamed by hand
#                         (\cnt_reg[0] , cnt_reg_1_, cnt_reg(2), cnt.3, u1/sh_reg[k], parity_q)
#   counter_bug.aag       counter_bug.v synthesised like counter_yosys.aag
set -e
cd "$(dirname "$0")"
MITER=${MITER:-../../.build/debug/miter}
yosys -q -p "read_verilog counter.v; hierarchy -top counter; proc; flatten; opt_clean; techmap; opt -fast; dffunmap; opt_clean; write_blif counter.blif"
yosys -q -p "read_verilog counter.v; synth -top counter; dffunmap; abc -g AND,NAND,OR,NOR,XOR,XNOR; opt_clean; write_blif counter_yosys.blif"
yosys -q -p "read_verilog counter.v; synth -top counter -flatten; dffunmap; abc -g AND; opt_clean; aigmap; write_aiger -ascii -symbols counter_yosys.aag"
yosys -q -p "read_verilog counter_bug.v; synth -top counter -flatten; dffunmap; abc -g AND; opt_clean; aigmap; write_aiger -ascii -symbols counter_bug.aag"
"$MITER" convert --ascii counter.blif counter_renamed.aag
sed -i -e 's/^\(l[0-9]*\) cnt\[0\]$/\1 \\cnt_reg[0] /' -e 's/^\(l[0-9]*\) cnt\[1\]$/\1 cnt_reg_1_/' \
       -e 's/^\(l[0-9]*\) cnt\[2\]$/\1 cnt_reg(2)/' -e 's/^\(l[0-9]*\) cnt\[3\]$/\1 cnt.3/' \
       -e 's#^\(l[0-9]*\) u1\.sh\[\([0-9]\)\]$#\1 u1/sh_reg[\2]#' -e 's/^\(l[0-9]*\) p$/\1 parity_q/' counter_renamed.aag
