#!/usr/bin/env bash
# Runs `make test` RUNS times in a row (default 3) while `stress-ng --cpu 2` keeps two CPUs busy
# beside it, and fails if any run fails. The tests synchronise on events, never on elapsed time,
# so a loaded machine must not make them fail; this is the check that it does not.
# stress-ng (and a run in progress) is stopped when this script ends, however it ends (success,
# failure, Ctrl-C, SIGTERM).
# Usage: Tools/test-under-load.sh [RUNS]     (`make test-under-load` installs stress-ng first)
# Logs: each run's output in $TEST_UNDER_LOAD_LOGS (default /tmp/edgeprobe-test-under-load).
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
LOGS=${TEST_UNDER_LOAD_LOGS:-/tmp/edgeprobe-test-under-load}
command -v stress-ng >/dev/null || {
    echo "test-under-load: stress-ng is not installed (make test-under-load installs it; or apt-get install stress-ng)" >&2
    exit 1
}
mkdir -p "$LOGS"

stress_pid=
stop_stress() {
    if [ -n "$stress_pid" ]; then
        # stress-ng's parent stops its workers on SIGTERM; SIGKILL them if it does not within 10 s.
        kill -TERM "$stress_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$stress_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$stress_pid" 2>/dev/null
        wait "$stress_pid" 2>/dev/null
        stress_pid=
    fi
}
# The run in progress, in a session of its own (setsid) like stress-ng, stopped with it.
run_pid=
stop_all() {
    if [ -n "$run_pid" ]; then
        kill -TERM -- "-$run_pid" 2>/dev/null
        wait "$run_pid" 2>/dev/null
        run_pid=
    fi
    stop_stress
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A process group of its own (setsid), so the workers can be found and killed with it.
setsid stress-ng --cpu 2 --quiet &
stress_pid=$!
sleep 1
kill -0 "$stress_pid" 2>/dev/null || { echo "test-under-load: stress-ng did not start" >&2; exit 1; }
echo "test-under-load: stress-ng --cpu 2 running (pid $stress_pid); load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs" >&2

failed=0
summary=()
for run in $(seq "$RUNS"); do
    log="$LOGS/run-$run.log"
    started=$(date +%s)
    # In the background and waited for, so that a signal to this script is handled at once.
    setsid make test >"$log" 2>&1 &
    run_pid=$!
    if wait "$run_pid"; then outcome=passed; else outcome=FAILED; failed=$((failed + 1)); fi
    run_pid=
    seconds=$(($(date +%s) - started))
    line="run $run/$RUNS: $outcome in ${seconds} s (load average $(cut -d' ' -f1 /proc/loadavg); log $log)"
    summary+=("$line")
    echo "test-under-load: $line" >&2
    if [ "$outcome" = FAILED ]; then
        grep -E "✘|error:|FAIL|Error" "$log" | head -20 >&2
    fi
done

[ "$RUNS" -gt 0 ] && printf 'test-under-load: %s\n' "${summary[@]}"
if [ "$failed" -gt 0 ]; then
    echo "test-under-load: $failed of $RUNS runs failed under stress-ng --cpu 2" >&2
    exit 1
fi
echo "test-under-load: $RUNS of $RUNS runs passed under stress-ng --cpu 2"
