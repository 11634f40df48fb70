// A 4-bit ALU slice exercising the expression subset.
module alu4 (
  input  wire [3:0] a,
  input  wire [0:3] b,      // ascending range
  input  wire [2:1] op,     // non-zero lower bound
  output wire [3:0] y,
  output wire       zero, parity, eq, any
);
  wire [3:0] bb = {b[3], b[2], b[1], b[0]};
  wire [3:0] t;
  assign t[1:0] = op[1] ? a[1:0] & bb[1:0] : a[1:0] | bb[1:0];
  assign {t[3], t[2]} = op[2] ? a[3:2] ^ bb[3:2] : ~(a[3:2] ~^ bb[3:2]);
  assign y = t;
  assign zero = ~|t;
  assign parity = ^t;
  assign eq = a == bb;
  assign any = (a != 4'd0) && !(&bb) || {2{op[1]}} == 2'b11;
endmodule
