@testable import NAS
import Testing

@Suite struct MnasNetRewardTests {
    // Expected values computed by hand: ACC x (LAT / T)^w.

    @Test func softConstraintAboveTarget() {
        // 0.75 x (20 / 10)^-0.07 = 0.75 x 0.952638 = 0.714478
        let reward = MnasNetReward(accuracy: 0.75, latencyMs: 20, latencyBasis: "p90", targetMs: 10, constraint: .soft)
        #expect(reward.alpha == -0.07 && reward.beta == -0.07 && reward.exponent == -0.07)
        #expect(abs(reward.value - 0.714478498532953) < 1e-12)
    }

    @Test func softConstraintBelowTargetRewardsSpeed() {
        // 0.75 x (5 / 10)^-0.07 = 0.75 x 1.049717 = 0.787288
        let reward = MnasNetReward(accuracy: 0.75, latencyMs: 5, latencyBasis: "p90", targetMs: 10, constraint: .soft)
        #expect(abs(reward.value - 0.7872875127173005) < 1e-12)
    }

    @Test func hardConstraintIgnoresSpeedBelowTarget() {
        let reward = MnasNetReward(accuracy: 0.9, latencyMs: 8, latencyBasis: "p95", targetMs: 10, constraint: .hard)
        #expect(reward.alpha == 0 && reward.beta == -1 && reward.exponent == 0)
        #expect(reward.value == 0.9)
    }

    @Test func hardConstraintPenalizesAboveTarget() {
        // 0.9 x (12 / 10)^-1 = 0.75
        let reward = MnasNetReward(accuracy: 0.9, latencyMs: 12, latencyBasis: "p90", targetMs: 10, constraint: .hard)
        #expect(reward.exponent == -1)
        #expect(abs(reward.value - 0.75) < 1e-12)
    }

    @Test func atTheTargetTheAccuracyIsTheReward() {
        for constraint in MnasNetReward.Constraint.allCases {
            let reward = MnasNetReward(accuracy: 0.6, latencyMs: 10, latencyBasis: "p90", targetMs: 10, constraint: constraint)
            #expect(reward.exponent == constraint.exponents.alpha)
            #expect(reward.value == 0.6)
        }
    }
}
