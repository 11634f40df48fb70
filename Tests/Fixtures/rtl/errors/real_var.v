// expect: real
// expect-line: 5
// a real variable
module real_var (input [3:0] a, output [3:0] y);
  real r;
  assign y = a;
endmodule
