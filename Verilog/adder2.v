/* Two-bit ripple-carry adder from full-adder instances (twin of Circuits/adder2.blif) */
module fa (input wire a, input wire b, input wire ci, output s, output co);
  assign s = a ^ b ^ ci;
  assign co = (a & b) | (ci & (a ^ b));
endmodule

(* top *)
module adder2 (a, b, cin, s, cout);
  input [1:0] a, b;
  input cin;
  output [1:0] s;
  output cout;
  wire c1;
  fa bit0 (.a(a[0]), .b(b[0]), .ci(cin), .s(s[0]), .co(c1));
  fa bit1 (a[1], b[1], c1, s[1], cout);
endmodule
