// Readers of the digits CNN's committed files (formats in Tools/digits/README.md), with POSIX
// reads only: no Foundation, no resource bundle.

import Compression
import Glibc
import Tensors

/// Why a digits file could not be read.
public struct DigitsFileError: Error, Equatable, CustomStringConvertible {
    /// The file at fault.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    /// An error naming the file and the problem.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// A named float32 tensor of an `EPDW` weights file.
public struct NamedTensor: Sendable, Equatable {
    /// Name, e.g. `conv1.weight`.
    public let name: String
    /// Row-major dimensions.
    public let dimensions: [Int]
    /// Values, row-major.
    public let values: [Float]
}

/// The held-out test split of an `EPDT` file: NHWC images and their labels.
public struct DigitsTestSplit: Sendable {
    /// The shape of one image (8x8x1).
    public let imageShape: TensorShape
    /// Images, NHWC, pixel / 16.
    public let images: [[Float]]
    /// Labels 0...9, one per image.
    public let labels: [Int]
}

/// Reading the digits files from a directory such as `Tools/digits/out`.
public enum DigitsFiles {
    /// The file holding the dense-trained weights.
    public static let weightsFile = "digits-cnn.weights"
    /// The file holding the pruned-and-retrained weights.
    public static let prunedWeightsFile = "digits-cnn-pruned.weights"
    /// The file holding the test split.
    public static let testSplitFile = "digits-test.bin"
    /// The training script's logits on the test split, for the dense weights.
    public static let logitsFile = "digits-test-logits.bin"

    /// The directory holding the digits files: `$EDGEPROBE_DIGITS`, else
    /// `<prefix>/share/edgeprobe/digits` next to an installed binary, else the nearest
    /// `Tools/digits/out` above the binary (a source checkout); nil when none has the weights.
    public static func standardDirectory() -> String? {
        var candidates: [String] = []
        if let override = getenv("EDGEPROBE_DIGITS") { candidates.append(String(cString: override)) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            var directory = parent(of: String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
            candidates.append(parent(of: directory) + "/share/edgeprobe/digits")
            for _ in 0..<5 {
                candidates.append(directory + "/Tools/digits/out")
                directory = parent(of: directory)
            }
        }
        return candidates.first { access("\($0)/\(weightsFile)", R_OK) == 0 }
    }

    // MARK: - Weights (EPDW)

    /// The tensors of an `EPDW` weights file, in file order.
    public static func readWeights(path: String) throws(DigitsFileError) -> [NamedTensor] {
        try parse(path: path, magic: "EPDW") { (reader: inout ByteReader) throws(CodecError) in
            let count = Int(try reader.readUInt32("tensor count"))
            var tensors: [NamedTensor] = []
            for _ in 0..<count {
                let nameLength = Int(try reader.readUInt16("name length"))
                let name = String(decoding: try reader.readBytes(nameLength, "name"), as: UTF8.self)
                let rank = Int(try reader.readUInt8("rank"))
                var dimensions: [Int] = []
                for _ in 0..<rank { dimensions.append(Int(try reader.readUInt32("dimension"))) }
                let values = try readFloats(dimensions.reduce(1, *), "\(name) values", from: &reader)
                tensors.append(NamedTensor(name: name, dimensions: dimensions, values: values))
            }
            return tensors
        }
    }

    // MARK: - Test split (EPDT)

    /// The images and labels of an `EPDT` test split file.
    public static func readTestSplit(path: String) throws(DigitsFileError) -> DigitsTestSplit {
        try parse(path: path, magic: "EPDT") { (reader: inout ByteReader) throws(CodecError) in
            let count = Int(try reader.readUInt32("count"))
            let height = Int(try reader.readUInt32("height"))
            let width = Int(try reader.readUInt32("width"))
            let channels = Int(try reader.readUInt32("channels"))
            let pixels = height * width * channels
            let all = try readFloats(count * pixels, "images", from: &reader)
            let images = (0..<count).map { Array(all[$0 * pixels..<($0 + 1) * pixels]) }
            let labels = try reader.readBytes(count, "labels").map(Int.init)
            return DigitsTestSplit(
                imageShape: TensorShape(height: height, width: width, channels: channels), images: images, labels: labels)
        }
    }

    // MARK: - Logits (EPDL)

    /// The logits rows of an `EPDL` file, one row per test image.
    public static func readLogits(path: String) throws(DigitsFileError) -> [[Float]] {
        try parse(path: path, magic: "EPDL") { (reader: inout ByteReader) throws(CodecError) in
            let count = Int(try reader.readUInt32("count"))
            let classes = Int(try reader.readUInt32("classes"))
            let all = try readFloats(count * classes, "logits", from: &reader)
            return (0..<count).map { Array(all[$0 * classes..<($0 + 1) * classes]) }
        }
    }

    // MARK: - Helpers

    /// Reads the file, checks magic and version 1, runs `body` and requires it to consume every byte.
    private static func parse<T>(
        path: String, magic: String, _ body: (inout ByteReader) throws(CodecError) -> T
    ) throws(DigitsFileError) -> T {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw DigitsFileError(path: path, problem: error.description)
        }
        guard bytes.count >= 8, Array(bytes[0..<4]) == Array(magic.utf8) else {
            throw DigitsFileError(path: path, problem: "not a digits file: magic is not \(magic)")
        }
        do {
            var reader = ByteReader(bytes, offset: 4)
            let version = try reader.readUInt32("version")
            guard version == 1 else {
                throw DigitsFileError(path: path, problem: "version \(version); this build reads version 1")
            }
            let result = try body(&reader)
            guard reader.isAtEnd else {
                throw DigitsFileError(path: path, problem: "\(reader.remainingCount) bytes after the last field")
            }
            return result
        } catch let error as DigitsFileError {
            throw error
        } catch {
            throw DigitsFileError(path: path, problem: "\(error)")
        }
    }

    private static func readFloats(_ count: Int, _ what: String, from reader: inout ByteReader) throws(CodecError) -> [Float] {
        guard count >= 0, count <= reader.remainingCount / 4 else { throw .truncated(what: what) }
        var values = [Float]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try reader.readFloat(what)) }
        return values
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
