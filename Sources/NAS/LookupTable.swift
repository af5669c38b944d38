import Configuration
import Measurement
import Models
import Profiles

/// A per-block latency lookup table, in the YAML layout ProxylessNAS and Once-for-All read:
/// block keys at the top level, each with `mean` and `std` in milliseconds and `n`; plus
/// `board` and `conditions` mappings describing where and how it was measured, and optionally a
/// `network_overhead` entry (what a whole network costs beyond the sum of its blocks), a
/// `reference_network` entry (one network's end-to-end latency, to measure drift against), a
/// `median_scale` (what turns a sum of block medians into a network's median) and
/// `calibration_networks` (the end-to-end medians of the networks the blocks were measured in,
/// which `lut --check` measures again to correct for how much faster or slower the machine runs).
public struct LookupTable: Sendable, Equatable {
    /// One measured block.
    public struct Entry: Sendable, Equatable {
        /// Mean latency, milliseconds.
        public var mean: Double
        /// Sample standard deviation, milliseconds.
        public var std: Double
        /// Median latency, milliseconds.
        public var p50: Double
        /// Fastest iteration, milliseconds: the least disturbed by other processes.
        public var min: Double
        /// Timed iterations.
        public var n: Int

        /// An entry.
        public init(mean: Double, std: Double, p50: Double, min: Double, n: Int) {
            self.mean = mean
            self.std = std
            self.p50 = p50
            self.min = min
            self.n = n
        }
    }

    /// Entries by lookup key.
    public var entries: [String: Entry]
    /// Where it was measured: profile, CPU, cores, kernel (text values).
    public var board: [String: String]
    /// How it was measured: threads, seed, policy, space, temperatures, version (text values).
    public var conditions: [String: String]
    /// End-to-end latency minus the sum of the blocks' latencies, over the networks the blocks
    /// were measured in (milliseconds; `n` = networks); `nil` when not measured. Added once per
    /// prediction.
    public var networkOverhead: Entry?
    /// End-to-end latency of one network of the space (named by the `reference_network`
    /// condition) while the table was measured: `lut --check` measures it again to tell how much
    /// faster or slower the machine runs now. `nil` when not measured.
    public var referenceNetwork: Entry?

    /// A network's end-to-end median over its predicted median (the sum of its blocks' medians plus
    /// the overhead's), the median over the networks the blocks were measured in; `nil` when not
    /// measured. A sum of medians falls short of the median of the sum when block times are
    /// skewed to the right: on a 2-vCPU VM at 2 threads, where a block now and then waits for its
    /// second worker, by about 12% (Docs/nas.md, "Medians at several threads").
    public var medianScale: Scale?

    /// End-to-end median, milliseconds, of each network the blocks were measured in, by network
    /// name (`<space>-context<i>`, rebuilt from the `seed` and `occurrences_min` conditions);
    /// empty when not measured. `lut --check` measures the first few again in the same turns as
    /// its samples: their median now over their median then is the machine's speed drift, by
    /// which it corrects the predictions (`LookupTableCheck`).
    public var calibrationNetworks: [String: Double]

    /// A ratio measured over several networks.
    public struct Scale: Sendable, Equatable {
        /// The median ratio.
        public var value: Double
        /// The smallest ratio.
        public var min: Double
        /// The largest ratio.
        public var max: Double
        /// Networks behind it.
        public var n: Int
    }

    /// The value of a condition that could not be measured or told (a temperature without sensors,
    /// a version without a package).
    public static let unavailableCondition = "unavailable"

    /// The top-level key of `networkOverhead` in the YAML table.
    public static let networkOverheadKey = "network_overhead"
    /// The top-level key of `referenceNetwork` in the YAML table.
    public static let referenceNetworkKey = "reference_network"
    /// The top-level key of `medianScale` in the YAML table.
    public static let medianScaleKey = "median_scale"
    /// The top-level key of `calibrationNetworks` in the YAML table.
    public static let calibrationNetworksKey = "calibration_networks"

    /// A table.
    public init(
        entries: [String: Entry], board: [String: String], conditions: [String: String], networkOverhead: Entry? = nil,
        referenceNetwork: Entry? = nil, medianScale: Scale? = nil, calibrationNetworks: [String: Double] = [:]
    ) {
        self.entries = entries
        self.board = board
        self.conditions = conditions
        self.networkOverhead = networkOverhead
        self.referenceNetwork = referenceNetwork
        self.medianScale = medianScale
        self.calibrationNetworks = calibrationNetworks
    }

    /// The predicted latency of `plan` in milliseconds: the sum of its blocks' `statistic` (mean,
    /// p50 or min) plus the network overhead's, when the table has one (its median for `min`: the
    /// smallest overhead sample is a difference of two noisy runs, not a fastest run); for p50,
    /// times the table's `medianScale` when it has one (means add up as they are).
    /// - Throws: `LookupTableError.missingKey` for a layer the table lacks.
    public func predictMs(_ plan: ArchitecturePlan, statistic: KeyPath<Entry, Double> = \.mean) throws(LookupTableError) -> Double {
        let overheadStatistic: KeyPath<Entry, Double> = statistic == \Entry.min ? \Entry.p50 : statistic
        var total: Double = networkOverhead?[keyPath: overheadStatistic] ?? 0
        for layer in plan.layers {
            guard let entry = entries[layer.lookupKey] else { throw .missingKey(layer.lookupKey) }
            total += entry[keyPath: statistic]
        }
        if statistic == \Entry.p50, let medianScale { total *= medianScale.value }
        return total
    }

    // MARK: - YAML

    /// The table as YAML: sorted block keys, then `network_overhead`, `reference_network`,
    /// `median_scale` and `calibration_networks` (if measured), `board` and `conditions`.
    public func yaml() throws(YAMLError) -> String {
        func scalar(_ text: String) -> YAMLNode { YAMLNode(.scalar(YAMLScalar(text)), line: 0, column: 0) }
        func mapping(_ pairs: [(String, String)]) -> YAMLNode {
            YAMLNode(.mapping(pairs.map { YAMLPair(key: scalar($0.0), value: scalar($0.1)) }), line: 0, column: 0)
        }
        func fields(_ entry: Entry) -> YAMLNode {
            mapping([
                ("mean", String(entry.mean)), ("std", String(entry.std)), ("p50", String(entry.p50)), ("min", String(entry.min)),
                ("n", String(entry.n)),
            ])
        }
        var pairs = entries.keys.sorted().map { YAMLPair(key: scalar($0), value: fields(entries[$0]!)) }
        if let networkOverhead { pairs.append(YAMLPair(key: scalar(Self.networkOverheadKey), value: fields(networkOverhead))) }
        if let referenceNetwork { pairs.append(YAMLPair(key: scalar(Self.referenceNetworkKey), value: fields(referenceNetwork))) }
        if let medianScale {
            pairs.append(YAMLPair(key: scalar(Self.medianScaleKey), value: mapping([
                ("value", String(medianScale.value)), ("min", String(medianScale.min)), ("max", String(medianScale.max)),
                ("n", String(medianScale.n)),
            ])))
        }
        if !calibrationNetworks.isEmpty {
            pairs.append(YAMLPair(key: scalar(Self.calibrationNetworksKey),
                                  value: mapping(calibrationNetworks.keys.sorted().map { ($0, String(calibrationNetworks[$0]!)) })))
        }
        for (name, values) in [("board", board), ("conditions", conditions)] {
            pairs.append(YAMLPair(key: scalar(name), value: mapping(values.keys.sorted().map { ($0, values[$0]!) })))
        }
        return try YAMLEmitter.text(YAMLNode(.mapping(pairs), line: 0, column: 0))
    }

    /// Reads a table written by `yaml()` (or any table whose block entries have `mean` and `std`).
    /// - Throws: `ConfigError` naming the file and key.
    public static func load(path: String) throws(ConfigError) -> LookupTable {
        guard let root = try ConfigMapping.root(yaml: try ConfigFile.read(path), file: path) else {
            throw ConfigError(file: path, problem: "expected a mapping of block keys")
        }
        let pairs = try ConfigMapping(root, file: path, prefix: "").pairs
        guard pairs.count <= ConfigMapping.maxEntries else {
            throw ConfigError(file: path, problem: "\(pairs.count) keys, more than the limit of \(ConfigMapping.maxEntries)")
        }
        var table = LookupTable(entries: [:], board: [:], conditions: [:])
        for pair in pairs {
            guard let key = pair.key.scalar?.text else { continue }
            if key == "board" || key == "conditions" {
                var values: [String: String] = [:]
                if case .mapping(let fields) = pair.value.content {
                    for field in fields { values[field.key.scalar?.text ?? ""] = field.value.scalar?.text ?? "" }
                }
                if key == "board" { table.board = values } else { table.conditions = values }
                continue
            }
            let fields = Self.fields(pair.value)
            if key == medianScaleKey {
                table.medianScale = try scale(fields, path: path, line: pair.key.line)
                continue
            }
            if key == calibrationNetworksKey {
                table.calibrationNetworks = try calibration(pair.value, path: path, line: pair.key.line)
                continue
            }
            guard let mean = fields["mean"]?.float, let std = fields["std"]?.float else {
                throw ConfigError(file: path, key: key, problem: "expected a mapping with numbers 'mean' and 'std'", line: pair.key.line)
            }
            let entry = Entry(
                mean: mean, std: std, p50: fields["p50"]?.float ?? mean, min: fields["min"]?.float ?? mean,
                n: fields["n"]?.int ?? fields["count"]?.int ?? 0)
            if let problem = entry.problem(mayBeNegative: key == networkOverheadKey) {
                throw ConfigError(file: path, key: "\(key).\(problem.field)", problem: problem.text, line: pair.key.line)
            }
            switch key {
            case networkOverheadKey: table.networkOverhead = entry
            case referenceNetworkKey: table.referenceNetwork = entry
            default: table.entries[key] = entry
            }
        }
        return table
    }

    /// The `median_scale` entry: positive, finite ratios `min` ≤ `value` ≤ `max` over `n` ≥ 1 networks.
    private static func scale(_ fields: [String: YAMLScalar], path: String, line: Int) throws(ConfigError) -> Scale {
        var ratios: [Double] = []
        for field in ["value", "min", "max"] {
            guard let ratio = fields[field]?.float, ratio.isFinite, ratio > 0 else {
                throw ConfigError(file: path, key: "\(medianScaleKey).\(field)", problem: "expected a positive ratio", line: line)
            }
            ratios.append(ratio)
        }
        let (value, smallest, largest) = (ratios[0], ratios[1], ratios[2])
        guard smallest <= value, value <= largest else {
            throw ConfigError(file: path, key: "\(medianScaleKey).value",
                              problem: "expected min <= value <= max, got \(smallest) <= \(value) <= \(largest)", line: line)
        }
        guard let n = fields["n"]?.int, n >= 1 else {
            throw ConfigError(file: path, key: "\(medianScaleKey).n", problem: "expected a count of networks (at least 1)", line: line)
        }
        return Scale(value: value, min: smallest, max: largest, n: n)
    }

    /// The `calibration_networks` entry: network names with positive, finite medians in milliseconds.
    private static func calibration(_ node: YAMLNode, path: String, line: Int) throws(ConfigError) -> [String: Double] {
        guard case .mapping(let pairs) = node.content else {
            throw ConfigError(file: path, key: calibrationNetworksKey, problem: "expected a mapping of network names to medians in milliseconds", line: line)
        }
        var medians: [String: Double] = [:]
        for pair in pairs {
            let name = pair.key.scalar?.text ?? ""
            guard let median = pair.value.scalar?.float, median.isFinite, median > 0, median <= Entry.largestMs else {
                throw ConfigError(file: path, key: "\(calibrationNetworksKey).\(name)",
                                  problem: "expected a median in milliseconds above 0 and up to \(Int(Entry.largestMs))", line: pair.key.line)
            }
            medians[name] = median
        }
        return medians
    }

    /// The scalar fields of a block entry by name (empty when the entry is not a mapping).
    private static func fields(_ node: YAMLNode) -> [String: YAMLScalar] {
        guard case .mapping(let pairs) = node.content else { return [:] }
        var fields: [String: YAMLScalar] = [:]
        for pair in pairs {
            if let name = pair.key.scalar?.text, let value = pair.value.scalar { fields[name] = value }
        }
        return fields
    }
}

extension LookupTable.Entry {
    /// The longest latency a table entry may give, in milliseconds (an hour): anything beyond is
    /// a corrupted table, and would overflow the sums a prediction takes.
    public static let largestMs = 3_600_000.0

    /// What makes this entry unusable, if anything: a figure that is not a finite number of
    /// milliseconds within ±`largestMs`, a negative latency (only the network overhead, a
    /// difference, may be negative), a negative spread or count.
    func problem(mayBeNegative: Bool) -> (field: String, text: String)? {
        for (field, value) in [("mean", mean), ("std", std), ("p50", p50), ("min", min)] {
            guard value.isFinite, abs(value) <= Self.largestMs else {
                return (field, "expected a latency in milliseconds up to \(Int(Self.largestMs)), got \(value)")
            }
            if value < 0, field == "std" || !mayBeNegative {
                return (field, "must not be negative, got \(value)")
            }
        }
        return n < 0 ? ("n", "must not be negative, got \(n)") : nil
    }
}

/// Why a lookup table could not predict a network.
public enum LookupTableError: Error, Equatable, CustomStringConvertible {
    /// The table has no entry for this block key.
    case missingKey(String)

    public var description: String {
        switch self {
        case .missingKey(let key): "the lookup table has no entry '\(key)' (was it measured for this search space?)"
        }
    }
}

extension LookupTable.Scale {
    /// The median, smallest and largest of `ratios`; `nil` when there are none. (In an extension,
    /// so the struct keeps its memberwise initializer.)
    public init?(ratios: [Double]) {
        guard !ratios.isEmpty else { return nil }
        let sorted = ratios.sorted()
        self.init(value: LatencyStatistics.percentile(sorted, 0.5), min: sorted.first!, max: sorted.last!, n: sorted.count)
    }
}
