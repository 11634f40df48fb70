// Bit-parallel simulation and the functional hash (see README).
