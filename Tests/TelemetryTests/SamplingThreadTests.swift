import Glibc
import Synchronization
import Testing
@testable import Telemetry

@Suite(.timeLimit(.minutes(3))) struct SamplingThreadTests {
    @Test func samplesOnItsOwnThreadUntilStopped() throws {
        let received = Mutex<[Sample]>([])
        let thread = try SamplingThread(interval: .milliseconds(20), root: Fixture.root("x86")) { sample in
            received.withLock { $0.append(sample) }
        }
        let deadline = MonotonicClock.now() + 10_000_000_000
        while received.withLock({ $0.count }) < 3 && MonotonicClock.now() < deadline {
            usleep(5_000)
        }
        try #require(received.withLock { $0.count } >= 3, "no 3 samples within 10 s")
        thread.stop()
        let countAtStop = received.withLock { $0.count }
        usleep(60_000)
        #expect(received.withLock { $0.count } == countAtStop)
        let samples = received.withLock { $0 }
        #expect(samples.allSatisfy { $0.temperatures.count == 4 })
        #expect(samples.allSatisfy { $0.collectUs > 0 })
        #expect(thread.latest == samples.last)
        thread.stop()
    }

    @Test func refusesAZeroInterval() {
        #expect(throws: SamplingThreadError.nonPositiveInterval) {
            try SamplingThread(interval: .zero, root: Fixture.root("empty")) { _ in }
        }
    }
}
