// An 8-entry, 8-bit synchronous FIFO on a small memory: full/empty flags,
// an occupancy count, first-word read combinationally.
module fifo8 #(parameter W = 8, parameter AW = 3) (
  input clk,
  input rst,
  input push,
  input pop,
  input [W-1:0] din,
  output [W-1:0] dout,
  output full,
  output empty,
  output reg [AW:0] count
);
  reg [W-1:0] mem [0:(1 << AW) - 1];
  reg [AW-1:0] wp, rp;
  wire do_push = push && !full;
  wire do_pop = pop && !empty;
  assign full = count == (1 << AW);
  assign empty = count == 0;
  assign dout = mem[rp];
  always @(posedge clk) begin
    if (do_push) mem[wp] <= din;
    if (rst) begin
      wp <= 0;
      rp <= 0;
      count <= 0;
    end else begin
      if (do_push) wp <= wp + 1'b1;
      if (do_pop) rp <= rp + 1'b1;
      case ({do_push, do_pop})
        2'b10: count <= count + 1'b1;
        2'b01: count <= count - 1'b1;
        default: count <= count;
      endcase
    end
  end
endmodule
