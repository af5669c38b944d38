import Telemetry
import Testing

@Suite struct SamplingScheduleTests {
    @Test func onTimeReadingsFollowTheGrid() {
        var schedule = SamplingSchedule(intervalNs: 100, startNs: 1_000)
        #expect(schedule.next(after: 1_010) == 1_100)
        #expect(schedule.next(after: 1_130) == 1_200)  // late by 30, still half an interval before 1200
        #expect(schedule.next(after: 1_249) == 1_300)
    }

    @Test func aLateReadingSkipsTheGridPointsItMissed() {
        var schedule = SamplingSchedule(intervalNs: 100, startNs: 1_000)
        // The first reading took 95: the next grid point (1100) is 5 away, so it waits for 1200.
        #expect(schedule.next(after: 1_095) == 1_200)
        // Starved for three and a half intervals: on to the first point half an interval ahead.
        #expect(schedule.next(after: 1_560) == 1_700)
        #expect(schedule.next(after: 1_650) == 1_800)
    }

    @Test func readingsAreNeverCloserThanHalfAnInterval() {
        var schedule = SamplingSchedule(intervalNs: 1_000, startNs: 0)
        var end: UInt64 = 0
        for lateness: UInt64 in [0, 999, 1, 4_321, 500, 499, 501, 10_000] {
            let next = schedule.next(after: end)
            #expect(next >= end + 500 && next % 1_000 == 0, "after \(end): \(next)")
            end = next + lateness
        }
    }
}
