/// The dimensions of a batch-1 NHWC tensor.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    /// Rows.
    public var height: Int
    /// Columns.
    public var width: Int
    /// Channels per pixel (innermost, contiguous).
    public var channels: Int

    /// A shape of `height` x `width` pixels with `channels` channels each.
    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// Number of elements, height x width x channels.
    @inlinable public var elementCount: Int { height * width * channels }

    /// Size in bytes of a float32 tensor of this shape.
    public var byteCount: Int { elementCount * MemoryLayout<Float>.stride }

    /// `HxWxC`, e.g. `56x56x64`.
    public var description: String { "\(height)x\(width)x\(channels)" }
}
