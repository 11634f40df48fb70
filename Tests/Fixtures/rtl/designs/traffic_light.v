// A traffic-light controller: a Moore FSM with a timer, a pedestrian
// request latched until served, and an asynchronous active-low reset.
module traffic_light (
  input clk,
  input rst_n,
  input ped,
  output reg [2:0] main_light,   // {red, yellow, green}
  output reg [2:0] side_light,
  output walk,
  output reg [2:0] state,        // registers as outputs: their reference latches are
  output reg [4:0] timer,        // anonymous after async2sync and take the output names
  output reg ped_req
);
  localparam MG = 3'd0, MY = 3'd1, SG = 3'd2, SY = 3'd3, WALK = 3'd4;
  wire expired = timer == 5'd0;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      state <= MG;
      timer <= 5'd20;
      ped_req <= 1'b0;
    end else begin
      if (ped) ped_req <= 1'b1;
      if (!expired) timer <= timer - 5'd1;
      else case (state)
        MG: begin state <= MY; timer <= 5'd3; end
        MY: begin
          if (ped_req) begin state <= WALK; timer <= 5'd8; ped_req <= 1'b0; end
          else begin state <= SG; timer <= 5'd12; end
        end
        SG: begin state <= SY; timer <= 5'd3; end
        SY: begin state <= MG; timer <= 5'd20; end
        WALK: begin state <= SG; timer <= 5'd12; end
        default: begin state <= MG; timer <= 5'd20; end
      endcase
    end
  end
  always @* begin
    main_light = 3'b100;
    side_light = 3'b100;
    case (state)
      MG: main_light = 3'b001;
      MY: main_light = 3'b010;
      SG: side_light = 3'b001;
      SY: side_light = 3'b010;
      default: ;
    endcase
  end
  assign walk = state == WALK;
endmodule
