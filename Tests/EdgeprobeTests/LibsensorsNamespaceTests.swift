import Foundation
import TestSupport
import Testing

/// The real libsensors path: inside a private mount namespace a tmpfs replaces `/sys/class`
/// (not `/sys`: libsensors checks that `/sys` is a sysfs) with two fake hwmon chips, and the real
/// `edgeprobe sensors --json` must report exactly the names and values written there.
@Suite(.timeLimit(.minutes(3))) struct LibsensorsNamespaceTests {
    private static let script = #"""
        set -e
        mount -t tmpfs edgeprobe-test /sys/class
        mkdir -p /sys/class/hwmon/hwmon0 /sys/class/hwmon/hwmon1 /sys/class/fakebus/0000:01:00.0
        h=/sys/class/hwmon/hwmon0
        echo cpu_thermal > $h/name; echo 45678 > $h/temp1_input; echo 95000 > $h/temp1_crit
        echo CPU > $h/temp1_label; echo 1234 > $h/fan1_input
        h=/sys/class/hwmon/hwmon1
        echo nvme > $h/name; echo 38850 > $h/temp1_input; echo 84850 > $h/temp1_crit
        echo Composite > $h/temp1_label; echo 2500 > $h/fan1_input
        ln -s ../../fakebus/0000:01:00.0 $h/device
        ln -s ../../../bus/pci /sys/class/fakebus/0000:01:00.0/subsystem
        "$1" sensors --json
        "$1" sensors --json --source sysfs
        """#

    @Test(.enabled("unshare -m is not permitted here (needs root); CI runs this test") { await MountNamespace.isPermitted() })
    func realLibsensorsReportsTheFakeChips() async throws {
        let result = try await TestProcess.run("/usr/bin/env", [
            "unshare", "-m", "sh", "-c", Self.script, "namespace-test", EdgeprobeBinary.path,
        ])
        try #require(result.status == 0, "unshare script failed: \(result.stderr)")
        let lines = result.stdoutLines
        try #require(lines.count == 2, "\(result.stdout)")
        let libsensors = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        let sysfs = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        #expect(libsensors["sensors_source"] as? String == "libsensors")
        #expect(sysfs["sensors_source"] as? String == "sysfs")

        let expectedTemperatures: Set<Reading> = [
            Reading(chip: "cpu_thermal-virtual-0", label: "CPU", values: [45.678, 95]),
            Reading(chip: "nvme-pci-0100", label: "Composite", values: [38.85, 84.85]),
        ]
        let expectedFans: Set<Reading> = [
            Reading(chip: "cpu_thermal-virtual-0", label: "fan1", values: [1234]),
            Reading(chip: "nvme-pci-0100", label: "fan1", values: [2500]),
        ]
        for record in [libsensors, sysfs] {
            let temperatures = (record["temperatures"] as! [[String: Any]]).map {
                Reading(chip: $0["chip"] as! String, label: $0["label"] as! String,
                        values: [$0["input_c"] as! Double, $0["crit_c"] as! Double])
            }
            let fans = (record["fans"] as! [[String: Any]]).map {
                Reading(chip: $0["chip"] as! String, label: $0["label"] as! String, values: [$0["input_rpm"] as! Double])
            }
            #expect(Set(temperatures) == expectedTemperatures, "\(record["sensors_source"]!)")
            #expect(temperatures.count == 2)
            #expect(Set(fans) == expectedFans, "\(record["sensors_source"]!)")
            #expect((record["temperatures"] as! [[String: Any]]).allSatisfy { $0["max_c"] is NSNull })
        }
    }

    private struct Reading: Hashable, CustomStringConvertible {
        var chip: String
        var label: String
        var values: [Double]
        var description: String { "\(chip)/\(label)=\(values)" }
    }
}

