// A multiply-accumulate unit (8 x 8 signed into a 20-bit accumulator) and a
// sequential restoring divider (8-bit unsigned, one quotient bit per clock).
module mac_div_mac (input clk, input rst, input en, input signed [7:0] a, input signed [7:0] b,
                    output reg signed [19:0] acc);
  always @(posedge clk)
    if (rst) acc <= 20'sd0;
    else if (en) acc <= acc + a * b;
endmodule

module mac_div_div (input clk, input start, input [7:0] dividend, input [7:0] divisor,
                    output reg [7:0] quotient, output reg [7:0] remainder, output reg done);
  reg [3:0] count;
  reg [8:0] r;
  reg [7:0] q;
  reg busy;
  wire [8:0] trial = {r[7:0], q[7]} - {1'b0, divisor};
  always @(posedge clk) begin
    if (start) begin
      r <= 9'd0;
      q <= dividend;
      count <= 4'd8;
      busy <= 1'b1;
      done <= 1'b0;
    end else if (busy) begin
      if (trial[8]) begin
        r <= {r[7:0], q[7]};
        q <= {q[6:0], 1'b0};
      end else begin
        r <= trial;
        q <= {q[6:0], 1'b1};
      end
      count <= count - 4'd1;
      if (count == 4'd1) begin
        busy <= 1'b0;
        done <= 1'b1;
      end
    end else begin
      quotient <= q;
      remainder <= r[7:0];
    end
  end
endmodule

module mac_div (input clk, input rst, input en, input start, input [7:0] a, input [7:0] b,
                output [19:0] acc, output [7:0] quotient, output [7:0] remainder, output done);
  mac_div_mac mac (.clk(clk), .rst(rst), .en(en), .a(a), .b(b), .acc(acc));
  mac_div_div div (.clk(clk), .start(start), .dividend(a), .divisor(b),
                   .quotient(quotient), .remainder(remainder), .done(done));
endmodule
