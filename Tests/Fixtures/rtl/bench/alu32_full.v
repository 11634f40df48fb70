// Benchmark design: a parameterised W-bit ALU (default 32) with signed and
// unsigned add, sub, multiply (low and high halves), divide and remainder,
// logical and arithmetic shifts, rotates, comparisons and a population count.
// Division by zero is guarded (the result is defined as all ones / the
// dividend). One divider and two multipliers (the product, and quotient x
// divisor for the remainder) keep Yosys's synth near 20 s. Combinational;
// tens of thousands of AIG ANDs.
module alu32_full #(
  parameter W = 32,
  parameter SW = 5
) (
  input  [W-1:0] a,
  input  [W-1:0] b,
  input  [4:0]   op,
  output reg [W-1:0] y,
  output zero,
  output negative,
  output reg carry,
  output reg overflow
);
  localparam OP_ADD  = 5'd0,  OP_SUB  = 5'd1,  OP_AND  = 5'd2,  OP_OR   = 5'd3,
             OP_XOR  = 5'd4,  OP_NOR  = 5'd5,  OP_SLT  = 5'd6,  OP_SLTU = 5'd7,
             OP_SLL  = 5'd8,  OP_SRL  = 5'd9,  OP_SRA  = 5'd10, OP_MUL  = 5'd11,
             OP_MULH = 5'd12, OP_MULHU = 5'd13, OP_DIV = 5'd14, OP_DIVU = 5'd15,
             OP_REM  = 5'd16, OP_REMU = 5'd17, OP_ROL  = 5'd18, OP_ROR  = 5'd19,
             OP_EQ   = 5'd20, OP_GE   = 5'd21, OP_GEU  = 5'd22, OP_POP  = 5'd23,
             OP_MIN  = 5'd24, OP_MAXU = 5'd25;

  wire signed [W-1:0] sa = a;
  wire signed [W-1:0] sb = b;
  wire [SW-1:0] shamt = b[SW-1:0];

  wire [W:0] sum  = {1'b0, a} + {1'b0, b};
  wire [W:0] diff = {1'b0, a} - {1'b0, b};

  // One multiplier: the signed high half is the unsigned one corrected by
  // the operands' sign bits.
  wire [2*W-1:0] produ = a * b;
  wire [W-1:0] mulh_s = produ[2*W-1:W] - (a[W-1] ? b : {W{1'b0}}) - (b[W-1] ? a : {W{1'b0}});

  // One shared divider: signed forms divide the magnitudes and fix the signs
  // afterwards (quotient truncates toward zero, remainder takes the dividend's
  // sign, as `/` and `%` on signed operands do).
  wire div_signed = (op == OP_DIV) || (op == OP_REM);
  wire a_neg = div_signed && a[W-1];
  wire b_neg = div_signed && b[W-1];
  wire [W-1:0] dividend = a_neg ? -a : a;
  wire [W-1:0] divisor  = b_neg ? -b : b;
  wire b_zero = (b == {W{1'b0}});
  wire [W-1:0] q_mag = divisor == {W{1'b0}} ? {W{1'b1}} : dividend / divisor;
  // The remainder from the quotient (a second `%` divider would double Yosys's time).
  wire [W-1:0] qd = q_mag * divisor;
  wire [W-1:0] r_mag = divisor == {W{1'b0}} ? dividend : dividend - qd;
  wire [W-1:0] quou = q_mag;
  wire [W-1:0] remu = r_mag;
  wire signed [W-1:0] quos = b_zero ? -1 : ((a_neg ^ b_neg) ? -q_mag : q_mag);
  wire signed [W-1:0] rems = b_zero ? sa : (a_neg ? -r_mag : r_mag);

  function [SW:0] popcount;
    input [W-1:0] v;
    integer i;
    begin
      popcount = 0;
      for (i = 0; i < W; i = i + 1)
        popcount = popcount + v[i];
    end
  endfunction

  always @* begin
    y = {W{1'b0}};
    carry = 1'b0;
    overflow = 1'b0;
    case (op)
      OP_ADD: begin
        y = sum[W-1:0];
        carry = sum[W];
        overflow = (a[W-1] == b[W-1]) && (y[W-1] != a[W-1]);
      end
      OP_SUB: begin
        y = diff[W-1:0];
        carry = diff[W];
        overflow = (a[W-1] != b[W-1]) && (y[W-1] != a[W-1]);
      end
      OP_AND:   y = a & b;
      OP_OR:    y = a | b;
      OP_XOR:   y = a ^ b;
      OP_NOR:   y = ~(a | b);
      OP_SLT:   y = {{(W-1){1'b0}}, sa < sb};
      OP_SLTU:  y = {{(W-1){1'b0}}, a < b};
      OP_SLL:   y = a << shamt;
      OP_SRL:   y = a >> shamt;
      OP_SRA:   y = sa >>> shamt;
      OP_MUL:   y = produ[W-1:0];
      OP_MULH:  y = mulh_s;
      OP_MULHU: y = produ[2*W-1:W];
      OP_DIV:   y = quos;
      OP_DIVU:  y = quou;
      OP_REM:   y = rems;
      OP_REMU:  y = remu;
      OP_ROL:   y = (a << shamt) | (a >> (W - shamt));
      OP_ROR:   y = (a >> shamt) | (a << (W - shamt));
      OP_EQ:    y = {{(W-1){1'b0}}, a == b};
      OP_GE:    y = {{(W-1){1'b0}}, sa >= sb};
      OP_GEU:   y = {{(W-1){1'b0}}, a >= b};
      OP_POP:   y = popcount(a);
      OP_MIN:   y = (sa < sb) ? a : b;
      OP_MAXU:  y = (a > b) ? a : b;
      default:  y = {W{1'b1}};
    endcase
  end

  assign zero = (y == {W{1'b0}});
  assign negative = y[W-1];
endmodule
