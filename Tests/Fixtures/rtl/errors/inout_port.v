// expect: inout
// expect-line: 5
// an inout port
module inout_port (
  inout [3:0] pad,
  input [3:0] a,
  output [3:0] y
);
  assign y = a;
endmodule
