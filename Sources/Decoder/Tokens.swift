import AIG

/// The token language of the decoder, fixed so that a model can be trained against it.
///
/// A circuit with `n` inputs and `m` outputs is written as one pre-order
/// (node, left subtree, right subtree) sequence per output, outputs in order,
/// then `EOS`; `PAD` fills a batch after `EOS`. Numbering (vocabulary size `6 + 2n`):
///
/// | id          | token   | meaning                                        |
/// |-------------|---------|------------------------------------------------|
/// | 0           | `PAD`   | padding after `EOS`                            |
/// | 1           | `EOS`   | end of sequence (after the last output)        |
/// | 2           | `0`     | constant false                                 |
/// | 3           | `1`     | constant true                                  |
/// | 4           | `AND`   | `a ∧ b` of the next two subtrees               |
/// | 5           | `NAND`  | `¬(a ∧ b)`: the inversion sits on the node's output edge |
/// | 6 + 2i      | `x_i`   | input `i` (`i = 0..<n`)                        |
/// | 7 + 2i      | `¬x_i`  | input `i`, complemented                        |
///
/// Example (2 inputs): `NAND AND x_0 x_1 ¬x_0 EOS` is `¬((x0 ∧ x1) ∧ ¬x0)`.
/// Shared logic is expanded into the tree when encoding (every reference
/// writes the subtree again); the decoder merges equal functions back.
public enum Vocabulary {
    public static let pad = 0, eos = 1, const0 = 2, const1 = 3, and = 4, nand = 5, firstLiteral = 6

    /// Number of token ids for `n` inputs.
    @inline(__always) public static func size(inputs n: Int) -> Int { firstLiteral + 2 * n }

    /// Token id of input `i`, complemented when `negated`.
    @inline(__always) public static func literal(_ i: Int, negated: Bool = false) -> Int { firstLiteral + 2 * i + (negated ? 1 : 0) }

    /// Whether `t` is a leaf (constant or literal).
    @inline(__always) public static func isLeaf(_ t: Int) -> Bool { t == const0 || t == const1 || t >= firstLiteral }

    /// Printable name: `PAD EOS 0 1 AND NAND x3 ¬x3`.
    public static func name(_ t: Int) -> String {
        switch t {
        case pad: return "PAD"
        case eos: return "EOS"
        case const0: return "0"
        case const1: return "1"
        case and: return "AND"
        case nand: return "NAND"
        default:
            guard t >= firstLiteral else { return "?\(t)" }
            let i = (t - firstLiteral) / 2
            return ((t - firstLiteral) & 1 == 1 ? "¬x" : "x") + String(i)
        }
    }

    /// Parses a token name (`¬x3`, `!x3` and `~x3` all accepted) for `n` inputs; nil if unknown.
    public static func parse(_ s: Substring, inputs n: Int) -> Int? {
        switch s {
        case "PAD": return pad
        case "EOS": return eos
        case "0": return const0
        case "1": return const1
        case "AND": return and
        case "NAND": return nand
        default:
            var body = s
            var neg = false
            if body.hasPrefix("¬") || body.hasPrefix("!") || body.hasPrefix("~") { neg = true; body = body.dropFirst() }
            guard body.hasPrefix("x"), let i = Int(body.dropFirst()), i >= 0, i < n else { return nil }
            return literal(i, negated: neg)
        }
    }
}

/// Converters between AIGs and token sequences.
public enum TokenCodec {
    /// Encodes the outputs of a combinational AIG as trees (shared logic is
    /// expanded), followed by `EOS`. Throws when the circuit has latches or the
    /// expansion exceeds `maxTokens`.
    public static func encode(_ aig: AIG, maxTokens: Int = 1 << 22) throws -> [Int] {
        guard aig.isCombinational else { throw DecoderError.notCombinational }
        var out: [Int] = []
        var stack: [Literal] = []
        for root in aig.outputs {
            stack.append(root)
            while let l = stack.popLast() {
                if out.count >= maxTokens { throw DecoderError.tooManyTokens(limit: maxTokens) }
                switch aig.kind(of: l.variable) {
                case .constant: out.append(l.isComplemented ? Vocabulary.const1 : Vocabulary.const0)
                case .input(let i): out.append(Vocabulary.literal(i, negated: l.isComplemented))
                case .latch: throw DecoderError.notCombinational
                case .and(let k):
                    out.append(l.isComplemented ? Vocabulary.nand : Vocabulary.and)
                    let f = aig.ands[k]
                    stack.append(f.right); stack.append(f.left)   // left is written first
                }
            }
        }
        out.append(Vocabulary.eos)
        return out
    }

    /// Decodes a token sequence (trailing `PAD`s allowed after `EOS`) into an
    /// AIG with `inputs` inputs and `outputs` outputs, with structural hashing.
    /// Does not check any function: use `DecoderState` for that.
    public static func decode(_ tokens: [Int], inputs n: Int, outputs m: Int) throws -> AIG {
        var b = AIGBuilder(inputCount: n)
        // Pending operator frames: (nand, left literal if known).
        var frames: [(nand: Bool, left: Literal?)] = []
        var pos = 0
        for _ in 0..<m {
            var done: Literal? = nil
            while done == nil {
                guard pos < tokens.count else { throw DecoderError.badTokens("sequence ends inside output \(b.aig.outputs.count)") }
                let t = tokens[pos]; pos += 1
                var value: Literal
                switch t {
                case Vocabulary.and, Vocabulary.nand: frames.append((t == Vocabulary.nand, nil)); continue
                case Vocabulary.const0: value = .false
                case Vocabulary.const1: value = .true
                case let x where x >= Vocabulary.firstLiteral && x < Vocabulary.size(inputs: n):
                    value = b.input((x - Vocabulary.firstLiteral) / 2).complemented(if: (x - Vocabulary.firstLiteral) & 1 == 1)
                default: throw DecoderError.badTokens("token \(t) (\(Vocabulary.name(t))) at position \(pos - 1) is not a node of a \(n)-input circuit")
                }
                // Close finished operators.
                while true {
                    guard var top = frames.popLast() else { done = value; break }
                    if let left = top.left {
                        let g = b.and(left, value)
                        value = top.nand ? !g : g
                    } else { top.left = value; frames.append(top); break }
                }
            }
            if let done { b.addOutput(done) }
        }
        guard pos < tokens.count, tokens[pos] == Vocabulary.eos else { throw DecoderError.badTokens("expected EOS at position \(pos)") }
        for t in tokens[(pos + 1)...] where t != Vocabulary.pad { throw DecoderError.badTokens("only PAD may follow EOS, found \(Vocabulary.name(t))") }
        return b.finish()
    }

    /// Space-separated token names.
    public static func text(_ tokens: [Int]) -> String { tokens.map(Vocabulary.name).joined(separator: " ") }
}
