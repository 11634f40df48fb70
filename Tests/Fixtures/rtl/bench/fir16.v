// Benchmark design: a 16-tap FIR filter with 16-bit signed samples and
// programmable 16-bit signed coefficients (a coefficient memory written
// through a small port), a memory-style delay line and a registered,
// saturated 16-bit output. The accumulator is 36 bits wide.
module fir16 #(
  parameter N  = 16,
  parameter DW = 16,
  parameter CW = 16,
  parameter AW = 36
) (
  input clk,
  input rst,
  input en,
  input signed [DW-1:0] x,
  input coef_we,
  input [3:0] coef_addr,
  input signed [CW-1:0] coef_data,
  output reg signed [DW-1:0] y,
  output reg sat
);
  reg signed [DW-1:0] d [0:N-1];
  reg signed [CW-1:0] c [0:N-1];
  reg signed [AW-1:0] acc;
  integer k;

  localparam signed [AW-1:0] MAXV = (1 <<< (DW - 1)) - 1;
  localparam signed [AW-1:0] MINV = -(1 <<< (DW - 1));

  always @* begin
    acc = {AW{1'b0}};
    for (k = 0; k < N; k = k + 1)
      acc = acc + d[k] * c[k];
  end

  // Product scaled back by the coefficient's fraction bits (Q1.15).
  wire signed [AW-1:0] scaled = acc >>> (CW - 1);

  always @(posedge clk) begin
    if (rst) begin
      for (k = 0; k < N; k = k + 1) begin
        d[k] <= {DW{1'b0}};
        c[k] <= {CW{1'b0}};
      end
      y <= {DW{1'b0}};
      sat <= 1'b0;
    end else begin
      if (coef_we)
        c[coef_addr] <= coef_data;
      if (en) begin
        d[0] <= x;
        for (k = 1; k < N; k = k + 1)
          d[k] <= d[k - 1];
        if (scaled > MAXV) begin
          y <= MAXV[DW-1:0];
          sat <= 1'b1;
        end else if (scaled < MINV) begin
          y <= MINV[DW-1:0];
          sat <= 1'b1;
        end else begin
          y <= scaled[DW-1:0];
          sat <= 1'b0;
        end
      end
    end
  end
endmodule
