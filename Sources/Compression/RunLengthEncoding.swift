// Run-length encoding for byte sequences with long runs (pruning masks, zero-heavy payloads).

/// Byte-oriented run-length coding: each run becomes its byte value followed by a varint of
/// (run length − 1). It pays off on long runs (masks, zero padding) and costs up to 2x on
/// run-free data, so callers keep whichever form is smaller.
public enum RunLengthEncoding {
    /// Encodes `bytes` as (value, varint(run − 1)) pairs, preceded by a varint of the total length.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeVarint(bytes.count)
        var index = 0
        while index < bytes.count {
            let value = bytes[index]
            var end = index + 1
            while end < bytes.count && bytes[end] == value { end += 1 }
            writer.write(value)
            writer.writeVarint(end - index - 1)
            index = end
        }
        return writer.bytes
    }

    /// Decodes the output of `encode`.
    /// - Throws: `CodecError` when the input is truncated or its runs disagree with its length.
    public static func decode(_ encoded: [UInt8]) throws(CodecError) -> [UInt8] {
        var reader = ByteReader(encoded)
        let totalCount = try reader.readVarint("run-length total", in: 0...Int(Int32.max))
        var bytes = [UInt8]()
        while bytes.count < totalCount {
            let value = try reader.readUInt8("run value")
            let remaining = totalCount - bytes.count
            let runLength = try reader.readVarint("run length", in: 0...(remaining - 1)) + 1
            bytes.append(contentsOf: repeatElement(value, count: runLength))
        }
        guard reader.isAtEnd else {
            throw .invalidField(name: "bytes after the last run", value: reader.remainingCount, allowed: "0")
        }
        return bytes
    }
}
