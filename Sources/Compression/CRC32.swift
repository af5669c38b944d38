// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) for the model container's checksum.

/// Table-driven CRC-32 with the reflected polynomial 0xEDB88320, initial value and final XOR
/// 0xFFFFFFFF: the checksum of zlib, gzip and PNG ("123456789" gives 0xCBF43926).
public enum CRC32 {
    /// One table entry per byte value: the CRC of that byte alone, without pre/post inversion.
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        update(0, with: bytes)
    }

    /// Continues `crc` (a previous result, or 0 to start) over more `bytes`.
    public static func update(_ crc: UInt32, with bytes: some Sequence<UInt8>) -> UInt32 {
        var state = ~crc
        let table = Self.table
        for byte in bytes {
            state = table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
        }
        return ~state
    }
}
