import Foundation

/// Private mount namespaces (`unshare -m`), in which tests replace parts of `/sys` with tmpfs
/// mounts of fake hardware.
public enum MountNamespace {
    /// Whether this process may make one (it needs root). In CI (root) the tests that need it
    /// must run, so there it counts as permitted whatever the probe would say.
    public static func isPermitted() async -> Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        return (try? await TestProcess.run("/usr/bin/env", ["unshare", "-m", "true"]).status) == 0
    }
}
