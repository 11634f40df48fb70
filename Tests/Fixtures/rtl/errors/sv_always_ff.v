// expect: always_ff
// expect-line: 5
// SystemVerilog always_ff
module sv_always_ff (input clk, input [3:0] d, output reg [3:0] q);
  always_ff @(posedge clk) q <= d;
endmodule
