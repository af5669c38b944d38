/// When each scheduled suite is next due: `every` after its last run (the first run right at
/// start), or `retry_after` after a postponement.
struct SchedulePlan {
    /// The schedule being planned.
    private(set) var schedule: [AgentConfiguration.ScheduledSuite]
    private var due: [ContinuousClock.Instant]

    /// A plan with every suite due at `now`.
    init(schedule: [AgentConfiguration.ScheduledSuite], now: ContinuousClock.Instant) {
        self.schedule = schedule
        due = Array(repeating: now, count: schedule.count)
    }

    /// The suite due soonest, or `nil` for an empty schedule.
    func next() -> (index: Int, due: ContinuousClock.Instant)? {
        due.indices.min { due[$0] < due[$1] }.map { ($0, due[$0]) }
    }

    /// After a reload: entries that did not change keep their due time; new ones are due now.
    mutating func replace(with schedule: [AgentConfiguration.ScheduledSuite], now: ContinuousClock.Instant) {
        var previous = Array(zip(self.schedule, due))
        due = schedule.map { entry in
            guard let match = previous.firstIndex(where: { $0.0 == entry }) else { return now }
            return previous.remove(at: match).1
        }
        self.schedule = schedule
    }

    /// The suite at `index` waits until `instant`.
    mutating func postpone(_ index: Int, until instant: ContinuousClock.Instant) {
        due[index] = instant
    }

    /// The suite at `index` just ran: next due one `every` later.
    mutating func ran(_ index: Int, now: ContinuousClock.Instant) {
        due[index] = now + .seconds(schedule[index].everyS)
    }
}
