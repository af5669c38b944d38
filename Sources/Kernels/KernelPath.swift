/// An instruction-set path of a kernel table (`FloatKernelPath`, `Int8KernelPath`): how a table
/// chooses its `best` path, once, under `EDGEPROBE_MAX_ISA` (`InstructionSetCap`).
protocol KernelPath: CaseIterable where AllCases == [Self] {
    /// Whether this CPU (and this build) can run the path.
    var isAvailable: Bool { get }
    /// The instruction set the path needs, as a cap names it; nil for a path every cap admits
    /// (the build's baseline).
    var capLevel: InstructionSetCap? { get }
}

extension KernelPath {
    /// The fastest path this CPU runs that `cap` admits (nil: no cap). A table declares its cases
    /// slowest first within each architecture, so this is the last such case.
    static func fastest(under cap: InstructionSetCap?) -> Self {
        let admitted = allCases.last { path in
            path.isAvailable && (path.capLevel.map { level in cap?.admits(level) ?? true } ?? true)
        }
        guard let admitted else { preconditionFailure("no \(Self.self) runs here: the baseline path must") }
        return admitted
    }
}
