# Sourced by run.sh and fidelity.sh (from the repository root): the git-ignored venv with the
# pinned peers (requirements.txt) in $VENV, and the results folder in $RESULTS.
VENV=Benchmarks/.venv
RESULTS=Benchmarks/peers/results
mkdir -p "$RESULTS"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r Benchmarks/peers/requirements.txt
