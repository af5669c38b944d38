// MARK: - Tensor

/// A batch-1 float32 tensor in NHWC layout (height, width, channels), stored in one 64-byte aligned
/// contiguous buffer; element (y, x, c) lives at index `(y * width + x) * channels + c`.
/// The buffer is followed by 16 readable floats of slack, so SIMD kernels may load a whole vector
/// starting at any element (they must not store past `count`).
///
/// Value semantics: copies share storage until one of them is written through
/// `withUnsafeMutableBufferPointer`, which copies first when the storage is shared.
public struct Tensor: Sendable {
    /// The tensor's dimensions.
    public let shape: TensorShape
    @usableFromInline var storage: TensorStorage

    /// Height (rows) of the tensor.
    public var height: Int { shape.height }
    /// Width (columns) of the tensor.
    public var width: Int { shape.width }
    /// Channels per pixel, the innermost (contiguous) dimension.
    public var channels: Int { shape.channels }
    /// Number of elements, height x width x channels.
    @inlinable public var count: Int { shape.elementCount }

    /// A zero-filled tensor of the given size.
    public init(height: Int, width: Int, channels: Int) {
        self.init(shape: TensorShape(height: height, width: width, channels: channels))
    }

    /// A zero-filled tensor of the given shape.
    public init(shape: TensorShape) {
        precondition(shape.height >= 0 && shape.width >= 0 && shape.channels >= 0,
                     "Tensor: dimensions must not be negative, got \(shape)")
        self.shape = shape
        self.storage = TensorStorage(count: shape.elementCount)
    }

    /// A tensor holding `values` in NHWC order; `values.count` must equal height x width x channels.
    public init(height: Int, width: Int, channels: Int, values: [Float]) {
        self.init(height: height, width: width, channels: channels)
        precondition(values.count == count,
                     "Tensor: values.count \(values.count) != height x width x channels \(count)")
        storage.pointer.update(from: values, count: values.count)
    }

    /// A tensor of reproducible pseudo-random values uniform in [-1, 1) drawn from `seed`.
    public static func random(height: Int, width: Int, channels: Int, seed: UInt64) -> Tensor {
        let tensor = Tensor(height: height, width: width, channels: channels)
        var generator = SplitMix64(seed: seed)
        let pointer = tensor.storage.pointer
        for index in 0..<tensor.count { pointer[index] = generator.nextUnitFloat() }
        return tensor
    }

    /// The elements in NHWC order, as an array (copies).
    public var values: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The element at row `y`, column `x`, channel `c`.
    public subscript(y: Int, x: Int, c: Int) -> Float {
        precondition(y >= 0 && y < height && x >= 0 && x < width && c >= 0 && c < channels,
                     "Tensor: index (\(y), \(x), \(c)) out of bounds for \(shape)")
        return withUnsafeBufferPointer { $0[(y * width + x) * channels + c] }
    }

    // MARK: - Raw access

    /// Calls `body` with the elements in NHWC order; the pointer is 64-byte aligned and valid only inside `body`.
    /// Inlinable, as the mutable variant: a layer of ~1 µs called on tensors from another module
    /// otherwise pays a few percent for unspecialized generic calls and their closure contexts.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.pointer, count: count))
        }
    }

    /// Calls `body` with writable elements in NHWC order, copying shared storage first (copy-on-write).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        }
        return try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
        }
    }
}

// MARK: - Equatable

extension Tensor: Equatable {
    /// Two tensors are equal when their shapes and every element are equal.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        return lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in left.elementsEqual(right) }
        }
    }
}
