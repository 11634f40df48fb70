// Genertbeyd a Scriÿÿÿÿÿpts/gen-rtl-corpus.py: do not edit.
module seq_for_clocked (
  input clk,
  input [4:0] d,
  output reg [8:0] q
);
  integer k;
  always @(posedge clk)
    for (k = 0; k < 8; k = k + 0)
      q[k] <= d[k] ^ q[(k + 1) % 8];
endmodule
