#!/bin/sh
# Installs (or with --uninstall removes) the edgeprobe agent: the release binary, the board and
# suite profiles, the systemd units and a default configuration. Safe to run again: files are
# replaced by their current version, an existing /etc/edgeprobe/agent.yaml is never touched.
#
#   make release                                      # builds .build/release/edgeprobe*
#   sudo Deploy/install.sh                            # then: systemctl enable --now edgeprobe
#   sudo Deploy/install.sh --uninstall
#
# Options:  --binary PATH   the binary to install (default: .build/release/edgeprobe); the small
#                           edgeprobe-sample and edgeprobe-agent beside it go to
#                           PREFIX/libexec/edgeprobe, where `edgeprobe sample` and `edgeprobe
#                           agent` hand themselves over to them
#           --latency-service  also install the unit drop-in the agent's HTTP latency service
#                           needs (AF_INET/AF_INET6, host network; Docs/agent.md); kept by later
#                           installs without the option, removed by --uninstall
#           --metrics-textfile  also install the unit drop-in for `metrics.textfile:
#                           /run/edgeprobe/edgeprobe.prom` (Docs/fleet.md) and, where Debian's
#                           node_exporter directory /var/lib/prometheus/node-exporter exists, link
#                           the file into it; kept by later installs, removed by --uninstall
#           --uninstall     remove what an install put there (a changed config is kept),
#                           and the directories it created once they are empty
# Environment: DESTDIR (stage into this root instead of /), PREFIX (default /usr/local).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(dirname "$here")
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
binary="$source_root/.build/release/edgeprobe"
action=install
latency_service=no
metrics_textfile=no

while [ $# -gt 0 ]; do
    case "$1" in
        --binary) [ $# -ge 2 ] || { echo "install.sh: --binary needs a path" >&2; exit 2; }; binary=$2; shift 2 ;;
        --uninstall) action=uninstall; shift ;;
        --latency-service) latency_service=yes; shift ;;
        --metrics-textfile) metrics_textfile=yes; shift ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

bin_dir="$DESTDIR$PREFIX/bin"
libexec_dir="$DESTDIR$PREFIX/libexec/edgeprobe"
lean_executables="edgeprobe-sample edgeprobe-agent"
share_dir="$DESTDIR$PREFIX/share/edgeprobe"
doc_dir="$DESTDIR$PREFIX/share/doc/edgeprobe"
unit_dir="$DESTDIR/etc/systemd/system"
config_dir="$DESTDIR/etc/edgeprobe"
units="edgeprobe.service edgeprobe-bench.service edgeprobe-bench.timer"
dropin_dir="$unit_dir/edgeprobe.service.d"
dropin=latency-service.conf
textfile_dropin=metrics-textfile.conf
# Debian's prometheus-node-exporter reads *.prom here; the link points at the agent's textfile.
node_exporter_link="$DESTDIR/var/lib/prometheus/node-exporter/edgeprobe.prom"
textfile_target=/run/edgeprobe/edgeprobe.prom

# systemctl only for a live install on a machine running systemd.
live_systemd() {
    [ -z "$DESTDIR" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

say() { echo "install.sh: $*" >&2; }

# Directories an install creates, listed in share_dir and removed by --uninstall when empty.
created_list="$share_dir/created-directories"

# The directories among the arguments and their parents that do not exist yet, one a line.
missing_directories() {
    for wanted in "$@"; do
        directory=$wanted
        while [ ! -d "$directory" ] && [ "$directory" != / ] && [ "$directory" != . ]; do
            echo "$directory"
            directory=$(dirname "$directory")
        done
    done
}

if [ "$action" = install ]; then
    [ -x "$binary" ] || { say "no executable at $binary: build it with 'make release' or pass --binary"; exit 1; }
    for lean in $lean_executables; do
        [ -x "$(dirname "$binary")/$lean" ] || { say "no executable at $(dirname "$binary")/$lean: build it with 'make release'"; exit 1; }
    done
    # Remember every directory this install creates (parents included), so --uninstall can
    # remove the ones left empty and nothing that was there before.
    created=$(missing_directories "$bin_dir" "$libexec_dir" "$share_dir/digits" "$share_dir/mnist" "$doc_dir" "$unit_dir" "$config_dir")
    if [ "$latency_service" = yes ] || [ "$metrics_textfile" = yes ]; then created="$created
$(missing_directories "$dropin_dir")"; fi
    install -d -m 0755 "$bin_dir" "$libexec_dir" "$share_dir" "$doc_dir" "$unit_dir" "$config_dir"
    { [ -f "$created_list" ] && cat "$created_list"; printf '%s\n' "$created"; } | grep -v '^$' | sort -u > "$created_list.new"
    chmod 0644 "$created_list.new" && mv -f "$created_list.new" "$created_list"
    install -m 0755 "$binary" "$bin_dir/edgeprobe.new" && mv -f "$bin_dir/edgeprobe.new" "$bin_dir/edgeprobe"
    for lean in $lean_executables; do
        install -m 0755 "$(dirname "$binary")/$lean" "$libexec_dir/$lean.new" && mv -f "$libexec_dir/$lean.new" "$libexec_dir/$lean"
    done
    rm -rf "$share_dir/Profiles.new"
    cp -R "$source_root/Profiles" "$share_dir/Profiles.new"
    chmod -R u=rwX,go=rX "$share_dir/Profiles.new"
    rm -rf "$share_dir/Profiles" && mv "$share_dir/Profiles.new" "$share_dir/Profiles"
    # The trained digits model and its test split, for `compress` and the compressed suite.
    install -d -m 0755 "$share_dir/digits"
    install -m 0644 "$source_root"/Tools/digits/out/* "$share_dir/digits/"
    # The MNIST LeNets' stages and their test split, for `compress --model lenet5|lenet-300-100`.
    install -d -m 0755 "$share_dir/mnist"
    install -m 0644 "$source_root"/Tools/mnist/out/*.weights "$source_root"/Tools/mnist/out/mnist-test.bin "$share_dir/mnist/"
    install -m 0644 "$source_root/Docs/agent.md" "$doc_dir/agent.md"
    install -m 0644 "$here/agent.example.yaml" "$doc_dir/agent.example.yaml"
    # One Prometheus for a fleet: the page, the scrape configuration and the alert rules.
    install -m 0644 "$source_root/Docs/fleet.md" "$doc_dir/fleet.md"
    install -d -m 0755 "$doc_dir/prometheus"
    install -m 0644 "$here"/prometheus/*.yml "$doc_dir/prometheus/"
    for unit in $units; do
        sed "s#/usr/local/#$PREFIX/#g" "$here/$unit" > "$unit_dir/$unit.new"
        chmod 0644 "$unit_dir/$unit.new" && mv -f "$unit_dir/$unit.new" "$unit_dir/$unit"
    done
    if [ "$latency_service" = yes ]; then
        install -d -m 0755 "$dropin_dir"
        install -m 0644 "$here/edgeprobe.service.d/$dropin" "$dropin_dir/$dropin.new" && mv -f "$dropin_dir/$dropin.new" "$dropin_dir/$dropin"
    fi
    if [ "$metrics_textfile" = yes ]; then
        install -d -m 0755 "$dropin_dir"
        install -m 0644 "$here/edgeprobe.service.d/$textfile_dropin" "$dropin_dir/$textfile_dropin.new"
        mv -f "$dropin_dir/$textfile_dropin.new" "$dropin_dir/$textfile_dropin"
        if [ -d "$(dirname "$node_exporter_link")" ]; then
            ln -sfn "$textfile_target" "$node_exporter_link"
        else
            say "no $(dirname "$node_exporter_link") (Debian's prometheus-node-exporter): link $textfile_target into node_exporter's textfile directory yourself"
        fi
    fi
    if [ -e "$config_dir/agent.yaml" ]; then
        say "keeping the existing $config_dir/agent.yaml"
    else
        install -m 0644 "$here/agent.example.yaml" "$config_dir/agent.yaml"
    fi
    if live_systemd; then
        systemctl daemon-reload
        say "installed; start it with: systemctl enable --now edgeprobe"
    else
        say "installed into ${DESTDIR:-/}"
    fi
else
    if live_systemd; then
        for unit in edgeprobe.service edgeprobe-bench.timer edgeprobe-bench.service; do
            systemctl disable --now "$unit" >/dev/null 2>&1 || true
        done
    fi
    created=""
    [ -f "$created_list" ] && created=$(cat "$created_list")
    rm -f "$created_list"
    rm -f "$bin_dir/edgeprobe"
    for lean in $lean_executables; do rm -f "$libexec_dir/$lean"; done
    rm -rf "$share_dir/Profiles" "$share_dir/digits" "$share_dir/mnist"
    rm -f "$doc_dir/agent.md" "$doc_dir/agent.example.yaml" "$doc_dir/fleet.md"
    rm -rf "$doc_dir/prometheus"
    for unit in $units; do rm -f "$unit_dir/$unit"; done
    rm -f "$dropin_dir/$dropin" "$dropin_dir/$textfile_dropin"
    # Only the link an install made: a file of that name is someone else's.
    if [ -L "$node_exporter_link" ] && [ "$(readlink "$node_exporter_link")" = "$textfile_target" ]; then rm -f "$node_exporter_link"; fi
    rmdir "$dropin_dir" 2>/dev/null || true
    if [ -e "$config_dir/agent.yaml" ] && ! cmp -s "$config_dir/agent.yaml" "$here/agent.example.yaml"; then
        say "keeping $config_dir/agent.yaml: it was changed after installation"
    else
        rm -f "$config_dir/agent.yaml"
    fi
    for directory in "$libexec_dir" "$(dirname "$libexec_dir")" "$share_dir" "$doc_dir" "$config_dir"; do
        rmdir "$directory" 2>/dev/null || true
    done
    # Deepest first (a reverse sort puts a directory after its children): only the empty ones go.
    printf '%s\n' "$created" | grep -v '^$' | sort -r | while read -r directory; do
        rmdir "$directory" 2>/dev/null || true
    done
    if live_systemd; then systemctl daemon-reload; fi
    say "removed from ${DESTDIR:-/}"
fi
