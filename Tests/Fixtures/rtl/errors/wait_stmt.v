// expect: wait
// expect-line: 6
// a wait statement
module wait_stmt (input clk, input go, input [3:0] d, output reg [3:0] q);
  always @(posedge clk) begin
    wait (go);
    q <= d;
  end
endmodule
