// expect: 'forever' loops are not supported
// expect-line: 7
// an initial block that is not a constant register/memory initialisation (a loop with a delay)
module initial_delay_loop (input clk, output reg q);
  initial begin
    q = 1'b0;
    forever #5 q = ~q;
  end
endmodule
