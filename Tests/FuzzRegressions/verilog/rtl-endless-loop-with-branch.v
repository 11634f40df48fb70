// A 4-way round-robin arbiter: the grant rotates from the last winner,
// with a fixed-priority encoder built from a for loop.
module rr_arbiter (
  input clk,
  input rst,
  input [3:0] req,
  output reg [3:0] grant,
  output [1:0] grant_idx,
  output any
);
  reg [1:0] last;
  reg [1:0] pick;
  reg found;
  integer k;
  reg [1:0] cand;
  always @* begin
    found = 1'b0;
    pick = 2'd0;
    for (k = 1; k <= 4; k = k + 0) begin
      cand = last + k;
      if (!found && req[cand]) begin
        found = 1'b1;
        pick = cand;
      end
    end
  end
  always @(posedge clk)
    if (rst) begin
      last <= 2'd3;
      grant <= 4'd0;
    end else begin
      grant <= found ? (4'd1 << pick) : 4'd0;
      if (found) last <= pick;
    end
  assign grant_idx = last;
  assign any = |grant;
endmodule
