// A bank of N counters of W bits built by generate, each with its own
// enable and a per-counter step; a wrap flag per counter and a sum output.
module counter_bank_cell #(parameter W = 6, parameter STEP = 1) (
  input clk, input rst, input en, output reg [W-1:0] q, output wrap
);
  assign wrap = en && (q > {W{1'b1}} - STEP);
  always @(posedge clk)
    if (rst) q <= {W{1'b0}};
    else if (en) q <= q + STEP;
endmodule

module counter_bank #(parameter N = 4, parameter W = 6) (
  input clk,
  input rst,
  input [N-1:0] en,
  output [N*W-1:0] counts,
  output [N-1:0] wraps,
  output reg [W+1:0] total
);
  genvar i;
  generate
    for (i = 0; i < N; i = i + 1) begin : cnt
      counter_bank_cell #(.W(W), .STEP(i + 1)) c (
        .clk(clk), .rst(rst), .en(en[i]), .q(counts[i*W +: W]), .wrap(wraps[i]));
    end
  endgenerate
  integer k;
  always @* begin
    total = 0;
    for (k = 0; k < N; k = k + 1) total = total + counts[k*W +: W];
  end
endmodule
