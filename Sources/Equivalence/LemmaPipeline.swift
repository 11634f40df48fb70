import AIG
import Dispatch

/// `--certify`: the dependency lists of a sweep's merge lemmas, walked on a
/// second thread while the sweep goes on (with a certificate the second
/// core has no portfolio attempt to run). Sweeping merges nodes in
/// increasing variable order, so when merge `n` (of variable `v`) arrives,
/// every merge below `v` is known: its walk gives what
/// `LemmaDependencies.all` gives after the sweep (sqrt vs resyn2: 0.16 s of
/// walks after a 0.7 s check). A feed out of that order, or one that
/// missed merges, is dropped and the walks run after the sweep as before.
///
/// The worker starts with the sweep: waiting 0.2 s first (so short sweeps
/// walk after the check, without a second busy core) gave the same sweep
/// times and 4–6 ms more after the check (multiplier and square vs resyn2,
/// medians of 11 in turns).
final class LemmaPipeline: @unchecked Sendable {
    /// Merges handed to the worker at once (a dispatch per merge costs more than its walk).
    static let batchSize = 128

    private let aig: AIG
    private let queue = DispatchQueue(label: "miter.lemma-dependencies")
    // The sweep's thread only:
    private var batch: [(variable: Int32, representative: Int32)] = []
    private var fedMerges: [(variable: Int32, representative: Int32)] = []
    private var fed: Int { fedMerges.count }
    private var lastVariable: Int32 = -1
    private var outOfOrder = false
    // The worker's queue only (and `finish`, through `queue.sync`):
    private var table: LemmaDependencies
    private var lists: [[Int]] = []

    init(_ aig: AIG) {
        self.aig = aig
        table = LemmaDependencies(variableCount: aig.maxVariable + 1)
        batch.reserveCapacity(Self.batchSize)
    }

    /// The sweep merged `variable` into the earlier `representative` (lemma number: merges fed so far).
    func add(variable: Int32, representative: Int32) {
        guard !outOfOrder else { return }
        guard variable > lastVariable, representative >= 0, representative < variable, Int(variable) <= aig.maxVariable else {
            outOfOrder = true; return
        }
        lastVariable = variable
        fedMerges.append((variable, representative))
        batch.append((variable, representative))
        if batch.count >= Self.batchSize { flush() }
    }

    private func flush() {
        guard !batch.isEmpty else { return }
        let work = batch, firstLemma = fed - batch.count + 1
        batch = []
        batch.reserveCapacity(Self.batchSize)
        queue.async { [self] in
            for (i, merge) in work.enumerated() {
                let n = firstLemma + i, v = Int(merge.variable)
                table.recordFirstMerge(variable: v, lemma: n)
                table.extendWalks(aig, through: v - 1)
                lists.append(table.mergeDependencies(aig, variable: v, representative: Int(merge.representative), before: n))
            }
        }
    }

    /// The lists of `merges` (lemmas 1, 2, …), once the worker is done; nil
    /// when the feed was out of order or does not hold exactly those merges.
    func finish(merges: [(variable: Int32, representative: Int32)]) -> [[Int]]? {
        guard !outOfOrder, merges.count == fed,
              zip(merges, fedMerges).allSatisfy({ $0.variable == $1.variable && $0.representative == $1.representative }) else { return nil }
        flush()
        return queue.sync { lists }
    }
}
