// RTL twin of Verilog/adder2.v: a two-bit adder with carry in and out.
module adder2_rtl (input [1:0] a, input [1:0] b, input cin, output [1:0] s, output cout);
  assign {cout, s} = a + b + cin;
endmodule
