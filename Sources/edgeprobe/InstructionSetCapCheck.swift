import ArgumentParser
import Kernels

extension InstructionSetCap {
    /// Checks `EDGEPROBE_MAX_ISA` as an option is checked, before any kernel is chosen: a value this
    /// architecture does not accept is a usage error (one line, exit 2). Every command that runs
    /// kernels, or starts children that do (the agent), calls it.
    static func validateEnvironment() throws {
        do { _ = try fromEnvironment() } catch { throw ValidationError(error.description) }
    }
}
