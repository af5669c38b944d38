/// An owned, 64-byte aligned, zero-initialized buffer an XNNPACK operator is set up on: its
/// address never changes, so operators are set up once and then only run.
final class XNNPACKBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    /// `count` elements plus XNNPACK's read slack (its micro-kernels may read up to 16 bytes past the end).
    init(count: Int, zero: Element) {
        self.count = count
        let capacity = count + 64 / MemoryLayout<Element>.stride
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Element>.stride, alignment: 64)
            .bindMemory(to: Element.self, capacity: capacity)
        pointer.initialize(repeating: zero, count: capacity)
    }

    /// The `count` elements, for writing an operator's input.
    var mutableElements: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// The `count` elements, for reading an operator's output.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: pointer, count: count) }

    deinit {
        pointer.deallocate()
    }
}
