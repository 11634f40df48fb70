// A 4-tap FIR filter: 8-bit signed samples, constant signed coefficients,
// a registered delay line and a registered 18-bit output.
module fir4 (
  input clk,
  input rst,
  input en,
  input signed [7:0] x,
  output reg signed [17:0] y
);
  parameter signed [7:0] C0 = 8'sd3, C1 = -8'sd5, C2 = 8'sd7, C3 = 8'sd2;
  reg signed [7:0] d [0:3];
  integer k;
  wire signed [17:0] acc = d[0] * C0 + d[1] * C1 + d[2] * C2 + d[3] * C3;
  always @(posedge clk) begin
    if (rst) begin
      for (k = 0; k < 4; k = k + 1) d[k] <= 8'sd0;
      y <= 18'sd0;
    end else if (en) begin
      d[0] <= x;
      for (k = 1; k < 4; k = k + 1) d[k] <= d[k - 1];
      y <= acc;
    end
  end
endmodule
