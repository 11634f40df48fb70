// Equivalence-preserving decoder (see README).
