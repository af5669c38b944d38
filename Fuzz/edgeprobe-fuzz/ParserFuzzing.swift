import AgentConfig
import Compression
import Models
import NAS
import Profiles

/// `edgeprobe agent --config`: the agent's YAML configuration (libyaml, no Foundation).
enum AgentConfigFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        _ = try? AgentConfiguration.parse(yaml: String(decoding: input, as: UTF8.self), path: "fuzz.yaml")
    }
}

/// `edgeprobe bench --suite`: suites, read and validated as `bench` does before anything runs.
enum SuiteFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        _ = try? Suite.load(path: InputFile.write(input))
    }
}

/// `--board`: board profiles.
enum BoardProfileFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        _ = try? BoardProfile.load(path: InputFile.write(input))
    }
}

/// `latency --spec` and the latency service's request bodies: architecture specs, checked
/// against the service's default limits.
enum ArchitectureSpecFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        _ = try? ArchitectureSpec.plan(yaml: String(decoding: input, as: UTF8.self), file: "fuzz.yaml")
    }
}

/// `lut --space`: search spaces, and the distinct layers `lut` derives from one before timing.
enum SearchSpaceFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let space = try? ArchitectureSearchSpace.load(path: InputFile.write(input)) else { return }
        _ = try? space.distinctLayers()
    }
}

/// `lut --table`, `lut --check`, `nas`: latency lookup tables.
enum LookupTableFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        _ = try? LookupTable.load(path: InputFile.write(input))
    }
}

/// Compressed model files: the container, then every section's payload through each decoder
/// that accepts its encoding. A mutated file almost never keeps a valid CRC-32, which would stop
/// the fuzzer at the checksum, so every input of at least the header's and trailer's 28 bytes
/// gets its file length and CRC made valid first and mutations reach the table and payloads.
/// The length and checksum checks themselves are covered by CompressedModelFileTests.
enum ModelFileFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        var bytes = Array(input)
        if bytes.count >= 28 {
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { bytes.replaceSubrange(16..<24, with: $0) }
            let checksum = CRC32.checksum(bytes[..<(bytes.count - 4)])
            withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
        }
        guard let file = try? CompressedModelFile(parsing: bytes) else { return }
        for section in file.sections {
            _ = try? section.decodedWeights()
            switch section.encoding {
            case .int8PerChannel: _ = try? section.decodedInt8()
            case .sharedWeights: _ = try? section.decodedSharedWeights()
            default: break
            }
        }
    }
}
