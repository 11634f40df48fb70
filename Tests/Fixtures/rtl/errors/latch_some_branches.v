// expect: infer a latch
// expect-line: 8
// latch inferred: a signal assigned in only some branches
module latch_some_branches (input s, input [3:0] a, input [3:0] b, output reg [3:0] x, output reg [3:0] y);
  always @* begin
    if (s) begin
      x = a;
      y = b;
    end else begin
      x = b;
    end
  end
endmodule
