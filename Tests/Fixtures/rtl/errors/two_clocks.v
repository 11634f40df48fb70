// expect: clock
// expect-line: 6
// two clocks (the AIG has one implicit clock)
module two_clocks (input clk, input clk2, input d, output reg q, output reg r);
  always @(posedge clk) q <= d;
  always @(posedge clk2) r <= d;
endmodule
