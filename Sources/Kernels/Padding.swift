/// Zero padding, in pixels, added on each side of a convolution's input.
public struct Padding: Hashable, Sendable, CustomStringConvertible {
    /// Rows added above the input.
    public var top: Int
    /// Columns added left of the input.
    public var left: Int
    /// Rows added below the input.
    public var bottom: Int
    /// Columns added right of the input.
    public var right: Int

    /// Padding with each side given explicitly.
    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    /// The same padding on all four sides.
    public static func symmetric(_ pixels: Int) -> Padding {
        Padding(top: pixels, left: pixels, bottom: pixels, right: pixels)
    }

    /// No padding ("valid").
    public static let zero = Padding.symmetric(0)

    /// TensorFlow/ONNX `SAME_UPPER` padding: output size ceil(input / stride), any odd extra pixel
    /// going to the bottom/right.
    public static func same(
        inputHeight: Int, inputWidth: Int, kernelHeight: Int, kernelWidth: Int, strideY: Int, strideX: Int
    ) -> Padding {
        func split(_ input: Int, _ kernel: Int, _ stride: Int) -> (Int, Int) {
            guard stride > 0 else { return (0, 0) }
            let output = (input + stride - 1) / stride
            let total = Swift.max((output - 1) * stride + kernel - input, 0)
            return (total / 2, total - total / 2)
        }
        let (top, bottom) = split(inputHeight, kernelHeight, strideY)
        let (left, right) = split(inputWidth, kernelWidth, strideX)
        return Padding(top: top, left: left, bottom: bottom, right: right)
    }

    /// `t,l,b,r`, or a single number when symmetric.
    public var description: String {
        top == left && left == bottom && bottom == right ? "\(top)" : "\(top),\(left),\(bottom),\(right)"
    }
}
