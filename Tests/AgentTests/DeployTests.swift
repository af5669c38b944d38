import Foundation
import Glibc
import TestSupport
import Testing
@testable import Agent

@Suite(.serialized, .timeLimit(.minutes(3))) struct DeployTests {
    private static let units = ["edgeprobe.service", "edgeprobe-bench.service", "edgeprobe-bench.timer"]
    private static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs a command; returns its exit status and its standard output and error together.
    private static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let result = try TestProcess.run(arguments[0], Array(arguments.dropFirst()), environment: environment.mapValues { $0 })
        return (result.status, result.stdout + result.stderr)
    }

    // MARK: - Units

    /// `systemd-analyze verify` on every unit, with the binary path pointed at the test build.
    /// Unknown or misspelt directives only print warnings, so any output fails the test too.
    @Test(.enabled(if: systemdAnalyze != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "systemd-analyze is not installed (Debian package systemd)"))
    func unitFilesPassSystemdAnalyzeVerify() throws {
        let analyze = try #require(Self.systemdAnalyze, "CI needs systemd-analyze (Debian package systemd)")
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        for unit in Self.units {
            let text = try String(contentsOfFile: Repository.path("Deploy/" + unit), encoding: .utf8)
            let local = text.replacingOccurrences(of: "/usr/local/bin/edgeprobe ", with: AgentProcess.executable + " ")
            try local.write(toFile: directory + "/" + unit, atomically: true, encoding: .utf8)
        }
        let result = try Self.run([analyze, "verify"] + Self.units.map { directory + "/" + $0 })
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "systemd-analyze said: \(result.output)")
    }

    /// The agent unit with the drop-in `Deploy/edgeprobe.service.d/NAME` appended (what systemd
    /// merges), the binary path pointed at the test build; `systemd-analyze verify` must accept it
    /// without a word.
    private static func verifiedUnit(withDropIn name: String) throws -> String {
        let analyze = try #require(systemdAnalyze, "CI needs systemd-analyze (Debian package systemd)")
        let scratch = TemporaryDirectory(prefix: "agent")
        let unit = try String(contentsOfFile: Repository.path("Deploy/edgeprobe.service"), encoding: .utf8)
        let dropIn = try String(contentsOfFile: Repository.path("Deploy/edgeprobe.service.d/" + name), encoding: .utf8)
        let merged = (unit + "\n" + dropIn).replacingOccurrences(of: "/usr/local/bin/edgeprobe ", with: AgentProcess.executable + " ")
        try merged.write(toFile: scratch.path + "/edgeprobe.service", atomically: true, encoding: .utf8)
        let result = try run([analyze, "verify", scratch.path + "/edgeprobe.service"])
        #expect(result.status == 0 && result.output.isEmpty, "systemd-analyze with \(name) said: \(result.output)")
        return merged
    }

    /// The agent unit with the latency service's drop-in appended (what systemd merges):
    /// it verifies, and its effective address families and network are what the service needs.
    @Test(.enabled(if: systemdAnalyze != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "systemd-analyze is not installed (Debian package systemd)"))
    func theLatencyServiceDropInAllowsInetAndVerifies() throws {
        let merged = try Self.verifiedUnit(withDropIn: "latency-service.conf")

        // The last assignment after the last reset wins, as systemd reads lists and booleans.
        let lines = merged.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
        let families = lines.filter { $0.hasPrefix("RestrictAddressFamilies=") }.map { $0.dropFirst("RestrictAddressFamilies=".count) }
        let effective = Set(families.split(separator: "").last?.flatMap { $0.split(separator: " ").map(String.init) } ?? [])
        #expect(effective == ["AF_UNIX", "AF_INET", "AF_INET6"])
        #expect(lines.last { $0.hasPrefix("PrivateNetwork=") } == "PrivateNetwork=no")
        #expect(lines.contains("NoNewPrivileges=yes") && lines.contains("SystemCallFilter=@system-service"))
    }

    /// The agent unit with the textfile drop-in appended: it verifies, gives the agent a runtime
    /// directory node_exporter's user can read and keeps it (and the last file) when the agent
    /// stops, and weakens no hardening setting.
    @Test(.enabled(if: systemdAnalyze != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "systemd-analyze is not installed (Debian package systemd)"))
    func theMetricsTextfileDropInGivesAReadableRuntimeDirectoryAndVerifies() throws {
        _ = try Self.verifiedUnit(withDropIn: "metrics-textfile.conf")
        let dropIn = try String(
            contentsOfFile: Repository.path("Deploy/edgeprobe.service.d/metrics-textfile.conf"), encoding: .utf8)
        let settings = dropIn.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && $0.contains("=") }
        #expect(settings == ["RuntimeDirectory=edgeprobe", "RuntimeDirectoryMode=0755", "RuntimeDirectoryPreserve=yes"],
                "the drop-in adds the directory and changes nothing else")
        // The path the drop-in gives is the one install.sh links and the example configuration names.
        let example = try String(contentsOfFile: Repository.path("Deploy/agent.example.yaml"), encoding: .utf8)
        #expect(example.contains("#  textfile: /run/edgeprobe/edgeprobe.prom "))
        let install = try String(contentsOfFile: Repository.path("Deploy/install.sh"), encoding: .utf8)
        #expect(install.contains("textfile_target=/run/edgeprobe/edgeprobe.prom\n"))
    }

    /// Each optional drop-in: installed with its option, kept by an install without it, removed
    /// by uninstall; the metrics textfile also gets its link in node_exporter's directory.
    @Test(arguments: [("--latency-service", "latency-service.conf"), ("--metrics-textfile", "metrics-textfile.conf")])
    func installWithAnOptionAddsItsDropInAndUninstallRemovesIt(_ option: String, _ dropInFile: String) throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let root = scratch.path
        let textfiles = root + "/var/lib/prometheus/node-exporter"
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        let install = ["/bin/sh", Repository.path("Deploy/install.sh"), "--binary", AgentProcess.executable]
        let dropIn = "etc/systemd/system/edgeprobe.service.d/" + dropInFile
        #expect(try Self.run(install + [option], environment: ["DESTDIR": root]).status == 0)
        let installed = Self.snapshot(root)
        #expect(installed[dropIn] == FileManager.default.contents(atPath: Repository.path("Deploy/edgeprobe.service.d/" + dropInFile)))
        let link = textfiles + "/edgeprobe.prom"
        if option == "--metrics-textfile" {
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/run/edgeprobe/edgeprobe.prom")
        } else {
            #expect(throws: (any Error).self, "only --metrics-textfile links the textfile") {
                try FileManager.default.destinationOfSymbolicLink(atPath: link)
            }
        }
        #expect(try Self.run(install, environment: ["DESTDIR": root]).status == 0)
        #expect(Self.snapshot(root) == installed, "an install without the option keeps the drop-in")
        #expect(try Self.run(install + ["--uninstall"], environment: ["DESTDIR": root]).status == 0)
        #expect(Self.snapshot(root).isEmpty, "left behind: \(Self.snapshot(root).keys.sorted())")
        #expect(try FileManager.default.contentsOfDirectory(atPath: textfiles).isEmpty, "the link is removed")
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/systemd/system/edgeprobe.service.d"))
    }

    @Test func theAgentUnitIsHardenedAndNeverHidesProcStat() throws {
        let text = try String(contentsOfFile: Repository.path("Deploy/edgeprobe.service"), encoding: .utf8)
        let settings = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") })
        for required in [
            "Type=notify", "DynamicUser=yes", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes",
            "ProtectKernelLogs=yes", "RestrictAddressFamilies=AF_UNIX", "SystemCallFilter=@system-service",
            "IOSchedulingClass=idle", "ExecReload=/bin/kill -HUP $MAINPID",
        ] {
            #expect(settings.contains(required), "missing \(required)")
        }
        #expect(settings.contains { $0.hasPrefix("MemoryMax=") })
        #expect(settings.contains { $0.hasPrefix("Nice=") })
        #expect(settings.contains { $0.hasPrefix("WatchdogSec=") })
        #expect(!settings.contains { $0.hasPrefix("ProcSubset=") }, "ProcSubset=pid hides /proc/stat and /proc/meminfo")
        #expect(!settings.contains { $0.hasPrefix("CPUQuota=") }, "a CPU quota would throttle scheduled suites")
        let stopTimeout = try #require(settings.first { $0.hasPrefix("TimeoutStopSec=") })
        let seconds = try #require(Double(stopTimeout.dropFirst("TimeoutStopSec=".count).dropLast()))
        #expect(Duration.seconds(seconds) > AgentRunner.gracefulShutdownLimit + .seconds(2))
    }

    // MARK: - install.sh

    /// Every file under `root` with its bytes.
    private static func snapshot(_ root: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: root + "/" + relative)
            }
        }
        return files
    }

    @Test func installIsIdempotentAndUninstallReversesIt() throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let root = scratch.path
        let install = ["/bin/sh", Repository.path("Deploy/install.sh"), "--binary", AgentProcess.executable]
        let environment = ["DESTDIR": root, "EDGEPROBE_PROFILES": ""]

        let first = try Self.run(install, environment: environment)
        #expect(first.status == 0, "\(first.output)")
        let installed = Self.snapshot(root)
        for path in [
            "usr/local/bin/edgeprobe", "usr/local/libexec/edgeprobe/edgeprobe-sample",
            "usr/local/libexec/edgeprobe/edgeprobe-agent",
            "usr/local/share/edgeprobe/Profiles/suites/conv-default.yaml",
            "usr/local/share/edgeprobe/Profiles/boards/generic.yaml", "usr/local/share/doc/edgeprobe/agent.md",
            "usr/local/share/doc/edgeprobe/fleet.md", "usr/local/share/doc/edgeprobe/prometheus/edgeprobe-rules.yml",
            "usr/local/share/edgeprobe/mnist/mnist-test.bin", "usr/local/share/edgeprobe/mnist/lenet5-quantized.weights",
            "etc/systemd/system/edgeprobe.service", "etc/systemd/system/edgeprobe-bench.timer", "etc/edgeprobe/agent.yaml",
        ] {
            #expect(installed[path] != nil, "\(path) not installed")
        }
        #expect(FileManager.default.isExecutableFile(atPath: root + "/usr/local/bin/edgeprobe"))

        // The installed `edgeprobe sample` hands itself over to the installed edgeprobe-sample.
        // A sample is written only after the hand-over: the first line is the event to wait for.
        let sample = try TestProcess(root + "/usr/local/bin/edgeprobe", ["sample", "--interval", "100ms"])
        #expect(sample.waitFor { !sample.stdoutLines.isEmpty }, "no sample: \(sample.stderr)")
        let sampler = sample.runningExecutable
        sample.send(SIGTERM)
        #expect(sample.waitForExit() == 0)
        #expect(sampler == root + "/usr/local/libexec/edgeprobe/edgeprobe-sample")

        // The installed `edgeprobe agent` hands itself over to the installed edgeprobe-agent, which
        // finds the installed edgeprobe again for a reload's check (../../bin from libexec).
        let work = TemporaryDirectory(prefix: "agent")
        let agent = try TestProcess(
            root + "/usr/local/bin/edgeprobe", ["agent", "--config", work.write("sampling: {interval: 100ms}\n", to: "agent.yaml")],
            environment: ["EDGEPROBE_PROFILES": root + "/nonexistent", "NOTIFY_SOCKET": nil, "EDGEPROBE_IN_PROCESS": nil])
        #expect(agent.waitFor { !JSONLines.records("sample", in: agent.stdoutLines).isEmpty }, "no sample: \(agent.stderr)")
        #expect(agent.runningExecutable == root + "/usr/local/libexec/edgeprobe/edgeprobe-agent")
        agent.send(SIGHUP)
        #expect(agent.waitFor { !JSONLines.records("agent_reload", in: agent.stdoutLines).isEmpty },
                "the reload's check did not run: \(agent.stdoutLines.suffix(3)) \(agent.stderr)")
        agent.send(SIGTERM)
        #expect(agent.waitForExit() == 0)

        // The installed binary finds the installed profiles next to it and accepts the default config.
        let check = try Self.run(
            [root + "/usr/local/bin/edgeprobe", "agent", "--config", root + "/etc/edgeprobe/agent.yaml", "--check"],
            environment: ["EDGEPROBE_PROFILES": root + "/nonexistent"])
        #expect(check.status == 0, "\(check.output)")

        let second = try Self.run(install, environment: environment)
        #expect(second.status == 0)
        #expect(Self.snapshot(root) == installed, "a second install changes nothing")

        let uninstall = try Self.run(install + ["--uninstall"], environment: environment)
        #expect(uninstall.status == 0, "\(uninstall.output)")
        #expect(Self.snapshot(root).isEmpty, "left behind: \(Self.snapshot(root).keys.sorted())")
        let left = try FileManager.default.contentsOfDirectory(atPath: root)
        #expect(left.isEmpty, "the directories the install created are removed once empty: \(left)")
    }

    @Test func uninstallKeepsDirectoriesThatWereThereBefore() throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let root = scratch.path
        let install = ["/bin/sh", Repository.path("Deploy/install.sh"), "--binary", AgentProcess.executable]
        try FileManager.default.createDirectory(atPath: root + "/usr/local/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc/systemd/system", withIntermediateDirectories: true)
        #expect(try Self.run(install, environment: ["DESTDIR": root]).status == 0)
        #expect(try Self.run(install + ["--uninstall"], environment: ["DESTDIR": root]).status == 0)
        var isDirectory: ObjCBool = false
        for kept in ["usr/local/bin", "etc/systemd/system"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + kept, isDirectory: &isDirectory) && isDirectory.boolValue,
                    "\(kept) was there before the install")
        }
        for removed in ["usr/local/share", "usr/local/libexec", "etc/edgeprobe"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + removed), "\(removed) was created by the install")
        }
    }

    @Test func anEditedConfigSurvivesReinstallAndUninstall() throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let root = scratch.path
        let install = ["/bin/sh", Repository.path("Deploy/install.sh"), "--binary", AgentProcess.executable]
        let environment = ["DESTDIR": root, "PREFIX": "/opt/edgeprobe"]
        #expect(try Self.run(install, environment: environment).status == 0)
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/edgeprobe.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/edgeprobe/bin/edgeprobe agent --config /etc/edgeprobe/agent.yaml"))

        let config = root + "/etc/edgeprobe/agent.yaml"
        try "sampling: {interval: 5s}\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try Self.run(install, environment: environment).status == 0)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "sampling: {interval: 5s}\n")
        let uninstall = try Self.run(install + ["--uninstall"], environment: environment)
        #expect(uninstall.output.contains("keeping"))
        #expect(Array(Self.snapshot(root).keys) == ["etc/edgeprobe/agent.yaml"])
    }

    @Test func installWithoutABinarySaysHowToBuildOne() throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let root = scratch.path
        let result = try Self.run(
            ["/bin/sh", Repository.path("Deploy/install.sh"), "--binary", root + "/missing"], environment: ["DESTDIR": root])
        #expect(result.status == 1)
        #expect(result.output.contains("make release"))
        #expect(Self.snapshot(root).isEmpty)
    }
}
