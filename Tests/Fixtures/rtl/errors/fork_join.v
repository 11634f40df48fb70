// expect: fork
// expect-line: 6
// fork/join
module fork_join (input clk, input [3:0] a, input [3:0] b, output reg [3:0] x, output reg [3:0] y);
  always @(posedge clk)
    fork
      x <= a;
      y <= b;
    join
endmodule
