// A plain C interface to CaDiCaL's C++ API with DRAT proof tracing, which
// Debian's C API (ccadical.h, CaDiCaL 1.5.3) does not offer.
#ifndef MITER_CADICAL_PROOF_H
#define MITER_CADICAL_PROOF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Results of `miter_cadical_prove_dimacs`.
enum {
    MITER_CADICAL_UNKNOWN = 0,          ///< deadline reached (or the solver gave up)
    MITER_CADICAL_SAT = 10,
    MITER_CADICAL_UNSAT = 20,
    MITER_CADICAL_PROOF_UNWRITABLE = -1, ///< the proof file could not be opened, written or closed
    MITER_CADICAL_INVALID_CLAUSES = -2,  ///< a literal outside ±1...variables, or the last clause lacks its 0
    MITER_CADICAL_INTERNAL_ERROR = -3    ///< an exception inside the solver (e.g. out of memory)
};

/// Solves the CNF given as `count` DIMACS literals, each clause terminated
/// by 0, over variables 1...`variables`, and traces a DRAT proof of every
/// clause CaDiCaL derives to the file at `proofPath` (created or truncated;
/// written directly, whatever its name ends in; binary DRAT when
/// `binaryProof` is nonzero, ASCII DRAT otherwise).
///
/// `seconds` bounds the search (wall clock); 0 or less, NaN or infinity: no
/// bound. On MITER_CADICAL_SAT, and when `values` is not NULL, `values[i - 1]`
/// is set to 1 when variable i is true in the model and to 0 otherwise,
/// for i in 1...`variables` (`values` must hold `variables` entries).
///
/// Returns MITER_CADICAL_SAT (10), MITER_CADICAL_UNSAT (20),
/// MITER_CADICAL_UNKNOWN (0) or one of the negative error codes above; the
/// proof is complete (closed and flushed) when 10 or 20 is returned.
int miter_cadical_prove_dimacs(const int *literals, size_t count, int variables,
                               const char *proofPath, int binaryProof, double seconds,
                               signed char *values);

/// CaDiCaL's version string (e.g. "1.5.3").
const char *miter_cadical_proof_version(void);

#ifdef __cplusplus
}
#endif

#endif
