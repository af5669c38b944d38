import Testing

@testable import Agent

/// The scheduler's sleep: until a deadline, cut short by a reload's ring, or by cancellation.
@Suite(.timeLimit(.minutes(3))) struct AlarmTests {
    @Test func aSleepLastsUntilItsDeadline() async {
        let alarm = Alarm()
        let start = ContinuousClock.now
        await alarm.sleep(until: start + .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50))
    }

    @Test func aRingEndsTheSleepLongBeforeItsDeadline() async {
        let alarm = Alarm()
        let start = ContinuousClock.now
        async let slept: Void = alarm.sleep(until: start + .seconds(60))
        try? await Task.sleep(for: .milliseconds(50))
        alarm.ring()
        await slept
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func aRingWhileNobodySleepsEndsTheNextSleepOnly() async {
        let alarm = Alarm()
        alarm.ring()
        let start = ContinuousClock.now
        await alarm.sleep(until: nil)  // would last forever without the earlier ring
        #expect(ContinuousClock.now - start < .seconds(30))
        await alarm.sleep(until: ContinuousClock.now + .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50), "one ring ends one sleep")
    }

    @Test func cancellingTheSleeperEndsASleepWithoutDeadline() async {
        let alarm = Alarm()
        let start = ContinuousClock.now
        let sleeper = Task { await alarm.sleep(until: nil) }
        try? await Task.sleep(for: .milliseconds(50))
        sleeper.cancel()
        await sleeper.value
        #expect(ContinuousClock.now - start < .seconds(30))
    }
}
