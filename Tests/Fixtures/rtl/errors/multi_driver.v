// expect: driven
// expect-line: 6
// a reg driven from two always blocks
module multi_driver (input clk, input a, input b, output reg q);
  always @(posedge clk) q <= a;
  always @(posedge clk) q <= b;
endmodule
