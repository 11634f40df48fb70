// expect: task
// expect-line: 5
// a task (tasks are not supported)
module task_decl (input [3:0] a, output reg [3:0] y);
  task inc;
    input [3:0] v;
    output [3:0] r;
    r = v + 1;
  endtask
  always @* inc(a, y);
endmodule
