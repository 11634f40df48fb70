// A 32-bit ALU: add, sub, and, or, xor, nor, signed and unsigned set-less-than,
// logical and arithmetic shifts by a variable amount, an 8 x 8 multiply of the
// low bytes; flags zero, negative, carry and signed overflow. Combinational.
module alu32 (
  input  [31:0] a,
  input  [31:0] b,
  input  [3:0]  op,
  output reg [31:0] y,
  output zero,
  output negative,
  output reg carry,
  output reg overflow
);
  localparam OP_ADD = 4'd0, OP_SUB = 4'd1, OP_AND = 4'd2, OP_OR = 4'd3,
             OP_XOR = 4'd4, OP_NOR = 4'd5, OP_SLT = 4'd6, OP_SLTU = 4'd7,
             OP_SLL = 4'd8, OP_SRL = 4'd9, OP_SRA = 4'd10, OP_MUL = 4'd11,
             OP_LUI = 4'd12;
  wire [32:0] sum  = {1'b0, a} + {1'b0, b};
  wire [32:0] diff = {1'b0, a} - {1'b0, b};
  wire signed [31:0] sa = a;
  wire signed [31:0] sb = b;
  wire [4:0] shamt = b[4:0];
  always @* begin
    y = 32'd0;
    carry = 1'b0;
    overflow = 1'b0;
    case (op)
      OP_ADD: begin
        y = sum[31:0];
        carry = sum[32];
        overflow = (a[31] == b[31]) && (y[31] != a[31]);
      end
      OP_SUB: begin
        y = diff[31:0];
        carry = diff[32];
        overflow = (a[31] != b[31]) && (y[31] != a[31]);
      end
      OP_AND:  y = a & b;
      OP_OR:   y = a | b;
      OP_XOR:  y = a ^ b;
      OP_NOR:  y = ~(a | b);
      OP_SLT:  y = {31'd0, sa < sb};
      OP_SLTU: y = {31'd0, a < b};
      OP_SLL:  y = a << shamt;
      OP_SRL:  y = a >> shamt;
      OP_SRA:  y = sa >>> shamt;
      OP_MUL:  y = a[7:0] * b[7:0];
      OP_LUI:  y = {b[15:0], 16'h0000};
      default: y = 32'hDEAD_BEEF;
    endcase
  end
  assign zero = y == 32'd0;
  assign negative = y[31];
endmodule
