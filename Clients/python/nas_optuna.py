"""Example NAS loop with Optuna: the highest-capacity MobileNetV2-style network under a latency
target T measured on the board by edgeprobe.

Capacity is measured in MACs (multiply-accumulates), named as such. Without a trained
accuracy, the objective is the MnasNet reward with the capacity standing in for accuracy:

    objective = ACC(m) x (LAT(m) / T)^w,  w = alpha if LAT <= T else beta   (hard: alpha=0, beta=-1)

`evaluate_accuracy()` below is where a real accuracy evaluation plugs in: return the candidate's
validation accuracy in [0, 1] and the objective becomes MnasNet's reward exactly (edgeprobe then
computes it itself, all constants in the record's `reward`).

Several boards (or workers) share one study through Optuna's RDB storage; create it once before
starting them (`optuna create-study --study-name mnv2 --storage ... --direction maximize`), since
workers that create the storage's tables at the same moment race:
    python nas_optuna.py --url http://board1:8321 --storage postgresql://.../nas --study mnv2 --trials 50
"""
from __future__ import annotations

import argparse
import socket

import optuna

from edgeprobe_client import HTTPClient, mobilenet_spec

# The search space of Profiles/spaces/mobilenet-v2-96.yaml: (cout, stride, depth choices).
STAGES = [(24, 2, [2, 3, 4]), (32, 2, [2, 3, 4]), (64, 2, [2, 3, 4]), (96, 1, [2, 3, 4]), (160, 2, [2, 3, 4])]
KERNELS, EXPANDS = [3, 5, 7], [3, 6]


def evaluate_accuracy(spec) -> float | None:
    """Plug a real evaluation in here: train or fine-tune `spec` (or look it up in a supernet)
    and return its validation accuracy in [0, 1]. None means "no accuracy": capacity stands in."""
    return None


def sample_spec(trial: optuna.Trial, resolution: int, scale: int = 1):
    """The architecture a trial's parameters describe; `scale` divides channels (for quick tests)."""
    stages = [(16 // scale or 1, 1, [(3, 1)])]
    for index, (cout, stride, depths) in enumerate(STAGES):
        depth = trial.suggest_categorical(f"s{index}_depth", depths)
        layers = [(trial.suggest_categorical(f"s{index}_l{layer}_kernel", KERNELS),
                   trial.suggest_categorical(f"s{index}_l{layer}_expand", EXPANDS)) for layer in range(depth)]
        stages.append((max(cout // scale, 1), stride, layers))
    return mobilenet_spec(f"trial{trial.number}", resolution, 32 // scale, stages,
                          head_cout=1280 // scale, classes=1000 // scale)


def objective_factory(client: HTTPClient, target_ms: float, resolution: int, min_time_s: float, scale: int):
    worker = socket.gethostname() + ":" + client.url

    def objective(trial: optuna.Trial) -> float:
        spec = sample_spec(trial, resolution, scale)
        accuracy = evaluate_accuracy(spec)
        if accuracy is not None:
            # The real MnasNet reward, computed by edgeprobe from the conservative (p90) latency.
            record = client.latency(spec, accuracy=accuracy, target_ms=target_ms, hard_constraint=True, min_time_s=min_time_s)
            value = record["reward"]["value"]
        else:
            record = client.latency(spec, min_time_s=min_time_s)
            latency_ms = record["conservative_latency"]["value_ms"]
            exponent = 0.0 if latency_ms <= target_ms else -1.0  # hard constraint: alpha = 0, beta = -1
            value = (record["macs"] / 1e6) * (latency_ms / target_ms) ** exponent  # capacity in MMACs stands in for ACC
        trial.set_user_attr("worker", worker)
        trial.set_user_attr("macs", record["macs"])
        trial.set_user_attr("params", record["params"])
        trial.set_user_attr("latency_p90_ms", record["conservative_latency"]["value_ms"])
        trial.set_user_attr("latency_p50_ms", record["latency_us"]["p50"] / 1e3)
        return value

    return objective


def make_sampler(seed: int | None):
    """Optuna's GP sampler (a Gaussian-process surrogate) where its dependencies (torch, scipy) are
    installed; TPE, another surrogate-model sampler, otherwise."""
    try:
        import scipy  # noqa: F401
        import torch  # noqa: F401
        return optuna.samplers.GPSampler(seed=seed)
    except ImportError:
        return optuna.samplers.TPESampler(seed=seed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8321", help="edgeprobe latency service")
    parser.add_argument("--token", help="bearer token, when the service requires one")
    parser.add_argument("--storage", default="sqlite:///nas.db", help="Optuna RDB storage shared by workers")
    parser.add_argument("--study", default="mobilenet-v2-96-nas")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--target-ms", type=float, default=15.0, help="latency target T, milliseconds")
    parser.add_argument("--resolution", type=int, default=96)
    parser.add_argument("--min-time-s", type=float, default=1.0)
    parser.add_argument("--scale", type=int, default=1, help="divide channels (quick tests)")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=args.study, storage=args.storage, direction="maximize",
                                sampler=make_sampler(args.seed), load_if_exists=True)
    client = HTTPClient(args.url, token=args.token)
    study.optimize(objective_factory(client, args.target_ms, args.resolution, args.min_time_s, args.scale),
                   n_trials=args.trials)
    best = study.best_trial
    print(f"best: trial {best.number}, value {best.value:.3f}, {best.user_attrs['macs']} MACs, "
          f"p90 {best.user_attrs['latency_p90_ms']:.2f} ms (target {args.target_ms} ms)")


if __name__ == "__main__":
    main()
