// expect: logic
// expect-line: 5
// SystemVerilog logic
module sv_logic (input [3:0] a, output [3:0] y);
  logic [3:0] t;
  assign t = a;
  assign y = t;
endmodule
