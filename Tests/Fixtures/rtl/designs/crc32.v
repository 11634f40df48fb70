// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), one byte per clock,
// computed bit-serially by a for loop inside the clocked block.
module crc32 (
  input clk,
  input rst,
  input en,
  input [7:0] data,
  output [31:0] crc
);
  localparam [31:0] POLY = 32'hEDB8_8320;
  reg [31:0] state;
  function [31:0] next_crc(input [31:0] c, input [7:0] d);
    integer i;
    reg [31:0] t;
    begin
      t = c;
      for (i = 0; i < 8; i = i + 1)
        t = (t[0] ^ d[i]) ? (t >> 1) ^ POLY : t >> 1;
      next_crc = t;
    end
  endfunction
  always @(posedge clk)
    if (rst) state <= 32'hFFFF_FFFF;
    else if (en) state <= next_crc(state, data);
  assign crc = ~state;
endmodule
