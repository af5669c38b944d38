"""The statistics of the fidelity benchmark (fidelity.py), standard library only so that its
tests run without the peers' venv: the order engines take turns in, Kendall's tau between two
engines' latencies over the same architectures, and medians of ratios."""
import math
import statistics


def turn_order(engines, round_index, arch_index):
    """The engines in the order they measure architecture `arch_index` in round `round_index`:
    the list rotated by round + architecture (A B C D, then B C D A, ...), so that over as many
    rounds (or architectures) as engines each engine takes every position once."""
    shift = (round_index + arch_index) % len(engines)
    return list(engines[shift:]) + list(engines[:shift])


def kendall_tau(x, y):
    """Kendall's tau-b of two equally long sequences (ties counted as neither concordant nor
    discordant, as scipy.stats.kendalltau's default): 1 when they rank the items alike, -1 when
    in reverse. None when fewer than two items or one sequence is constant."""
    if len(x) != len(y):
        raise ValueError(f"kendall_tau: {len(x)} and {len(y)} values")
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return None if denominator == 0 else (concordant - discordant) / denominator


def median_ratio(numerators, denominators):
    """The median over items of numerator / denominator (items paired by position)."""
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))


def split_half_tau(rounds_by_item, combine=statistics.median):
    """Kendall's tau of one engine against itself: per item, its even-numbered rounds combined
    (`combine`: the median, or min) against its odd-numbered rounds combined (`rounds_by_item`:
    one list of per-round figures per item, in round order). It says how far the machine's noise alone scrambles a
    ranking made from half the rounds: a ceiling for the tau between two engines measured in the
    same turns (a little below the ceiling of the full-rounds medians, which are steadier than
    either half). None with fewer than 2 rounds or when a half is constant."""
    if any(len(rounds) < 2 for rounds in rounds_by_item):
        return None
    even = [combine(rounds[0::2]) for rounds in rounds_by_item]
    odd = [combine(rounds[1::2]) for rounds in rounds_by_item]
    return kendall_tau(even, odd)
