/// The owned, 64-byte aligned, zero-initialized float buffer behind a `Tensor`, followed by
/// `slack` readable zeros so SIMD kernels may load a full vector starting at any element.
///
/// Only `Tensor` writes through it, and only after checking it holds the sole reference, which is
/// what makes sharing it across threads safe.
final class TensorStorage: @unchecked Sendable {
    /// Alignment of every tensor buffer: a cache line, and a full AVX-512 / two NEON vectors.
    static let alignment = 64
    /// Floats allocated past the last element: one 16-lane vector.
    static let slack = 16

    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        let capacity = count + Self.slack
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * MemoryLayout<Float>.stride, alignment: Self.alignment)
        pointer = raw.bindMemory(to: Float.self, capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    /// A new storage holding the same elements.
    func copy() -> TensorStorage {
        let copy = TensorStorage(count: count)
        copy.pointer.update(from: pointer, count: count)
        return copy
    }

    deinit {
        pointer.deallocate()
    }
}
