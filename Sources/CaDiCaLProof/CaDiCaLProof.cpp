// CaDiCaL with DRAT proof tracing behind a plain C interface (see CaDiCaLProof.h).
#include "CaDiCaLProof.h"

#include <cadical.hpp>

#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

/// Stops the search once a wall-clock deadline has passed.
class Deadline final : public CaDiCaL::Terminator {
public:
    explicit Deadline(double seconds)
        : end_(std::chrono::steady_clock::now()
               + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(seconds))) {}
    bool terminate() override { return std::chrono::steady_clock::now() >= end_; }

private:
    std::chrono::steady_clock::time_point end_;
};

bool validClauses(const int *literals, size_t count, int variables) {
    if (count > 0 && literals == nullptr) return false;
    for (size_t i = 0; i < count; i++) {
        const int l = literals[i];
        if (l == 0) continue;
        if (l == INT_MIN || std::abs(l) > variables) return false;
    }
    return count == 0 || literals[count - 1] == 0;
}

} // namespace

extern "C" int miter_cadical_prove_dimacs(const int *literals, size_t count, int variables,
                                          const char *proofPath, int binaryProof, double seconds,
                                          signed char *values) {
    if (variables < 0 || !validClauses(literals, count, variables)) return MITER_CADICAL_INVALID_CLAUSES;
    if (proofPath == nullptr) return MITER_CADICAL_PROOF_UNWRITABLE;
    // Opened here rather than by CaDiCaL's trace_proof(path), which would
    // pipe through a compressor for names ending in .gz, .xz, .bz2 or .7z.
    std::FILE *file = std::fopen(proofPath, "wb");
    if (file == nullptr) return MITER_CADICAL_PROOF_UNWRITABLE;
    int result = MITER_CADICAL_INTERNAL_ERROR;
    try {
        // Construction to destruction: the tracer borrows `file` and the
        // solver's destructor flushes the last clauses into it.
        std::unique_ptr<CaDiCaL::Solver> solver(new CaDiCaL::Solver());
        solver->set("quiet", 1);
        // Read when the tracer is created: must precede trace_proof.
        solver->set("binary", binaryProof ? 1 : 0);
        solver->trace_proof(file, proofPath);
        solver->reserve(variables);
        for (size_t i = 0; i < count; i++) solver->add(literals[i]);
        std::unique_ptr<Deadline> deadline;
        if (std::isfinite(seconds) && seconds > 0) {
            deadline.reset(new Deadline(seconds));
            solver->connect_terminator(deadline.get());
        }
        result = solver->solve();
        if (deadline) solver->disconnect_terminator();
        if (result == MITER_CADICAL_SAT && values != nullptr) {
            for (int v = 1; v <= variables; v++) values[v - 1] = solver->val(v) > 0 ? 1 : 0;
        }
        if (result != MITER_CADICAL_SAT && result != MITER_CADICAL_UNSAT) result = MITER_CADICAL_UNKNOWN;
        solver->close_proof_trace();
    } catch (...) {
        result = MITER_CADICAL_INTERNAL_ERROR;
    }
    const bool writeFailed = std::ferror(file) != 0;
    if (std::fclose(file) != 0 || writeFailed) {
        if (result >= 0) result = MITER_CADICAL_PROOF_UNWRITABLE;
    }
    return result;
}

extern "C" const char *miter_cadical_proof_version(void) { return CaDiCaL::Solver::version(); }
