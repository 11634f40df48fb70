// expect: memory
// expect-line: 5
// a memory larger than 4096 bits (256 x 32 = 8192)
module large_memory (input clk, input we, input [7:0] wa, input [7:0] ra, input [31:0] wd, output [31:0] rd);
  reg [31:0] m [0:255];
  always @(posedge clk) if (we) m[wa] <= wd;
  assign rd = m[ra];
endmodule
