// expect: infer a latch
// expect-line: 7
// latch inferred: casez whose items do not cover every value, no default
module latch_casez_partial (input [2:0] s, input [3:0] a, output reg [3:0] y);
  always @* begin
    casez (s)
      3'b1??: y = a;
      3'b01?: y = ~a;
    endcase
  end
endmodule
