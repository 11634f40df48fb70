// Benchmark design: a 64-bit CRC (ECMA-182 polynomial) over a 32-bit input
// word per cycle, computed with for loops, plus a 64-bit mixing round
// (xor-shift-multiply, rotations, modular additions in a generate loop over
// four lanes). Registered state; one clock.
module hash64 #(
  parameter [63:0] POLY = 64'h42F0_E1EB_A9EA_3693,
  parameter LANES = 4
) (
  input clk,
  input rst,
  input en,
  input [31:0] din,
  output [63:0] crc,
  output [63:0] digest
);
  reg [63:0] crc_q;
  reg [63:0] lane_q [0:LANES-1];

  function [63:0] crc_step;
    input [63:0] c;
    input [31:0] d;
    integer i;
    reg fb;
    begin
      crc_step = c;
      for (i = 31; i >= 0; i = i - 1) begin
        fb = crc_step[63] ^ d[i];
        crc_step = {crc_step[62:0], 1'b0};
        if (fb) crc_step = crc_step ^ POLY;
      end
    end
  endfunction

  function [63:0] rotl;
    input [63:0] v;
    input [5:0] n;
    begin
      rotl = (v << n) | (v >> (7'd64 - n));
    end
  endfunction

  function [63:0] mix;
    input [63:0] v;
    input [63:0] k;
    reg [63:0] t;
    begin
      t = v ^ (v >> 31);
      t = t * 64'h0000_0000_9E37_79B9;
      t = t ^ (t >> 29);
      mix = t + k;
    end
  endfunction

  wire [63:0] crc_next = crc_step(crc_q, din);
  wire [63:0] lane_next [0:LANES-1];

  genvar g;
  generate
    for (g = 0; g < LANES; g = g + 1) begin : lane
      wire [63:0] prev = lane_q[(g + LANES - 1) % LANES];
      wire [63:0] rot = rotl(prev, crc_q[6*g+5:6*g]);
      assign lane_next[g] = mix(lane_q[g] ^ {din, din}, rot) + (64'd1 << g);
    end
  endgenerate

  integer j;
  always @(posedge clk) begin
    if (rst) begin
      crc_q <= {64{1'b1}};
      for (j = 0; j < LANES; j = j + 1) lane_q[j] <= 64'd0;
    end else if (en) begin
      crc_q <= crc_next;
      for (j = 0; j < LANES; j = j + 1) lane_q[j] <= lane_next[j];
    end
  end

  assign crc = ~crc_q;
  assign digest = lane_q[0] ^ lane_q[1] ^ lane_q[2] ^ lane_q[3];
endmodule
