"""Tests of the fidelity benchmark's statistics (run by `make test-python` with the system Python)."""
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from rank_agreement import kendall_tau, median_ratio, split_half_tau, turn_order  # noqa: E402


class TurnOrderTests(unittest.TestCase):
    def test_rotates_by_round_and_architecture(self):
        engines = ["A", "B", "C", "D"]
        self.assertEqual(turn_order(engines, 0, 0), ["A", "B", "C", "D"])
        self.assertEqual(turn_order(engines, 1, 0), ["B", "C", "D", "A"])
        self.assertEqual(turn_order(engines, 0, 2), ["C", "D", "A", "B"])
        self.assertEqual(turn_order(engines, 3, 2), ["B", "C", "D", "A"])

    def test_every_engine_takes_every_position_over_as_many_rounds(self):
        engines = ["edgeprobe", "xnnpack", "onnxruntime", "litert"]
        for arch in range(5):
            orders = [turn_order(engines, r, arch) for r in range(len(engines))]
            for position in range(len(engines)):
                self.assertEqual(sorted(order[position] for order in orders), sorted(engines))


class KendallTauTests(unittest.TestCase):
    def test_identical_and_reversed_rankings(self):
        self.assertEqual(kendall_tau([1, 2, 3, 4], [10, 20, 30, 40]), 1.0)
        self.assertEqual(kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]), -1.0)

    def test_counted_by_hand(self):
        # Pairs of [1,2,3,4,5] vs [3,4,1,2,5]: discordant (1,3) (1,4) (2,3) (2,4), the other 6 concordant.
        self.assertAlmostEqual(kendall_tau([1, 2, 3, 4, 5], [3, 4, 1, 2, 5]), (6 - 4) / 10)

    def test_ties_follow_tau_b(self):
        # x has one tied pair (items 0, 1): n0 = 6, n1 = 1, n2 = 0; concordant 5, discordant 0.
        self.assertAlmostEqual(kendall_tau([1, 1, 2, 3], [1, 2, 3, 4]), 5 / ((6 - 1) * 6) ** 0.5)

    def test_undefined_for_a_constant_or_single_item(self):
        self.assertIsNone(kendall_tau([1, 1, 1], [1, 2, 3]))
        self.assertIsNone(kendall_tau([1], [2]))
        with self.assertRaises(ValueError):
            kendall_tau([1, 2], [1])

    def test_matches_scipy_where_installed(self):
        try:
            from scipy.stats import kendalltau
        except ImportError:
            self.skipTest("scipy not installed (Benchmarks/.venv has it)")
        generator = random.Random(5)
        for _ in range(50):
            n = generator.randint(2, 25)
            x = [generator.randint(0, 6) for _ in range(n)]
            y = [generator.randint(0, 6) for _ in range(n)]
            expected = kendalltau(x, y).statistic
            actual = kendall_tau(x, y)
            if expected != expected:  # scipy's NaN for a constant sequence
                self.assertIsNone(actual)
            else:
                self.assertAlmostEqual(actual, expected, places=12)


class MedianRatioTests(unittest.TestCase):
    def test_median_of_paired_ratios(self):
        self.assertEqual(median_ratio([2, 9, 4], [1, 3, 4]), 2.0)
        with self.assertRaises(ValueError):
            median_ratio([1, 2], [1])


class SplitHalfTauTests(unittest.TestCase):
    def test_even_rounds_against_odd_rounds(self):
        # Even rounds (0, 2) give medians 1, 2, 3; odd rounds (1, 3) give 2, 1, 3: one discordant pair of three.
        rounds = [[1, 2, 1, 2], [2, 1, 2, 1], [3, 3, 3, 3]]
        self.assertAlmostEqual(split_half_tau(rounds), (2 - 1) / 3)

    def test_a_noiseless_engine_agrees_with_itself(self):
        self.assertEqual(split_half_tau([[5, 5, 5], [7, 7, 7], [6, 6, 6]]), 1.0)

    def test_rounds_combined_by_their_minimum(self):
        # A burst hit round 2 of item 0: the even rounds' medians rank it first (25.5), the odd
        # rounds' last (1); their minimums rank the items alike.
        rounds = [[1, 1, 50, 1], [2, 2, 2, 2], [3, 3, 3, 3]]
        self.assertAlmostEqual(split_half_tau(rounds), (1 - 2) / 3)
        self.assertEqual(split_half_tau(rounds, combine=min), 1.0)

    def test_undefined_with_one_round(self):
        self.assertIsNone(split_half_tau([[1], [2], [3]]))


if __name__ == "__main__":
    unittest.main()
