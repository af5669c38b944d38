// Readers of the committed weights, test splits and logits of the trained models (formats in
// Tools/digits/README.md, version 1, and Tools/mnist/README.md, version 2), with POSIX reads
// only: no Foundation, no resource bundle.

import Compression
import Glibc
import Tensors

/// Why a trained model's file (weights, test split, logits) could not be read.
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
    /// Values, row-major (shared weights looked up, pruned ones 0).
    public let values: [Float]
    /// The codebook of a tensor stored as shared weights (trained quantization), else nil.
    public let codebook: [Float]?

    /// A tensor; `codebook` only for shared weights.
    public init(name: String, dimensions: [Int], values: [Float], codebook: [Float]? = nil) {
        self.name = name
        self.dimensions = dimensions
        self.values = values
        self.codebook = codebook
    }
}

/// The held-out test split of an `EPDT` file: NHWC images and their labels.
public struct DigitsTestSplit: Sendable {
    /// The shape of one image (8x8x1, 28x28x1).
    public let imageShape: TensorShape
    /// Images, NHWC, as the network reads them (8x8 digits: pixel / 16; MNIST: pixel / 255).
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
        standardDirectory(environment: "EDGEPROBE_DIGITS", tool: "digits", marker: weightsFile)
    }

    /// The directory holding a tool's files: `$<environment>`, else
    /// `<prefix>/share/edgeprobe/<tool>` next to an installed binary, else the nearest
    /// `Tools/<tool>/out` above the binary (a source checkout); nil when none holds `marker`.
    public static func standardDirectory(environment: String, tool: String, marker: String) -> String? {
        var candidates: [String] = []
        if let override = getenv(environment) { candidates.append(String(cString: override)) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            var directory = parent(of: String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
            candidates.append(parent(of: directory) + "/share/edgeprobe/\(tool)")
            for _ in 0..<5 {
                candidates.append(directory + "/Tools/\(tool)/out")
                directory = parent(of: directory)
            }
        }
        return candidates.first { access("\($0)/\(marker)", R_OK) == 0 }
    }

    // MARK: - Weights (EPDW)

    /// The tensors of an `EPDW` weights file, in file order: version 1 float32 only; version 2
    /// with an encoding per tensor (float32, float16, sparse float16, sparse shared weights).
    public static func readWeights(path: String) throws(DigitsFileError) -> [NamedTensor] {
        try weights(bytes: try readFile(path: path), path: path)
    }

    /// The tensors of the `EPDW` weights file `bytes`, read from `path` (which errors name).
    public static func weights(bytes: [UInt8], path: String) throws(DigitsFileError) -> [NamedTensor] {
        try parse(bytes: bytes, path: path, magic: "EPDW", versions: 1...2) { (reader: inout ByteReader, version) throws(CodecError) in
            let count = Int(try reader.readUInt32("tensor count"))
            var tensors: [NamedTensor] = []
            for _ in 0..<count {
                let nameLength = Int(try reader.readUInt16("name length"))
                let name = String(decoding: try reader.readBytes(nameLength, "name"), as: UTF8.self)
                let rank = Int(try reader.readUInt8("rank"))
                var dimensions: [Int] = []
                var elements = 1
                for _ in 0..<rank {
                    let dimension = Int(try reader.readUInt32("dimension"))
                    let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                    // A sparse tensor's size is not bounded by the file's: cap it where the CSR kernels' Int32 indices end.
                    guard !overflow, product <= Int(Int32.max) else {
                        throw .invalidField(name: "\(name) dimension", value: dimension, allowed: "a tensor of at most \(Int32.max) elements")
                    }
                    dimensions.append(dimension)
                    elements = product
                }
                guard version == 2 else {
                    tensors.append(NamedTensor(name: name, dimensions: dimensions,
                                               values: try readFloats(elements, "\(name) values", from: &reader)))
                    continue
                }
                tensors.append(try readEncodedTensor(name: name, dimensions: dimensions, elements: elements, from: &reader))
            }
            return tensors
        }
    }

    /// One version-2 tensor of `elements` values after its dimensions: the encoding byte and the values.
    private static func readEncodedTensor(
        name: String, dimensions: [Int], elements: Int, from reader: inout ByteReader
    ) throws(CodecError) -> NamedTensor {
        let encoding = Int(try reader.readUInt8("\(name) encoding"))
        switch encoding {
        case 0:
            return NamedTensor(name: name, dimensions: dimensions, values: try readFloats(elements, "\(name) values", from: &reader))
        case 1:
            return NamedTensor(name: name, dimensions: dimensions, values: try readHalfFloats(elements, "\(name) values", from: &reader))
        case 2, 3:
            var codebook: [Float]?
            if encoding == 3 {
                let bits = Int(try reader.readUInt8("\(name) bits"))
                guard (1...8).contains(bits) else { throw .invalidField(name: "\(name) bits", value: bits, allowed: "1...8") }
                codebook = try readFloats(1 << bits, "\(name) codebook", from: &reader)
            }
            let count = Int(try reader.readUInt32("\(name) nonzero count"))
            guard count <= elements, count <= reader.remainingCount else {
                throw .invalidField(name: "\(name) nonzero count", value: count, allowed: "0...\(elements)")
            }
            var positions: [Int] = []
            positions.reserveCapacity(count)
            var previous = -1
            for _ in 0..<count {
                guard previous < elements - 1 else {
                    throw .invalidField(name: "\(name) nonzero count", value: count, allowed: "positions inside the \(elements) elements")
                }
                previous += 1 + (try reader.readVarint("\(name) skip", in: 0...(elements - previous - 2)))
                positions.append(previous)
            }
            var kept: [Float]
            if let codebook {
                kept = []
                kept.reserveCapacity(count)
                for index in try reader.readBytes(count, "\(name) indices") {
                    guard Int(index) < codebook.count else {
                        throw .invalidField(name: "\(name) index", value: Int(index), allowed: "0..<\(codebook.count)")
                    }
                    kept.append(codebook[Int(index)])
                }
            } else {
                kept = try readHalfFloats(count, "\(name) values", from: &reader)
            }
            var values = [Float](repeating: 0, count: elements)
            for (position, value) in zip(positions, kept) { values[position] = value }
            return NamedTensor(name: name, dimensions: dimensions, values: values, codebook: codebook)
        default:
            throw .invalidField(name: "\(name) encoding", value: encoding, allowed: "0...3")
        }
    }

    // MARK: - Test split (EPDT)

    /// The images and labels of an `EPDT` test split file: version 1 float32 images, version 2
    /// byte pixels (raw or zero runs) read as pixel / 255.
    public static func readTestSplit(path: String) throws(DigitsFileError) -> DigitsTestSplit {
        try parse(path: path, magic: "EPDT", versions: 1...2) { (reader: inout ByteReader, version) throws(CodecError) in
            let count = Int(try reader.readUInt32("count"))
            let height = Int(try reader.readUInt32("height"))
            let width = Int(try reader.readUInt32("width"))
            let channels = Int(try reader.readUInt32("channels"))
            let pixels = height * width * channels
            guard pixels > 0, count <= reader.remainingCount else {
                throw .invalidField(name: "image count and shape", value: count, allowed: "images of at least one pixel")
            }
            let images: [[Float]]
            if version == 1 {
                let all = try readFloats(count * pixels, "images", from: &reader)
                images = (0..<count).map { Array(all[$0 * pixels..<($0 + 1) * pixels]) }
            } else {
                images = try readBytePixels(count: count, pixels: pixels, from: &reader)
            }
            let labels = try reader.readBytes(count, "labels").map(Int.init)
            return DigitsTestSplit(
                imageShape: TensorShape(height: height, width: width, channels: channels), images: images, labels: labels)
        }
    }

    // MARK: - Logits (EPDL)

    /// The logits rows of an `EPDL` file, one row per test image.
    public static func readLogits(path: String) throws(DigitsFileError) -> [[Float]] {
        try parse(path: path, magic: "EPDL") { (reader: inout ByteReader, _) throws(CodecError) in
            let count = Int(try reader.readUInt32("count"))
            let classes = Int(try reader.readUInt32("classes"))
            let all = try readFloats(count * classes, "logits", from: &reader)
            return (0..<count).map { Array(all[$0 * classes..<($0 + 1) * classes]) }
        }
    }

    // MARK: - Helpers

    /// Version-2 images: the pixel encoding byte, then raw bytes or zero runs, each pixel / 255.
    private static func readBytePixels(count: Int, pixels: Int, from reader: inout ByteReader) throws(CodecError) -> [[Float]] {
        let encoding = Int(try reader.readUInt8("pixel encoding"))
        guard encoding == 0 || encoding == 1 else { throw .invalidField(name: "pixel encoding", value: encoding, allowed: "0 or 1") }
        var images: [[Float]] = []
        images.reserveCapacity(count)
        for _ in 0..<count {
            var image: [Float] = []
            image.reserveCapacity(pixels)
            if encoding == 0 {
                image = try reader.readBytes(pixels, "pixels").map { Float($0) / 255 }
            } else {
                while image.count < pixels {
                    let zeros = Int(try reader.readUInt8("zero run"))
                    let literals = Int(try reader.readUInt8("literal count"))
                    guard image.count + zeros + literals <= pixels else {
                        throw .invalidField(name: "zero-run group", value: zeros + literals, allowed: "at most \(pixels - image.count) (the image's remaining pixels)")
                    }
                    image += [Float](repeating: 0, count: zeros)
                    image += try reader.readBytes(literals, "pixels").map { Float($0) / 255 }
                }
            }
            images.append(image)
        }
        return images
    }

    /// The whole file at `path`.
    /// - Throws: `DigitsFileError` naming the file and the system's reason.
    public static func readFile(path: String) throws(DigitsFileError) -> [UInt8] {
        do {
            return try FileBytes.read(path)
        } catch {
            guard case .io(_, let reason) = error else { throw DigitsFileError(path: path, problem: error.description) }
            throw DigitsFileError(path: path, problem: reason)
        }
    }

    /// Reads the file, checks magic and a version in `versions`, runs `body` and requires it to consume every byte.
    private static func parse<T>(
        path: String, magic: String, versions: ClosedRange<UInt32> = 1...1,
        _ body: (inout ByteReader, UInt32) throws(CodecError) -> T
    ) throws(DigitsFileError) -> T {
        try parse(bytes: try readFile(path: path), path: path, magic: magic, versions: versions, body)
    }

    /// Checks the magic and a version in `versions` of the file `bytes` read from `path`, runs
    /// `body` and requires it to consume every byte.
    private static func parse<T>(
        bytes: [UInt8], path: String, magic: String, versions: ClosedRange<UInt32>,
        _ body: (inout ByteReader, UInt32) throws(CodecError) -> T
    ) throws(DigitsFileError) -> T {
        guard bytes.count >= 8, Array(bytes[0..<4]) == Array(magic.utf8) else {
            throw DigitsFileError(path: path, problem: "not an edgeprobe weights, test-split or logits file: magic is not \(magic)")
        }
        do {
            var reader = ByteReader(bytes, offset: 4)
            let version = try reader.readUInt32("version")
            guard versions.contains(version) else {
                throw DigitsFileError(
                    path: path, problem: "version \(version); this build reads \(versions.count == 1 ? "version \(versions.lowerBound)" : "versions \(versions.lowerBound)...\(versions.upperBound)")")
            }
            let result = try body(&reader, version)
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

    private static func readHalfFloats(_ count: Int, _ what: String, from reader: inout ByteReader) throws(CodecError) -> [Float] {
        guard count >= 0, count <= reader.remainingCount / 2 else { throw .truncated(what: what) }
        var values = [Float]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(Float(Float16(bitPattern: try reader.readUInt16(what)))) }
        return values
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
