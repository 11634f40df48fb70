import ArgumentParser

@main
struct MiterCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "miter",
        abstract: "Decide whether logic circuits compute the same Boolean function.",
        discussion: """
        Circuits are read from AIGER (.aag/.aig), gate-level Verilog (.v), BLIF (.blif) \
        and ISCAS .bench files; '-' reads AIGER from standard input.
        Exit codes: 0 equivalent / ok, 1 not equivalent, 2 error, 3 undecided.
        """,
        version: "0.1.0",
        subcommands: [
            Stats.self,
            Convert.self,
            Hash.self, Sim.self,
            Check.self, CertifyCheck.self, MiterCommand.self,
            RandomCommand.self, DedupCommand.self, PairsCommand.self,
            Decode.self,
        ]
    )
}
