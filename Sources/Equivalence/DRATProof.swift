import AIG
import CaDiCaLProof
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// The whole-miter DRAT route: the CNF of a miter, "Tseitin(cone of the
/// outputs) ∧ (o_0 ∨ o_1 ∨ …)", written in DIMACS, and the DRAT proof
/// CaDiCaL traces while solving it, so that an `equivalent` verdict (the CNF
/// is UNSAT) can be checked by a standard DRAT checker such as drat-trim:
///
///     drat-trim miter.cnf miter.drat     # prints "s VERIFIED"
///
/// Literal mapping: AIG variable v is DIMACS variable v + 1. DIMACS variable 1
/// is the constant false (the unit clause `-1 0` comes first), variables
/// 2 ... inputCount + 1 are the miter's inputs, and AND variables follow in
/// the AIG's order. An AIG literal `2v + c` is DIMACS `(v + 1)`, negated when
/// c = 1. Each AND n = a ∧ b of the outputs' cone gives (¬n ∨ a), (¬n ∨ b),
/// (n ∨ ¬a ∨ ¬b) (duplicate literals merged, tautologies left out); the last
/// clause says some output is 1. The DIMACS header counts every AIG variable
/// (V = maxVariable + 1), also those outside the cone, so the mapping stays
/// the identity shifted by one.
public enum WholeMiterDRAT {
    public struct Params: Sendable, Equatable {
        /// Wall-clock bound on CaDiCaL's search in seconds; `.infinity`: none.
        public var timeout: Double
        /// Binary DRAT (smaller, what CaDiCaL writes by default) instead of ASCII.
        public var binaryProof: Bool
        public init(timeout: Double = .infinity, binaryProof: Bool = false) {
            self.timeout = timeout
            self.binaryProof = binaryProof
        }
    }

    public enum Verdict: String, Codable, Sendable {
        /// The CNF is unsatisfiable: every output is constant 0, the circuits
        /// are equivalent, and the proof file ends with the empty clause.
        case unsat
        /// Some input vector sets an output to 1 (`Result.counterexample`).
        case sat
        /// The timeout ran out first.
        case unknown
    }

    public struct Result: Codable, Sendable, Equatable {
        public var verdict: Verdict
        public var cnfPath: String
        /// Written for every verdict; a refutation only when `verdict == .unsat`
        /// (otherwise the clauses derived before the model or the timeout).
        public var proofPath: String
        public var binaryProof: Bool
        /// The DIMACS header's V and C.
        public var variables: Int
        public var clauses: Int
        /// The whole call: encoding, writing the CNF, solving with the proof trace.
        public var seconds: Double
        /// CaDiCaL alone (with the proof trace).
        public var solveSeconds: Double
        public var proofBytes: Int
        /// On `.sat`: values of the miter's inputs (`miter.inputCount` of
        /// them, in order) under which some output of the miter is 1,
        /// confirmed by evaluating the miter. nil otherwise.
        public var counterexample: [Bool]?
    }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The miter has latches; cut them first (`AIG.cuttingLatches()`).
        case notCombinational
        /// The AIG breaks an invariant (`AIG.invariantViolation()`).
        case invalidMiter(String)
        /// More variables than DIMACS literals (32-bit) can name.
        case tooLarge(variables: Int)
        case samePath(String)
        case cannotWrite(path: String, reason: String)
        /// CaDiCaL's wrapper returned an error code (see CaDiCaLProof.h).
        case solver(code: Int)
        /// The model does not set an output to 1: an encoding bug, never expected.
        case modelCheckFailed

        public var description: String {
            switch self {
            case .notCombinational: return "the miter has latches; cut them before writing its CNF"
            case let .invalidMiter(why): return "invalid miter: \(why)"
            case let .tooLarge(v): return "\(v) CNF variables exceed the 32-bit DIMACS range"
            case let .samePath(p): return "the CNF and the proof would both be written to \(p)"
            case let .cannotWrite(p, why): return "\(p): cannot write: \(why)"
            case let .solver(code): return "CaDiCaL failed (code \(code))"
            case .modelCheckFailed: return "internal error: CaDiCaL's model sets no miter output to 1"
            }
        }
    }

    /// A CNF as zero-terminated DIMACS clauses.
    public struct CNF: Sendable, Equatable {
        public var variables: Int
        public var clauseCount: Int
        /// The clauses' literals, each clause followed by 0.
        public var literals: [Int32]
    }

    /// The DIMACS comment line naming the literal mapping.
    public static let mappingComment = "c miter CNF: AIG variable v = DIMACS variable v+1 (1 = constant false, 2..I+1 = inputs); AND cones of the outputs in Tseitin form; last clause: some output is 1"

    /// DIMACS literal of an AIG literal (mapping above).
    @inline(__always) static func dimacs(_ l: Literal) -> Int32 {
        let v = Int32(l.variable) + 1
        return l.isComplemented ? -v : v
    }

    /// The miter's CNF: Tseitin clauses of the outputs' cones and the
    /// clause "some output is 1" (for no outputs, the constant false literal,
    /// so the CNF is UNSAT).
    public static func encode(miter: AIG) throws(Failure) -> CNF {
        guard miter.isCombinational else { throw .notCombinational }
        if let why = miter.invariantViolation() { throw .invalidMiter(why) }
        let variables = miter.maxVariable + 1
        guard variables < Int(Int32.max) else { throw .tooLarge(variables: variables) }

        var inCone = [Bool](repeating: false, count: miter.maxVariable + 1)
        for o in miter.outputs { inCone[Int(o.variable)] = true }
        let first = miter.firstAndVariable
        for k in stride(from: miter.ands.count - 1, through: 0, by: -1) where inCone[first + k] {
            inCone[Int(miter.ands[k].left.variable)] = true
            inCone[Int(miter.ands[k].right.variable)] = true
        }

        var lits: [Int32] = []
        lits.reserveCapacity(10 * miter.ands.count + miter.outputs.count + 4)
        var clauses = 0
        func add(_ x: Int32, _ y: Int32) {
            if x == -y { return }
            if x == y { lits.append(x) } else { lits.append(x); lits.append(y) }
            lits.append(0); clauses += 1
        }
        func add(_ x: Int32, _ y: Int32, _ z: Int32) {
            if x == -y || x == -z || y == -z { return }
            lits.append(x)
            if y != x { lits.append(y) }
            if z != x && z != y { lits.append(z) }
            lits.append(0); clauses += 1
        }
        lits.append(-1); lits.append(0); clauses += 1   // constant false
        for k in 0..<miter.ands.count where inCone[first + k] {
            let n = Int32(first + k) + 1, a = dimacs(miter.ands[k].left), b = dimacs(miter.ands[k].right)
            add(-n, a)
            add(-n, b)
            add(n, -a, -b)
        }
        var some: [Int32] = []
        var seen = Set<Int32>()
        var tautology = false
        for o in miter.outputs {
            let d = dimacs(o)
            if seen.contains(-d) { tautology = true; break }
            if seen.insert(d).inserted { some.append(d) }
        }
        if !tautology {
            if some.isEmpty { some = [1] }   // no outputs: constant false
            lits.append(contentsOf: some); lits.append(0); clauses += 1
        }
        return CNF(variables: variables, clauseCount: clauses, literals: lits)
    }

    /// The DIMACS text: the mapping comment, `p cnf V C`, one clause a line.
    public static func dimacsBytes(_ cnf: CNF) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(cnf.literals.count * 7 + 256)
        out.append(contentsOf: Array(mappingComment.utf8)); out.append(10)
        out.append(contentsOf: Array("p cnf \(cnf.variables) \(cnf.clauseCount)\n".utf8))
        var digits = [UInt8](repeating: 0, count: 12)
        for l in cnf.literals {
            if l == 0 { out.append(48); out.append(10); continue }
            if l < 0 { out.append(45) }   // '-'
            var m = l.magnitude, n = 0
            while m > 0 { digits[n] = UInt8(48 + m % 10); m /= 10; n += 1 }
            while n > 0 { n -= 1; out.append(digits[n]) }
            out.append(32)
        }
        return out
    }

    /// Encodes the miter, writes its CNF to `cnfPath`, runs CaDiCaL on it
    /// and traces the DRAT proof to `proofPath`. Both files are written under
    /// temporary names in their directories and renamed into place at the
    /// end; on a thrown error neither file (nor a temporary) is left behind.
    public static func write(miter: AIG, cnfPath: String, proofPath: String,
                             params: Params = Params()) throws(Failure) -> Result {
        let start = now()
        if cnfPath == proofPath { throw .samePath(cnfPath) }
        let cnf = try encode(miter: miter)
        let suffix = ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let cnfTemp = cnfPath + suffix, proofTemp = proofPath + suffix
        var renamedCNF = false
        do throws(Failure) {
            try writeFile(dimacsBytes(cnf), to: cnfTemp, reportedAs: cnfPath)
            var values = [Int8](repeating: 0, count: cnf.variables)
            let seconds = params.timeout.isNaN ? 1e-9 : (params.timeout.isFinite ? max(params.timeout, 1e-9) : 0)
            let solveStart = now()
            let code = cnf.literals.withUnsafeBufferPointer { lits in
                values.withUnsafeMutableBufferPointer { vals in
                    miter_cadical_prove_dimacs(lits.baseAddress, lits.count, Int32(cnf.variables), proofTemp,
                                               params.binaryProof ? 1 : 0, seconds, vals.baseAddress)
                }
            }
            let solveSeconds = now() - solveStart
            let verdict: Verdict
            var counterexample: [Bool]?
            switch code {
            case 20: verdict = .unsat
            case 10:
                verdict = .sat
                let inputs = (0..<miter.inputCount).map { values[$0 + 1] != 0 }
                let outputs = (try? evaluate(miter, inputs: inputs)) ?? []
                guard outputs.contains(true) else { throw Failure.modelCheckFailed }
                counterexample = inputs
            case 0: verdict = .unknown
            case -1: throw Failure.cannotWrite(path: proofPath, reason: "cannot open or write the proof file")
            default: throw Failure.solver(code: Int(code))
            }
            let proofBytes = try fileSize(proofTemp, reportedAs: proofPath)
            try renameFile(cnfTemp, to: cnfPath)
            renamedCNF = true
            try renameFile(proofTemp, to: proofPath)
            return Result(verdict: verdict, cnfPath: cnfPath, proofPath: proofPath, binaryProof: params.binaryProof,
                          variables: cnf.variables, clauses: cnf.clauseCount, seconds: now() - start,
                          solveSeconds: solveSeconds, proofBytes: proofBytes, counterexample: counterexample)
        } catch {
            unlink(cnfTemp); unlink(proofTemp)
            if renamedCNF { unlink(cnfPath) }
            throw error
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    private static func writeFile(_ bytes: [UInt8], to path: String, reportedAs name: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw .cannotWrite(path: name, reason: errnoText()) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(fd, buf.baseAddress.map { $0 + done }, bytes.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let why = errnoText()
                close(fd)
                throw .cannotWrite(path: name, reason: why)
            }
            done += n
        }
        if close(fd) != 0 { throw .cannotWrite(path: name, reason: errnoText()) }
    }

    private static func fileSize(_ path: String, reportedAs name: String) throws(Failure) -> Int {
        var st = stat()
        if stat(path, &st) != 0 { throw .cannotWrite(path: name, reason: errnoText()) }
        return Int(st.st_size)
    }

    private static func renameFile(_ from: String, to: String) throws(Failure) {
        if rename(from, to) != 0 { throw .cannotWrite(path: to, reason: errnoText()) }
    }
}
