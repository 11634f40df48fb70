// An RTL-level I2C-style write-only master (in place of the gate-level
// Verilog/i2c.v): start condition, 7-bit address + W, one data byte, ACK
// sampling, stop condition; SCL from a divider, open-drain SDA modelled as
// an output enable (sda_oe = 1 pulls low) and a separate input.
module i2c_write #(parameter DIV = 4) (
  input clk,
  input rst,
  input go,
  input [6:0] addr,
  input [7:0] data,
  input sda_in,
  output reg scl,
  output reg sda_oe,
  output reg busy,
  output reg nack
);
  localparam IDLE = 3'd0, START = 3'd1, ADDR = 3'd2, ACK1 = 3'd3, DATA = 3'd4, ACK2 = 3'd5, STOP = 3'd6;
  reg [2:0] state;
  reg [2:0] div;
  reg phase;
  reg [3:0] bitn;
  reg [7:0] sh;
  wire tick = div == DIV - 1;
  always @(posedge clk) begin
    if (rst) begin
      state <= IDLE; div <= 0; phase <= 0; bitn <= 0; sh <= 0;
      scl <= 1'b1; sda_oe <= 1'b0; busy <= 1'b0; nack <= 1'b0;
    end else begin
      div <= tick ? 3'd0 : div + 3'd1;
      if (tick) begin
        phase <= ~phase;
        case (state)
          IDLE: if (go) begin
            state <= START; busy <= 1'b1; nack <= 1'b0; sh <= {addr, 1'b0};
            sda_oe <= 1'b1; phase <= 1'b0;
          end
          START: begin scl <= 1'b0; state <= ADDR; bitn <= 4'd0; end
          ADDR, DATA: begin
            if (!phase) begin
              sda_oe <= ~sh[7];
              scl <= 1'b0;
            end else begin
              scl <= 1'b1;
              sh <= {sh[6:0], 1'b0};
              if (bitn == 4'd7) begin
                bitn <= 4'd0;
                state <= state == ADDR ? ACK1 : ACK2;
              end else bitn <= bitn + 4'd1;
            end
          end
          ACK1, ACK2: begin
            if (!phase) begin
              sda_oe <= 1'b0;
              scl <= 1'b0;
            end else begin
              scl <= 1'b1;
              if (sda_in) begin nack <= 1'b1; state <= STOP; end
              else if (state == ACK1) begin state <= DATA; sh <= data; end
              else state <= STOP;
            end
          end
          STOP: begin
            if (!phase) begin scl <= 1'b0; sda_oe <= 1'b1; end
            else begin scl <= 1'b1; sda_oe <= 1'b0; busy <= 1'b0; state <= IDLE; end
          end
          default: state <= IDLE;
        endcase
      end
    end
  end
endmodule
