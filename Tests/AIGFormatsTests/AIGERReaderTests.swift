import Testing
import AIG
@testable import AIGFormats
import TestSupport

private func parse(_ text: String, file: String = "t.aag") throws -> AIG {
    try AIGERReader.parse(Array(text.utf8), file: file)
}

/// Values of the outputs for one input assignment (tests only; combinational part).
private func outputs(_ aig: AIG, _ inputs: [Bool], latches: [Bool] = []) -> [Bool] {
    var value = [Bool](repeating: false, count: aig.maxVariable + 1)
    for i in 0..<aig.inputCount { value[i + 1] = inputs[i] }
    for i in 0..<aig.latchCount { value[aig.firstLatchVariable + i] = latches[i] }
    func lit(_ l: Literal) -> Bool { value[Int(l.variable)] != l.isComplemented }
    for (k, a) in aig.ands.enumerated() { value[aig.firstAndVariable + k] = lit(a.left) && lit(a.right) }
    return aig.outputs.map(lit) + aig.latches.map { lit($0.next) }
}

@Suite struct AIGERExamplesTests {
    static let examples = ["and.aag", "buffer.aag", "cnt1.aag", "cnt1e.aag", "empty.aag", "false.aag",
                           "halfadder.aag", "inverter.aag", "mult2.aig", "notcnt1.aag", "notcnt1e.aag",
                           "or.aag", "s2cfair.aig", "s2cunfair.aig", "toggle-re.aag", "toggle.aag",
                           "true.aag", "xor1.aag", "xorxormiter.aag"]

    @Test(arguments: examples)
    func readsAndRoundTrips(name: String) throws {
        let path = TestSupport.repoFile("Circuits/aiger-examples/\(name)").path
        let aig = try CircuitIO.read(path: path)
        #expect(aig.invariantViolation() == nil)
        for format in [CircuitFormat.aigerASCII, .aigerBinary] {
            let again = try CircuitIO.parse(try CircuitIO.serialize(aig, format: format), name: "rt")
            #expect(again == aig, "\(name) changed in a \(format) round trip")
        }
    }

    @Test func formatDocumentExamplesHaveTheirFunctions() throws {
        let and = try parse("aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n")
        let or = try parse("aag 3 2 0 1 1\n2\n4\n7\n6 3 5\n")
        let half = try CircuitIO.read(path: TestSupport.repoFile("Circuits/aiger-examples/halfadder.aag").path)
        for a in [false, true] { for b in [false, true] {
            #expect(outputs(and, [a, b]) == [a && b])
            #expect(outputs(or, [a, b]) == [a || b])
            #expect(outputs(half, [a, b]) == [a != b, a && b])
        } }
        #expect(half.inputNames == ["x", "y"])
        #expect(half.outputNames == ["s", "c"])
        #expect(half.comments == ["half adder"])
        #expect(try parse("aag 0 0 0 1 0\n1\n").outputs == [.true])
        #expect(try parse("aag 0 0 0 1 0\n0\n").outputs == [.false])
        #expect(try parse("aag 1 1 0 1 0\n2\n3\n").outputs == [Literal(raw: 3)])
    }

    @Test func latchesAndResetValues() throws {
        let toggle = try parse("aag 1 0 1 2 0\n2 3\n2\n3\n")
        #expect(toggle.latches == [Latch(next: Literal(raw: 3), reset: .zero)])
        let resets = try parse("aag 3 0 3 0 0\n2 2 0\n4 4 1\n6 6 6\n")
        #expect(resets.latches.map(\.reset) == [.zero, .one, .uninitialized])
        let re = try CircuitIO.read(path: TestSupport.repoFile("Circuits/aiger-examples/toggle-re.aag").path)
        #expect(re.inputNames == ["enable", "reset"])
        // Q' = reset & (enable ^ Q)
        for e in [false, true] { for r in [false, true] { for q in [false, true] {
            #expect(outputs(re, [e, r], latches: [q]) == [q, !q, r && (e != q)])
        } } }
    }

    @Test func version19Sections() throws {
        let fair = try CircuitIO.read(path: TestSupport.repoFile("Circuits/aiger-examples/s2cfair.aig").path)
        #expect(fair.justice.count == 2 && fair.fairness.count == 2)
        #expect(fair.constraints.count == 1)
        let cnt = try CircuitIO.read(path: TestSupport.repoFile("Circuits/aiger-examples/cnt1e.aag").path)
        #expect(cnt.bad.count == 1 && cnt.badNames == ["AIGER_NEVER"])
        let j = try parse("aag 2 2 0 0 0 1 1 2 1\n2\n4\n2\n3\n1\n2\n4\n5\n5\n5\nb0 bad\nc0 con\nj1 just\nf0 fair\n")
        #expect(j.bad == [Literal(raw: 2)] && j.constraints == [Literal(raw: 3)])
        #expect(j.justice == [[Literal(raw: 4)], [Literal(raw: 5), Literal(raw: 5)]])
        #expect(j.fairness == [Literal(raw: 5)])
        #expect(j.justiceNames == [nil, "just"] && j.constraintNames == ["con"] && j.fairnessNames == ["fair"])
        #expect(try CircuitIO.parse(AIGERWriter.binary(j), name: "b") == j)
    }

    @Test func outOfOrderAndSparseASCIIIsSortedAndRenumbered() throws {
        // ANDs defined before their fanins, variables 10, 20 for the inputs.
        let aig = try parse("aag 40 2 0 2 3\n20\n40\n60\n61\n60 51 31\n30 20 40\n50 21 41\ni0 a\ni1 b\n")
        #expect(aig.maxVariable == 5)
        #expect(aig.invariantViolation() == nil)
        #expect(aig.inputNames == ["a", "b"])
        for a in [false, true] { for b in [false, true] {
            #expect(outputs(aig, [a, b]) == [a != b, a == b])
        } }
    }

    @Test func edgeCases() throws {
        let empty = try parse("aag 0 0 0 0 0\n")
        #expect(empty.maxVariable == 0 && empty.outputs.isEmpty)
        #expect(try parse("aig 0 0 0 0 0\n").maxVariable == 0)
        // Huge M with few nodes: sparse variables, no giant allocation.
        let huge = try parse("aag 1000000000 1 0 2 0\n2000000000\n2000000000\n2000000001\n")
        #expect(huge.inputCount == 1 && huge.outputs == [Literal(raw: 2), Literal(raw: 3)])
        // Outputs that are inputs and constants; CRLF symbol names.
        let mixed = try parse("aag 1 1 0 3 0\n2\n2\n0\n1\no0 x\r\n")
        #expect(mixed.outputs == [Literal(raw: 2), .false, .true])
        #expect(mixed.outputNames == ["x", nil, nil])
        // Comment section without trailing newline.
        #expect(try parse("aag 0 0 0 0 0\nc\nfirst\nsecond").comments == ["first", "second"])
    }
}

/// Each malformed input must fail with its own message at its own location.
@Suite struct AIGERMalformedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var message: String
        var line: Int? = nil
        var column: Int? = nil
        var byteOffset: Int? = nil
        var testDescription: String { name }
    }

    static func text(_ name: String, _ s: String, _ message: String, line: Int, column: Int) -> Case {
        Case(name: name, bytes: Array(s.utf8), message: message, line: line, column: column)
    }
    static func binary(_ name: String, _ header: String, _ tail: [UInt8], _ message: String, offset: Int) -> Case {
        Case(name: name, bytes: Array(header.utf8) + tail, message: message, byteOffset: offset)
    }

    static let cases: [Case] = [
        text("empty file", "", "empty file", line: 1, column: 1),
        text("no header fields", "aag\n", "with at least 5 numbers, found 0", line: 1, column: 4),
        text("three header fields", "aag 1 2 3\n", "with at least 5 numbers, found 3", line: 1, column: 10),
        text("wrong magic", "xyz 0 0 0 0 0\n", "starting with 'aag' or 'aig'", line: 1, column: 1),
        text("header without newline", "aag 0 0 0 0 0", "expected end of line", line: 1, column: 14),
        text("double space in header", "aag  0 0 0 0 0\n", "expected header field M", line: 1, column: 5),
        text("trailing space in header", "aag 0 0 0 0 0 \n", "expected header field B", line: 1, column: 15),
        text("too many header fields", "aag 0 0 0 0 0 0 0 0 0 0\n", "expected end of line", line: 1, column: 22),
        text("M smaller than I+L+A", "aag 1 2 0 0 0\n2\n4\n", "M = 1 is smaller than I + L + A = 2", line: 1, column: 1),
        text("binary M != I+L+A", "aig 5 1 0 0 1\n", "M = 5 must equal I + L + A = 2", line: 1, column: 1),
        text("header number too large", "aag 99999999999 0 0 0 0\n", "header field M is too large", line: 1, column: 5),
        text("header field above limit", "aag 2000000000 0 0 0 0\n", "exceeds the supported maximum", line: 1, column: 14),
        text("odd input literal", "aag 1 1 0 0 0\n3\n", "input literal 3 must be even", line: 2, column: 1),
        text("constant input literal", "aag 1 1 0 0 0\n0\n", "input literal 0 must be even and not a constant", line: 2, column: 1),
        text("input literal out of range", "aag 1 1 0 0 0\n4\n", "input literal 4 exceeds 2*M+1 = 3", line: 2, column: 1),
        text("input defined twice", "aag 2 2 0 0 0\n2\n2\n", "already defined as an input", line: 3, column: 1),
        text("output literal out of range", "aag 1 0 0 1 0\n4\n", "output literal 4 exceeds 2*M+1 = 3", line: 2, column: 1),
        text("undefined output", "aag 2 1 0 1 0\n2\n4\n", "output literal 4 uses variable 2, which is never defined", line: 3, column: 1),
        text("AND fanin out of range", "aag 3 2 0 1 1\n2\n4\n6\n6 2 8\n", "AND fanin literal 8 exceeds 2*M+1 = 7", line: 5, column: 5),
        text("undefined AND fanin", "aag 3 1 0 1 1\n2\n6\n6 2 4\n", "AND fanin literal 4 uses variable 2", line: 4, column: 1),
        text("AND defined twice", "aag 4 2 0 1 2\n2\n4\n6\n6 2 4\n6 2 5\n", "variable 3 (literal 6) is already defined as an AND", line: 6, column: 1),
        text("AND redefines input", "aag 2 1 0 1 1\n2\n2\n2 2 2\n", "already defined as an input", line: 4, column: 1),
        text("combinational cycle", "aag 3 1 0 1 2\n2\n4\n4 2 6\n6 2 4\n", "combinational cycle", line: 4, column: 1),
        text("self loop", "aag 2 1 0 1 1\n2\n4\n4 4 2\n", "combinational cycle through AND literal 4", line: 4, column: 1),
        text("odd AND literal", "aag 2 1 0 1 1\n2\n4\n5 2 2\n", "AND literal 5 must be even", line: 4, column: 1),
        text("AND missing fanin", "aag 2 1 0 1 1\n2\n4\n4 2\n", "expected a single space, found end of line", line: 4, column: 4),
        text("garbage literal", "aag 1 1 0 1 0\n2\nx\n", "expected output literal (a decimal number), found 'x'", line: 3, column: 1),
        text("missing output line", "aag 1 1 0 2 0\n2\n2\n", "expected output literal (a decimal number), found end of file", line: 4, column: 1),
        text("bad latch reset", "aag 1 0 1 0 0\n2 3 5\n", "latch reset value must be 0, 1 or the latch literal 2, found 5", line: 2, column: 5),
        text("odd latch literal", "aag 1 0 1 0 0\n3 2\n", "latch literal 3 must be even", line: 2, column: 1),
        text("missing justice size", "aag 1 1 0 0 0 0 0 1\n2\n", "expected justice property size", line: 3, column: 1),
        text("symbol position out of range", "aag 1 1 0 1 0\n2\n2\ni1 x\n", "input symbol position 1 is out of range (the file has 1 input)", line: 4, column: 2),
        text("duplicate symbol", "aag 1 1 0 1 0\n2\n2\ni0 x\ni0 y\n", "input 0 already has a symbol", line: 5, column: 1),
        text("unknown symbol kind", "aag 1 1 0 1 0\n2\n2\nz0 x\n", "expected a symbol line", line: 4, column: 1),
        text("empty symbol name", "aag 1 1 0 1 0\n2\n2\ni0 \n", "expected a symbol name", line: 4, column: 4),
        text("symbol without space", "aag 1 1 0 1 0\n2\n2\ni0x\n", "expected a single space, found 'x'", line: 4, column: 3),
        text("symbol for missing latch", "aag 1 1 0 1 0\n2\n2\nl0 q\n", "latch symbol position 0 is out of range (the file has 0 latchs)", line: 4, column: 2),
        binary("truncated AND section", "aig 3 2 0 1 1\n6\n", [0x82], "truncated delta encoding", offset: 16),
        binary("zero first delta", "aig 3 2 0 1 1\n6\n", [0, 2], "first delta 0 must be between 1 and 6", offset: 16),
        binary("first delta beyond lhs", "aig 3 2 0 1 1\n6\n", [7, 0], "first delta 7 must be between 1 and 6", offset: 16),
        binary("second delta beyond first fanin", "aig 3 2 0 1 1\n6\n", [2, 5], "second delta 5 exceeds first fanin 4", offset: 16),
        binary("varint overflow", "aig 3 2 0 1 1\n6\n", [0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0], "overflows 32 bits", offset: 16),
        binary("huge AND count in tiny file", "aig 1000000 0 0 0 1000000\n", [], "1000000 ANDs need at least 2000000 bytes", offset: 26),
    ]

    @Test(arguments: cases)
    func rejected(c: Case) {
        do {
            _ = try AIGERReader.parse(c.bytes, file: "bad.aig")
            Issue.record("\(c.name): accepted malformed input")
        } catch let e as FormatError {
            #expect(e.file == "bad.aig")
            #expect(e.message.contains(c.message), "\(c.name): got '\(e.message)'")
            #expect(e.line == c.line, "\(c.name): line \(String(describing: e.line))")
            #expect(e.column == c.column, "\(c.name): column \(String(describing: e.column))")
            #expect(e.byteOffset == c.byteOffset, "\(c.name): byte \(String(describing: e.byteOffset))")
        } catch {
            Issue.record("\(c.name): unexpected error type \(error)")
        }
    }

    @Test func atLeastThirtyCases() { #expect(Self.cases.count >= 30) }

    /// Every prefix of a valid binary file is either valid or a located error, never a trap.
    @Test func everyTruncationIsAnError() throws {
        let bytes = try CircuitIO.readBytes(path: TestSupport.repoFile("Circuits/aiger-examples/s2cfair.aig").path)
        for n in 0..<bytes.count {
            do { _ = try AIGERReader.parse(Array(bytes[0..<n]), file: "cut.aig") } catch is FormatError {} catch {
                Issue.record("prefix \(n): \(error)")
            }
        }
    }

    /// 'c' followed directly by data (ABC's `&w` extension records) starts
    /// the comment section; 'c' followed by a digit is still a constraint symbol.
    @Test func commentSectionWithoutNewlineAfterC() throws {
        var b = AIGBuilder(inputCount: 2)
        let x = b.and(b.input(0), b.input(1))
        var aig = b.aig
        aig.outputs = [x]
        var bytes = AIGERWriter.binary(aig)
        bytes += Array("cn".utf8) + [0, 0, 0, 4, 1, 2, 0xFF, 10, 0] + Array("a\u{0}b\n".utf8)
        let read = try AIGERReader.parse(bytes, file: "gia.aig")
        #expect(read.andCount == 1 && read.inputCount == 2 && read.outputCount == 1)
        let bad = Array("aag 1 1 0 0 0\n2\nc0 x\n".utf8)
        #expect(throws: (any Error).self) { try AIGERReader.parse(bad, file: "bad.aag") }
    }
}
