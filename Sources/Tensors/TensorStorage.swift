/// The owned, 64-byte aligned, zero-initialized float buffer behind a `Tensor`, followed by
/// `slack` readable zeros so SIMD kernels may load a full vector starting at any element.
///
/// Large buffers start at a different cache-line offset within their page, one storage after
/// another, so an input and an output tensor do not sit at the same offset modulo 4 KiB (loads
/// from one then falsely wait on stores to the other: "4K aliasing").
///
/// Only `Tensor` writes through it, and only after checking it holds the sole reference, which is
/// what makes sharing it across threads safe.
import Synchronization

@usableFromInline
final class TensorStorage: @unchecked Sendable {
    /// Alignment of every tensor buffer: a cache line, and a full AVX-512 / two NEON vectors.
    static let alignment = 64
    /// Floats allocated past the last element: one 16-lane vector.
    static let slack = 16
    /// Buffers of at least this many floats (64 KiB) get a page offset.
    static let staggerThreshold = 16 * 1024
    /// Storages created so far, which picks the next buffer's page offset.
    private static let created = Atomic<Int>(0)

    @usableFromInline let pointer: UnsafeMutablePointer<Float>
    let count: Int
    /// The allocation `pointer` lies in (`pointer` may be a few cache lines into it).
    private let base: UnsafeMutableRawPointer

    init(count: Int) {
        self.count = count
        let capacity = count + Self.slack
        // 0, 1, ..., 15 cache lines (up to 1 KiB) for large buffers, 0 for small ones.
        let offsetBytes = count >= Self.staggerThreshold
            ? Self.created.add(1, ordering: .relaxed).oldValue % 16 * 3 * Self.alignment % 1024 : 0
        base = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * MemoryLayout<Float>.stride + 1024, alignment: Self.alignment)
        pointer = (base + offsetBytes).bindMemory(to: Float.self, capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    /// A new storage holding the same elements.
    @usableFromInline func copy() -> TensorStorage {
        let copy = TensorStorage(count: count)
        copy.pointer.update(from: pointer, count: count)
        return copy
    }

    deinit {
        base.deallocate()
    }
}
