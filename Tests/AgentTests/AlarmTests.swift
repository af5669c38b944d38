import Testing

@testable import Agent

/// The scheduler's sleep: until a deadline, cut short by a reload's ring, or by cancellation.
///
/// A sleep that only a ring or a cancellation can end sleeps without a deadline (or an hour):
/// if the ring failed, the test would hang and its time limit would fail it. No elapsed-time
/// upper bound, which a loaded machine's starved concurrency pool can exceed.
@Suite(.timeLimit(.minutes(3))) struct AlarmTests {
    @Test func aSleepLastsUntilItsDeadline() async {
        let alarm = Alarm()
        let start = ContinuousClock.now
        await alarm.sleep(until: start + .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50))
    }

    @Test(.timeLimit(.minutes(1))) func aRingEndsTheSleepLongBeforeItsDeadline() async {
        let alarm = Alarm()
        async let slept: Void = alarm.sleep(until: ContinuousClock.now + .seconds(3600))
        try? await Task.sleep(for: .milliseconds(50))
        alarm.ring()
        await slept  // an hour without the ring: the time limit fails the test
    }

    @Test(.timeLimit(.minutes(1))) func aRingWhileNobodySleepsEndsTheNextSleepOnly() async {
        let alarm = Alarm()
        alarm.ring()
        let start = ContinuousClock.now
        await alarm.sleep(until: nil)  // would last forever (until the time limit) without the earlier ring
        await alarm.sleep(until: ContinuousClock.now + .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50), "one ring ends one sleep")
    }

    @Test(.timeLimit(.minutes(1))) func cancellingTheSleeperEndsASleepWithoutDeadline() async {
        let alarm = Alarm()
        let sleeper = Task { await alarm.sleep(until: nil) }
        try? await Task.sleep(for: .milliseconds(50))
        sleeper.cancel()
        await sleeper.value  // would last forever (until the time limit) without the cancellation
    }
}
