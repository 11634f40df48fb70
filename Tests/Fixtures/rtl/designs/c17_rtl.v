// RTL twin of Verilog/c17.v (ISCAS-85 c17) with a function and expressions.
module c17_rtl (input N1, input N2, input N3, input N6, input N7, output N22, output N23);
  function nand2(input x, input y);
    nand2 = !(x && y);
  endfunction
  wire N10 = nand2(N1, N3);
  wire N11 = nand2(N3, N6);
  wire N16 = nand2(N2, N11);
  wire N19 = nand2(N11, N7);
  assign N22 = nand2(N10, N16);
  assign N23 = nand2(N16, N19);
endmodule
