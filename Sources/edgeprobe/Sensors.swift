import ArgumentParser
import CommandLineSupport
import Glibc
import Reports
import Telemetry

extension EdgeProbe {
    /// `edgeprobe sensors`: every temperature, fan and voltage sensor once.
    struct SensorsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sensors",
            abstract: "Show every temperature, fan and voltage sensor once.",
            discussion: """
                Chips are named as libsensors (and the `sensors` command) names them, e.g. \
                coretemp-isa-0000 or cpu_thermal-virtual-0. Without any hwmon temperature the \
                kernel's thermal zones (/sys/class/thermal) are shown instead. On a terminal the \
                output is a table; with --json, or when standard output is not a terminal, it is \
                one "sensors" JSON line.

                Examples:
                  edgeprobe sensors
                  edgeprobe sensors --json
                  edgeprobe sensors --source sysfs     # bypass libsensors
                """
        )

        @Flag(help: "Write one JSON line instead of a table.")
        var json = false

        @Option(help: ArgumentHelp(
            "Hwmon reader: automatic, libsensors or sysfs.", valueName: "source"))
        var source: SensorBackend = .automatic

        @Option(help: ArgumentHelp(
            "Read /sys under this directory instead of the live system (copied trees, tests).",
            valueName: "path"))
        var root: String = "/"

        func validate() throws {
            try FilesystemRoot.validate(root)
        }

        func run() throws {
            let collector = SensorsCollector(root: root, backend: source)
            var unavailable: [String: String] = [:]
            let readings = collector.read(unavailable: &unavailable)
            if readings.isEmpty {
                printError("no sensor found: no hwmon chip under /sys/class/hwmon and no thermal zone under /sys/class/thermal")
            }
            if json || isatty(STDOUT_FILENO) == 0 {
                do {
                    try RecordWriter().write(SensorsReport(readings, source: collector.sourceName, unavailable: unavailable))
                } catch {
                    printError("\(error)")
                    throw ExitCode.failure
                }
            } else if !readings.isEmpty {
                print(SensorsTable.render(readings), terminator: "")
            }
        }
    }
}

extension SensorBackend: ExpressibleByArgument {}
