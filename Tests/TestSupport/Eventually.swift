import Glibc

/// How long a test waits for something that should happen: a deadline that only catches a hang,
/// generous enough for a machine loaded with other work (a test must not fail because the machine
/// was slow, and never asserts how long something took).
public let hangDeadline: Duration = .seconds(60)

/// Asks `condition` every `interval` until it holds; `false` once `deadline` has passed.
public func eventually(
    within deadline: Duration = hangDeadline, every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// `eventually` for synchronous code (blocks the calling thread between attempts).
public func waitUntil(
    within deadline: Duration = hangDeadline, every interval: Duration = .milliseconds(10), _ condition: () throws -> Bool
) rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    let pause = useconds_t(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
    while ContinuousClock.now < end {
        if try condition() { return true }
        usleep(pause)
    }
    return try condition()
}
