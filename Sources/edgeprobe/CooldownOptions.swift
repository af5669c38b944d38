import ArgumentParser
import CommandLineSupport
import Profiles

/// `--cooldown-to` and `--cooldown-timeout`, shared by the commands that wait for the board to
/// cool before they measure (`bench` before each layer, `soak` before its first window); the
/// board profile's `cooldown_to_c` and `cooldown_timeout_s` unless given.
struct CooldownOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Before measuring (bench: each layer; soak: the first window), wait until the hottest sensor is below this (default: the board profile's cooldown_to_c).",
        valueName: "celsius"))
    var cooldownTo: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Longest wait for the cooldown (default: the board profile's cooldown_timeout_s).", valueName: "duration"))
    var cooldownTimeout: DurationArgument?

    func validate() throws {
        if let cooldownTimeout, cooldownTimeout.seconds <= 0 { throw ValidationError("--cooldown-timeout must be positive, got \(cooldownTimeout)") }
    }

    /// The temperature to cool to on `board`, `nil` for no cooldown.
    func limitC(on board: BoardProfile) -> Double? { cooldownTo ?? board.cooldownToC }

    /// The longest wait on `board`, seconds.
    func timeoutS(on board: BoardProfile) -> Double { cooldownTimeout?.seconds ?? board.cooldownTimeoutS }
}
