import Testing
import Tensors

@Suite("Tensor storage, layout and value semantics")
struct TensorTests {
    @Test("NHWC layout: element (y, x, c) at (y * width + x) * channels + c")
    func layout() {
        let tensor = Tensor(height: 2, width: 3, channels: 4, values: (0..<24).map(Float.init))
        #expect(tensor[1, 2, 3] == 23)
        #expect(tensor[0, 1, 2] == 6)
        #expect(tensor.shape == TensorShape(height: 2, width: 3, channels: 4))
        #expect(tensor.shape.byteCount == 96)
    }

    @Test("zero-initialized and 64-byte aligned")
    func zeroedAndAligned() {
        let tensor = Tensor(height: 5, width: 7, channels: 3)
        #expect(tensor.values.allSatisfy { $0 == 0 })
        tensor.withUnsafeBufferPointer { buffer in
            #expect(Int(bitPattern: buffer.baseAddress!) % 64 == 0)
        }
    }

    @Test("writes through a copy do not change the original (copy on write)")
    func copyOnWrite() {
        let original = Tensor.random(height: 3, width: 3, channels: 2, seed: 1)
        var copy = original
        copy.withUnsafeMutableBufferPointer { $0[0] = 42 }
        #expect(copy[0, 0, 0] == 42)
        #expect(original[0, 0, 0] != 42)
        #expect(original != copy)
    }

    @Test("random tensors are reproducible from the seed and lie in [-1, 1)")
    func random() {
        let a = Tensor.random(height: 4, width: 4, channels: 8, seed: 7)
        let b = Tensor.random(height: 4, width: 4, channels: 8, seed: 7)
        let c = Tensor.random(height: 4, width: 4, channels: 8, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.values.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(Set(a.values).count > 100)
    }
}
