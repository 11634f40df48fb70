// The standard's reading of small/size_const_unsized.v, which Yosys 0.23 reads
// differently. IEEE 1364-2005 3.5.1: a based literal without 's' is unsigned, and
// an unsized one is 32 bits; in the 40-bit context of `y = a + 'hFFFFFFFF` it is
// zero-extended, so y[39:33] = 0. Yosys pads it with ones. Miter follows the
// standard; the differential test compares against Yosys's reading of this file.
module size_const_unsized (
  input [7:0] a,
  output [39:0] y
);
  assign y = a + 40'h00FFFFFFFF;
endmodule
