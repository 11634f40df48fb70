// expect: infer a latch
// expect-line: 6
// latch inferred: if without else in always @*
module latch_if_no_else (input en, input [3:0] d, output reg [3:0] q);
  always @* begin
    if (en) q = d;
  end
endmodule
