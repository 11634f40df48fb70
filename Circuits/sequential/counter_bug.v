// counter.v with one register's next state changed: the shift register
// shifts in ~d (u1.sh[0]); the outputs' functions are unchanged. make.sh
// synthesises it with Yosys into counter_bug.aag.
module shifter(input clk, input rst, input d, output reg [2:0] sh);
  always @(posedge clk) if (rst) sh <= 3'b0; else sh <= {sh[1:0], ~d};
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
