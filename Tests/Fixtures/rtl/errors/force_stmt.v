// expect: force
// expect-line: 6
// force/release
module force_stmt (input clk, input [3:0] a, output reg [3:0] y);
  always @(posedge clk) begin
    force y = a;
  end
endmodule
