// A 32-bit barrel shifter: five generate stages, each a 2:1 multiplexer row;
// left/right, logical/arithmetic, and rotate.
module barrel_shifter (
  input [31:0] a,
  input [4:0] sh,
  input right,
  input arith,
  input rotate,
  output [31:0] y
);
  wire [31:0] stage [0:5];
  wire fill = arith & a[31] & right & ~rotate;
  // Reverse for left shifts so that one right-shifting network does both.
  function [31:0] rev(input [31:0] v);
    integer i;
    for (i = 0; i < 32; i = i + 1) rev[i] = v[31 - i];
  endfunction
  assign stage[0] = right ? a : rev(a);
  genvar s;
  generate
    for (s = 0; s < 5; s = s + 1) begin : st
      localparam N = 1 << s;
      wire [N-1:0] in_bits = rotate ? stage[s][N-1:0] : {N{fill}};
      assign stage[s + 1] = sh[s] ? {in_bits, stage[s][31:N]} : stage[s];
    end
  endgenerate
  assign y = right ? stage[5] : rev(stage[5]);
endmodule
