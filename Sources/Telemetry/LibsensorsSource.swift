import CSensors
import Glibc
import Synchronization

/// Reads hwmon chips through libsensors (lm-sensors 3.x), with its configuration file's labels
/// and computations, exactly as the `sensors` command shows them.
///
/// libsensors keeps one unlocked, process-wide chip list (`sensors_init`/`sensors_cleanup`):
/// only one instance may exist at a time, and it must stay on the thread that created it.
public final class LibsensorsSource: SensorSource {
    /// Where libsensors reads one value: a chip's subfeature.
    private struct Subfeature {
        var chip: UnsafePointer<sensors_chip_name>
        var number: Int32
    }

    private typealias Channel = SensorChannel<Subfeature>

    private static let inUse = Atomic<Bool>(false)
    private var channels: [Channel] = []

    /// Initializes libsensors (`sensors_init` with the default configuration) and lists every
    /// temperature, fan and voltage input once; `nil` when libsensors cannot start (no sysfs) or
    /// another instance owns it.
    public init?() {
        guard Self.inUse.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return nil
        }
        guard sensors_init(nil) == 0 else {
            Self.inUse.store(false, ordering: .releasing)
            return nil
        }
        channels = Self.scan()
    }

    deinit {
        sensors_cleanup()
        Self.inUse.store(false, ordering: .releasing)
    }

    /// `"libsensors"`.
    public var name: String { "libsensors" }

    /// How many sensor inputs libsensors found.
    public var channelCount: Int { channels.count }

    /// Reads every input with `sensors_get_value`.
    public func read() -> SensorReadings {
        SensorReadings(channels: channels) { subfeature, _ in value(subfeature) }
    }

    // MARK: - libsensors calls

    /// Walks `sensors_get_detected_chips` and `sensors_get_features` once.
    private static func scan() -> [Channel] {
        var result: [Channel] = []
        var chipIndex: Int32 = 0
        while let chip = sensors_get_detected_chips(nil, &chipIndex) {
            let chipName = name(of: chip)
            var featureIndex: Int32 = 0
            while let feature = sensors_get_features(chip, &featureIndex) {
                let kinds: (Channel.Kind, sensors_subfeature_type, sensors_subfeature_type?, sensors_subfeature_type?)
                switch feature.pointee.type {
                case SENSORS_FEATURE_TEMP:
                    kinds = (.temperature, SENSORS_SUBFEATURE_TEMP_INPUT, SENSORS_SUBFEATURE_TEMP_MAX, SENSORS_SUBFEATURE_TEMP_CRIT)
                case SENSORS_FEATURE_FAN:
                    kinds = (.fan, SENSORS_SUBFEATURE_FAN_INPUT, nil, nil)
                case SENSORS_FEATURE_IN:
                    kinds = (.voltage, SENSORS_SUBFEATURE_IN_INPUT, nil, nil)
                default:
                    continue
                }
                guard let input = sensors_get_subfeature(chip, feature, kinds.1) else { continue }
                func subfeature(_ type: sensors_subfeature_type?) -> Subfeature? {
                    type.flatMap { sensors_get_subfeature(chip, feature, $0) }.map { Subfeature(chip: chip, number: $0.pointee.number) }
                }
                result.append(Channel(
                    kind: kinds.0, chip: chipName, label: label(chip, feature),
                    input: Subfeature(chip: chip, number: input.pointee.number), max: subfeature(kinds.2), crit: subfeature(kinds.3)))
            }
        }
        return result
    }

    /// `sensors_snprintf_chip_name`: `coretemp-isa-0000`.
    private static func name(of chip: UnsafePointer<sensors_chip_name>) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard sensors_snprintf_chip_name(&buffer, buffer.count, chip) > 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `sensors_get_label`: the configured label, the sysfs `_label`, or the feature name.
    private static func label(_ chip: UnsafePointer<sensors_chip_name>, _ feature: UnsafePointer<sensors_feature>) -> String {
        guard let text = sensors_get_label(chip, feature) else { return String(cString: feature.pointee.name) }
        defer { free(text) }
        return String(cString: text)
    }

    /// `sensors_get_value`, or `nil` when the read fails (a faulted sensor).
    private func value(_ subfeature: Subfeature) -> Double? {
        var result = 0.0
        return sensors_get_value(subfeature.chip, subfeature.number, &result) == 0 ? result : nil
    }
}
