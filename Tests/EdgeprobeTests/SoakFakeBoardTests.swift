import Foundation
import TestSupport
import Testing

/// A fake board that heats up, for the real `edgeprobe soak`: inside a private mount namespace
/// tmpfs mounts replace `/sys/class` (a hwmon chip), `/sys/devices/platform` (the Raspberry Pi
/// firmware's `get_throttled`) and `/sys/devices/system/cpu` (cpufreq for every CPU). A reader of
/// the soak's output acts on the records as they come: every window raises the temperature;
/// after window `flipAfter` the firmware reports "capped + throttled now" and `scaling_cur_freq`
/// halves. (A CPU hog on the soak's CPU used to slow the sustained run as well; on this VM under
/// load a nice -20 hog pinned to that CPU left the soak's windows untouched for seconds in some
/// runs and took all but one inference per window in others, so the test no longer relies on it.)
@Suite struct SoakFakeBoardTests {
    static let windowS = 0.3
    static let flipAfter = 3
    static let sampleIntervalS = 0.05

    /// `$1` edgeprobe, `$2` board profile, `$3` the soak's CPU, `$4` flip after, `$5` window.
    private static let script = #"""
        set -e
        cpus=$(seq 0 $(($(nproc --all) - 1)))
        mount -t tmpfs edgeprobe-test /sys/class
        mkdir -p /sys/class/hwmon/hwmon0
        h=/sys/class/hwmon/hwmon0; echo cpu_thermal > $h/name; echo 40000 > $h/temp1_input
        mount -t tmpfs edgeprobe-test /sys/devices/platform
        fw="/sys/devices/platform/soc/soc:firmware"; mkdir -p "$fw"; echo 0x0 > "$fw/get_throttled"
        mount -t tmpfs edgeprobe-test /sys/devices/system/cpu
        for c in $cpus; do
          f=/sys/devices/system/cpu/cpu$c/cpufreq; mkdir -p $f
          echo 1500000 > $f/cpuinfo_max_freq; echo 1500000 > $f/scaling_max_freq; echo 600000 > $f/scaling_min_freq
          echo 1500000 > $f/scaling_cur_freq; echo ondemand > $f/scaling_governor
        done
        echo "0-$(($(nproc --all) - 1))" > /sys/devices/system/cpu/online
        "$1" soak --arch mobilenet-v2-96 --board "$2" --cpus "$3" --threads 1 --warmup 2 --sample-interval 50ms \
            --duration 4s --window "$5" | while IFS= read -r line; do
          printf '%s\n' "$line"
          index=$(printf '%s' "$line" | sed -n 's/.*"type":"window".*/&/p' | sed -n 's/.*"index":\([0-9]*\).*/\1/p')
          [ -n "$index" ] || continue
          echo $((41000 + index * 500)) > $h/temp1_input
          if [ "$index" = "$4" ]; then
            before=$(date +%s.%N)
            echo 0x6 > "$fw/get_throttled"
            for c in $cpus; do echo 750000 > /sys/devices/system/cpu/cpu$c/cpufreq/scaling_cur_freq; done
            echo "{\"type\":\"test_flip\",\"before_s\":$before,\"after_s\":$(date +%s.%N)}"
          fi
        done
        """#

    @Test(.enabled("unshare -m is not permitted here (needs root); CI runs this test") { await MountNamespace.isPermitted() }, .timeLimit(.minutes(2)))
    func throttleIsFoundWhenTheFirmwareFlipsAndSummarised() async throws {
        let board = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-hot-board-\(UUID().uuidString).yaml")
        try """
            name: hot-board
            threads: 1
            cooldown_to_c: 60
            cooldown_timeout_s: 10
            throttle_temp_c: 80
            """.write(to: board, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: board) }
        let soakCPU = ProcessInfo.processInfo.activeProcessorCount > 1 ? "1" : "0"
        let result = try await TestProcess.run("/usr/bin/env", [
            "unshare", "-m", "sh", "-c", Self.script, "soak-fake-board", EdgeprobeBinary.path, board.path, soakCPU,
            String(Self.flipAfter), String(Self.windowS),
        ])
        try #require(result.status == 0, "script failed: \(result.stderr)")
        let parsed = try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let windows = parsed.filter { $0["type"] as? String == "window" }
        let summary = try #require(parsed.first { $0["type"] as? String == "soak" })
        let flip = try #require(parsed.first { $0["type"] as? String == "test_flip" })
        // The last third of the windows (the sustained run) must all come after the flip.
        try #require(windows.count - windows.count / 3 > Self.flipAfter + 1, "too few windows: \(windows.count)")

        // The soak's start in wall time, from the first window's timestamp and its end offset.
        let first = windows[0]
        let firstWritten = try #require(Self.seconds(rfc3339: first["ts"] as? String))
        let origin = firstWritten - (first["end_s"] as! Double)
        // The firmware flipped between these two offsets (a starved shell may take long between
        // its writes and its `date` calls).
        let flipFrom = (flip["before_s"] as! Double) - origin
        let flipTo = (flip["after_s"] as! Double) - origin

        // Before the flip nothing throttled (cool, full speed, firmware quiet).
        for window in windows.prefix(Self.flipAfter + 1) {
            #expect(window["throttled"] as? Bool == false, "\(window)")
        }
        let timeToThrottle = try #require(summary["time_to_throttle_s"] as? Double, "\(summary)")
        // The window of the flip starts at most one window before it; when a starved sampler
        // reads the firmware only after that window has closed, the next one counts.
        #expect(timeToThrottle >= flipFrom - Self.windowS - 0.02 && timeToThrottle <= flipTo + 2 * Self.windowS + 0.02,
                "throttled from \(timeToThrottle) s, firmware flipped between \(flipFrom) and \(flipTo) s")
        let causes = try #require(summary["throttle_cause"] as? [String])
        #expect(causes.contains("pi_throttled_now") && causes.contains("pi_capped_now"), "\(causes)")
        // The summary names the causes of the first throttled window. The firmware bits count
        // from one sample, a capped frequency only from half the busy samples, and the flip may
        // land late in that window (the reader is starved on a loaded machine); windows that
        // began after the flip (and a sample interval) ran capped from start to end. Which
        // windows those are depends on how late the reader acted on window `flipAfter`: at load
        // 19 the last third of a 3 s soak once still began before it. (A window in which a
        // starved sampler took no sample is judged by nothing: `throttled` is null.)
        let windowCauses = windows.map { ($0["throttle_cause"] as? [String]) ?? [] }
        let firstCapped = windowCauses.firstIndex { $0.contains("frequency_capped") }
        #expect(firstCapped.map { $0 > Self.flipAfter } == true, "\(windowCauses)")
        let afterFlip = windows.filter { (($0["start_s"] as? Double) ?? 0) >= flipTo + Self.sampleIntervalS && $0["throttled"] is Bool }
        try #require(!afterFlip.isEmpty, "no judged window began after the flip (\(flipFrom)-\(flipTo) s): \(windowCauses)")
        #expect(afterFlip.allSatisfy { ($0["throttle_cause"] as? [String])?.contains("frequency_capped") == true },
                "flip at \(flipFrom)-\(flipTo) s: \(afterFlip)")
        let throttledWindow = try #require(windows.first { $0["throttled"] as? Bool == true })
        let frequencies = try #require(throttledWindow["frequency_hz"] as? [String: [String: Int]])
        #expect(frequencies.values.contains { $0["min"] == 750_000_000 })

        let sustainedWindows = windows.suffix(windows.count / 3)
        // The summary's sustained p50 is the median of the last third's window p50s.
        let p50s = sustainedWindows.compactMap { ($0["latency_us"] as? [String: Any])?["p50"] as? Double }.sorted()
        let median = p50s.count % 2 == 1 ? p50s[p50s.count / 2] : (p50s[p50s.count / 2 - 1] + p50s[p50s.count / 2]) / 2
        let sustained = try #require(summary["sustained_p50_us"] as? Double)
        let burst = try #require(summary["burst_p50_us"] as? Double)
        #expect(abs(sustained - median) <= 1e-6 * median, "sustained p50 \(sustained), window p50s \(p50s)")
        let ratio = try #require(summary["sustained_over_burst"] as? Double)
        #expect(abs(ratio - sustained / burst) <= 1e-3 * ratio, "sustained_over_burst \(ratio) is sustained / burst")
        let heating = try #require(summary["heating_rate_c_per_min"] as? Double)
        #expect(heating > 0)
        #expect(summary["start_temp_c"] as? Double == 40)

        let lines = result.stdoutLines.filter { !$0.contains(#""type":"test_"#) }
        for type in ["window", "soak"] {
            let text = lines.filter { $0.contains(#""type":"\#(type)""#) }.joined(separator: "\n") + "\n"
            let outcome = try await SchemaValidator.validate(text, schema: "\(type).schema.json")
            #expect(outcome.valid, "\(type): \(outcome.problems)")
        }
    }

    /// A big.LITTLE board made of this machine's first two CPUs: cpu0 little (`cpu_capacity`
    /// 446), cpu1 big (1024). `bench --sweep-clusters` measures each layer on each cluster, and
    /// `soak --cpus big` pins to the big core and says so.
    private static let twoClusterScript = #"""
        set -e
        mount -t tmpfs edgeprobe-test /sys/devices/system/cpu
        for c in 0 1; do mkdir -p /sys/devices/system/cpu/cpu$c; done
        echo 446 > /sys/devices/system/cpu/cpu0/cpu_capacity
        echo 1024 > /sys/devices/system/cpu/cpu1/cpu_capacity
        echo 0-1 > /sys/devices/system/cpu/online
        "$1" bench --suite "$2" --sweep-clusters --min-time 5ms --warmup 1
        "$1" soak --arch tiny --cpus big --duration 0.2s --window 0.2s --warmup 1
        """#

    @Test(.enabled("needs unshare -m and two CPUs") { await MountNamespace.isPermitted() && ProcessInfo.processInfo.activeProcessorCount >= 2 },
          .timeLimit(.minutes(2)))
    func sweepAndBigClusterOnAFakeTwoClusterBoard() async throws {
        let suite = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-one-layer-\(UUID().uuidString).yaml")
        try "name: one\nlayers:\n  - {name: pw, op: pointwise, cin: 8, h: 5, w: 5, cout: 4}\n"
            .write(to: suite, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await TestProcess.run("/usr/bin/env", [
            "unshare", "-m", "sh", "-c", Self.twoClusterScript, "two-clusters", EdgeprobeBinary.path, suite.path,
        ])
        try #require(result.status == 0, "script failed: \(result.stderr)")
        let parsed = try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let benches = parsed.filter { $0["type"] as? String == "bench" }
        #expect(benches.map { $0["cluster"] as? String } == ["little", "big"])
        #expect(benches.map { $0["affinity"] as? [[Int]] } == [[[0]], [[1]]])
        let summary = try #require(parsed.first { $0["type"] as? String == "soak" })
        #expect(summary["cluster"] as? String == "big")
        #expect(summary["cpus"] as? [Int] == [1])
    }

    /// Seconds since the epoch of an RFC 3339 UTC timestamp with milliseconds.
    private static func seconds(rfc3339 text: String?) -> Double? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}

