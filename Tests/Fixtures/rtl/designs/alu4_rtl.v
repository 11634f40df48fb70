// RTL twin of Verilog/alu4.v (same ports, same function), written with an
// always block and operators instead of wires.
module alu4_rtl (
  input  wire [3:0] a,
  input  wire [0:3] b,
  input  wire [2:1] op,
  output reg  [3:0] y,
  output wire zero, parity, eq, any
);
  reg [3:0] bb;
  integer k;
  always @* begin
    for (k = 0; k < 4; k = k + 1) bb[k] = b[k];
    y[1:0] = op[1] ? (a[1:0] & bb[1:0]) : (a[1:0] | bb[1:0]);
    if (op[2]) y[3:2] = a[3:2] ^ bb[3:2];
    else y[3:2] = ~(a[3:2] ~^ bb[3:2]);
  end
  assign zero = y == 4'd0;
  assign parity = ^y;
  assign eq = a == bb;
  assign any = (a != 4'd0 && bb != 4'hF) || op[1];
endmodule
