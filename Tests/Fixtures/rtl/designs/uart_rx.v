// A UART receiver: waits for a start bit, samples mid-bit with a baud
// counter, shifts in 8 bits LSB first, checks the stop bit.
module uart_rx #(parameter DIV = 10) (
  input clk,
  input rst,
  input rx,
  output reg [7:0] data,
  output reg valid,
  output reg frame_error
);
  localparam IDLE = 2'd0, START = 2'd1, DATA = 2'd2, STOP = 2'd3;
  reg [1:0] state;
  reg [3:0] baud;
  reg [2:0] bitn;
  reg [7:0] shift;
  reg rx_q, rx_qq;
  always @(posedge clk) begin
    rx_q <= rx;
    rx_qq <= rx_q;
  end
  always @(posedge clk) begin
    if (rst) begin
      state <= IDLE;
      baud <= 4'd0;
      bitn <= 3'd0;
      shift <= 8'd0;
      data <= 8'd0;
      valid <= 1'b0;
      frame_error <= 1'b0;
    end else begin
      valid <= 1'b0;
      case (state)
        IDLE: if (!rx_qq) begin
          state <= START;
          baud <= 4'd0;
        end
        START: if (baud == DIV / 2 - 1) begin
          baud <= 4'd0;
          if (!rx_qq) begin
            state <= DATA;
            bitn <= 3'd0;
          end else state <= IDLE;
        end else baud <= baud + 4'd1;
        DATA: if (baud == DIV - 1) begin
          baud <= 4'd0;
          shift <= {rx_qq, shift[7:1]};
          if (bitn == 3'd7) state <= STOP;
          else bitn <= bitn + 3'd1;
        end else baud <= baud + 4'd1;
        STOP: if (baud == DIV - 1) begin
          baud <= 4'd0;
          state <= IDLE;
          if (rx_qq) begin
            data <= shift;
            valid <= 1'b1;
            frame_error <= 1'b0;
          end else frame_error <= 1'b1;
        end else baud <= baud + 4'd1;
      endcase
    end
  end
endmodule
