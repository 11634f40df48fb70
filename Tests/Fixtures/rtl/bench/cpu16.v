// Benchmark design: a small 16-bit single-cycle CPU datapath. 8 x 16 register
// file (reg array, r0 reads as zero), 16-bit instruction word from an input
// port, decoder `case`, ALU (add/sub/and/or/xor/shift/multiply/compare),
// immediate forms, conditional branches, jump and link, a program counter,
// a small 16 x 16 data memory and a status register.
//
// Instruction formats (op = ir[15:12]):
//   R:  op rd[11:9] rs[8:6] rt[5:3] fn[2:0]
//   I:  op rd[11:9] rs[8:6] imm6[5:0]
//   J:  op off12[11:0]
module cpu16 (
  input clk,
  input rst,
  input [15:0] instr,
  input [15:0] io_in,
  output [15:0] pc_out,
  output reg [15:0] io_out,
  output [3:0] flags_out,
  output halted
);
  localparam OP_ALU  = 4'h0, OP_ADDI = 4'h1, OP_ANDI = 4'h2, OP_ORI  = 4'h3,
             OP_LUI  = 4'h4, OP_LW   = 4'h5, OP_SW   = 4'h6, OP_BEQ  = 4'h7,
             OP_BNE  = 4'h8, OP_BLT  = 4'h9, OP_JMP  = 4'hA, OP_JAL  = 4'hB,
             OP_JR   = 4'hC, OP_IN   = 4'hD, OP_OUT  = 4'hE, OP_HLT  = 4'hF;
  localparam FN_ADD = 3'd0, FN_SUB = 3'd1, FN_AND = 3'd2, FN_OR  = 3'd3,
             FN_XOR = 3'd4, FN_SHL = 3'd5, FN_SHR = 3'd6, FN_MUL = 3'd7;

  reg [15:0] regs [0:7];
  reg [15:0] dmem [0:15];
  reg [15:0] pc;
  reg [3:0]  flags;   // Z N C V
  reg        halt;

  wire [3:0] op  = instr[15:12];
  wire [2:0] rd  = instr[11:9];
  wire [2:0] rs  = instr[8:6];
  wire [2:0] rt  = instr[5:3];
  wire [2:0] fn  = instr[2:0];
  wire [5:0] imm6 = instr[5:0];
  wire [11:0] off12 = instr[11:0];
  wire [15:0] simm = {{10{imm6[5]}}, imm6};
  wire [15:0] soff = {{4{off12[11]}}, off12};

  wire [15:0] va = (rs == 3'd0) ? 16'd0 : regs[rs];
  wire [15:0] vb = (rt == 3'd0) ? 16'd0 : regs[rt];
  wire [15:0] vd = (rd == 3'd0) ? 16'd0 : regs[rd];

  reg [15:0] result;
  reg        we;
  reg        c_out, v_out, set_flags;
  reg [15:0] next_pc;
  reg [16:0] wide;

  wire [15:0] pc_inc = pc + 16'd1;

  always @* begin
    result = 16'd0;
    we = 1'b0;
    c_out = 1'b0;
    v_out = 1'b0;
    set_flags = 1'b0;
    next_pc = pc_inc;
    wide = 17'd0;
    case (op)
      OP_ALU: begin
        we = 1'b1;
        set_flags = 1'b1;
        case (fn)
          FN_ADD: begin
            wide = {1'b0, va} + {1'b0, vb};
            result = wide[15:0];
            c_out = wide[16];
            v_out = (va[15] == vb[15]) && (result[15] != va[15]);
          end
          FN_SUB: begin
            wide = {1'b0, va} - {1'b0, vb};
            result = wide[15:0];
            c_out = wide[16];
            v_out = (va[15] != vb[15]) && (result[15] != va[15]);
          end
          FN_AND: result = va & vb;
          FN_OR:  result = va | vb;
          FN_XOR: result = va ^ vb;
          FN_SHL: result = va << vb[3:0];
          FN_SHR: result = $signed(va) >>> vb[3:0];
          FN_MUL: result = va * vb;
        endcase
      end
      OP_ADDI: begin
        we = 1'b1;
        set_flags = 1'b1;
        wide = {1'b0, va} + {1'b0, simm};
        result = wide[15:0];
        c_out = wide[16];
      end
      OP_ANDI: begin we = 1'b1; result = va & {10'd0, imm6}; end
      OP_ORI:  begin we = 1'b1; result = va | {10'd0, imm6}; end
      OP_LUI:  begin we = 1'b1; result = {instr[8:0], 7'd0}; end
      OP_LW:   begin we = 1'b1; result = dmem[va[3:0] + imm6[3:0]]; end
      OP_SW:   ;
      OP_BEQ:  if (vd == va) next_pc = pc + simm;
      OP_BNE:  if (vd != va) next_pc = pc + simm;
      OP_BLT:  if ($signed(vd) < $signed(va)) next_pc = pc + simm;
      OP_JMP:  next_pc = pc + soff;
      OP_JAL:  begin we = 1'b1; result = pc_inc; next_pc = pc + {{7{instr[8]}}, instr[8:0]}; end
      OP_JR:   next_pc = va;
      OP_IN:   begin we = 1'b1; result = io_in; end
      OP_OUT:  ;
      OP_HLT:  next_pc = pc;
    endcase
  end

  wire [2:0] wd = (op == OP_JAL) ? 3'd7 : rd;
  integer i;

  always @(posedge clk) begin
    if (rst) begin
      pc <= 16'd0;
      flags <= 4'd0;
      halt <= 1'b0;
      io_out <= 16'd0;
      for (i = 0; i < 8; i = i + 1) regs[i] <= 16'd0;
      for (i = 0; i < 16; i = i + 1) dmem[i] <= 16'd0;
    end else if (!halt) begin
      pc <= next_pc;
      if (we && wd != 3'd0) regs[wd] <= result;
      if (op == OP_SW) dmem[va[3:0] + imm6[3:0]] <= vd;
      if (op == OP_OUT) io_out <= va;
      if (op == OP_HLT) halt <= 1'b1;
      if (set_flags) flags <= {result == 16'd0, result[15], c_out, v_out};
    end
  end

  assign pc_out = pc;
  assign flags_out = flags;
  assign halted = halt;
endmodule
