// Included by pp_include.v and pp_include_guard.v.
`ifndef PP_DEFS_VH
`define PP_DEFS_VH
`define PP_WIDTH 6
`define PP_MASK 6'b101010
`endif
