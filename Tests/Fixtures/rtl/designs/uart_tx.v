// A UART transmitter: 8 data bits, no parity, one stop bit; a baud counter
// divides the clock by DIV.
module uart_tx #(parameter DIV = 10) (
  input clk,
  input rst,
  input start,
  input [7:0] data,
  output reg tx,
  output busy
);
  localparam IDLE = 2'd0, START = 2'd1, DATA = 2'd2, STOP = 2'd3;
  reg [1:0] state;
  reg [3:0] baud;
  reg [2:0] bitn;
  reg [7:0] shift;
  wire tick = baud == DIV - 1;
  assign busy = state != IDLE;
  always @(posedge clk) begin
    if (rst) begin
      state <= IDLE;
      baud <= 4'd0;
      bitn <= 3'd0;
      shift <= 8'd0;
      tx <= 1'b1;
    end else begin
      baud <= (state == IDLE || tick) ? 4'd0 : baud + 4'd1;
      case (state)
        IDLE: if (start) begin
          shift <= data;
          state <= START;
          tx <= 1'b0;
        end
        START: if (tick) begin
          state <= DATA;
          tx <= shift[0];
          shift <= {1'b0, shift[7:1]};
          bitn <= 3'd0;
        end
        DATA: if (tick) begin
          if (bitn == 3'd7) begin
            state <= STOP;
            tx <= 1'b1;
          end else begin
            bitn <= bitn + 3'd1;
            tx <= shift[0];
            shift <= {1'b0, shift[7:1]};
          end
        end
        STOP: if (tick) state <= IDLE;
      endcase
    end
  end
endmodule
