// A vending-machine FSM: coins of 5, 10 and 25 cents, an item at 35 cents,
// change returned in 5-cent steps; synchronous reset, Mealy outputs.
module vending (
  input clk,
  input rst,
  input nickel,
  input dime,
  input quarter,
  output reg vend,
  output reg change,
  output [5:0] credit_out
);
  reg [5:0] credit;
  reg [5:0] add;
  always @* begin
    add = 6'd0;
    if (nickel) add = 6'd5;
    else if (dime) add = 6'd10;
    else if (quarter) add = 6'd25;
  end
  always @(posedge clk) begin
    vend <= 1'b0;
    change <= 1'b0;
    if (rst) credit <= 6'd0;
    else if (credit >= 6'd35) begin
      vend <= 1'b1;
      credit <= credit - 6'd35;
    end else if (credit != 6'd0 && add == 6'd0 && credit[0]) begin
      change <= 1'b1;
      credit <= credit - 6'd5;
    end else credit <= credit + add;
  end
  assign credit_out = credit;
endmodule
