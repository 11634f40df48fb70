// A small sequential design for register matching (issue #14): a 4-bit
// counter with synchronous reset and enable, a 3-bit shift register in a
// submodule and a parity flop. Not for miter's Verilog reader (no always
// blocks there): make.sh turns it into BLIF and AIGER with Yosys.
module shifter(input clk, input rst, input d, output reg [2:0] sh);
  always @(posedge clk) if (rst) sh <= 3'b0; else sh <= {sh[1:0], d};
endmodule

module counter(input clk, input rst, input en, input d,
               output [3:0] count, output [2:0] shout, output par);
  reg [3:0] cnt;
  reg p;
  always @(posedge clk) begin
    if (rst) cnt <= 4'd0; else if (en) cnt <= cnt + 4'd1;
    p <= ^cnt ^ d;
  end
  shifter u1(.clk(clk), .rst(rst), .d(d), .sh(shout));
  assign count = cnt;
  assign par = p;
endmodule
