// expect: $display
// expect-line: 7
// a system task inside an always block
module system_task (input [3:0] a, output reg [3:0] y);
  always @* begin
    y = a;
    $display("a = %d", a);
  end
endmodule
