import Testing
@testable import Equivalence

@Suite struct Z3SmokeTests {
    @Test func contradictionIsUnsat() {
        let z3 = Z3Solver()
        let a = z3.boolVariable("a")
        z3.assert(z3.and(a, z3.not(a)))
        #expect(z3.check() == .unsat)
    }

    @Test func satCoreAnswersToo() {
        let z3 = Z3Solver(logic: "QF_FD")
        let a = z3.boolVariable("a")
        z3.assert(a)
        #expect(z3.check() == .sat)
    }
}
