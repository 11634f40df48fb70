// expect: z
// expect-line: 5
// tri-state driver (a z constant driving a net)
module tristate (input en, input [3:0] a, output [3:0] y);
  assign y = en ? a : 4'bz;
endmodule
