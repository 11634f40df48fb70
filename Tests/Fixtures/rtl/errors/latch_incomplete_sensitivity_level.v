// expect: infer a latch
// expect-line: 6
// a level-sensitive always block that holds state (always @(en or d))
module latch_incomplete_sensitivity_level (input en, input [3:0] d, output reg [3:0] q);
  always @(en or d)
    if (en) q = d;
endmodule
