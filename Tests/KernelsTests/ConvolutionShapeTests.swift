import Kernels
import Testing

@Suite("ConvolutionShape figures and validation")
struct ConvolutionShapeTests {
    static let valid = ConvolutionShape(inputChannels: 64, inputHeight: 56, inputWidth: 56, outputChannels: 64,
                                        kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1))

    @Test("output size, MACs, parameters and bytes of the 3x3 64->64 56x56 layer")
    func figures() throws {
        let shape = Self.valid
        try shape.validate()
        #expect(shape.outputHeight == 56 && shape.outputWidth == 56)
        #expect(shape.macs == 56 * 56 * 64 * 9 * 64)
        #expect(shape.flops == 2 * shape.macs)
        #expect(shape.parameterCount == 64 * 9 * 64 + 64)
        #expect(shape.bytesMoved == (56 * 56 * 64 * 2 + 64 * 9 * 64 + 64) * 4)
    }

    @Test("the course example: 3x3, 3->16, 10x10 output has 43 200 MACs; separable 7 500")
    func courseExample() {
        let regular = ConvolutionShape(inputChannels: 3, inputHeight: 10, inputWidth: 10, outputChannels: 16,
                                       kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1))
        let separable = DepthwiseSeparableShape(inputChannels: 3, inputHeight: 10, inputWidth: 10,
                                                outputChannels: 16, kernelSize: 3, stride: 1, padding: .symmetric(1))
        #expect(regular.macs == 43_200)
        #expect(separable.macs == 7_500)
    }

    @Test("stride 2 with SAME padding (the MobileNet stem)")
    func stemSame() throws {
        let padding = Padding.same(inputHeight: 224, inputWidth: 224, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2)
        #expect(padding == Padding(top: 0, left: 0, bottom: 1, right: 1))
        let stem = ConvolutionShape(inputChannels: 3, inputHeight: 224, inputWidth: 224, outputChannels: 32,
                                    kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2, padding: padding)
        try stem.validate()
        #expect(stem.outputHeight == 112 && stem.outputWidth == 112)
    }

    static let invalid: [(ConvolutionShape, String, String)] = {
        func with(_ change: (inout ConvolutionShape) -> Void) -> ConvolutionShape {
            var shape = valid
            change(&shape)
            return shape
        }
        return [
            (with { $0.inputChannels = 0 }, "inputChannels", "must be positive"),
            (with { $0.inputHeight = -1 }, "inputHeight", "must be positive"),
            (with { $0.inputWidth = 0 }, "inputWidth", "must be positive"),
            (with { $0.outputChannels = 0 }, "outputChannels", "must be positive"),
            (with { $0.kernelHeight = 0 }, "kernelHeight", "must be positive"),
            (with { $0.kernelWidth = -3 }, "kernelWidth", "must be positive"),
            (with { $0.strideY = 0 }, "strideY", "must be positive"),
            (with { $0.strideX = 0 }, "strideX", "must be positive"),
            (with { $0.groups = 0 }, "groups", "must be positive"),
            (with { $0.padding.left = -1 }, "padding.left", "must not be negative"),
            (with { $0.groups = 5 }, "groups", "does not divide the 64 input channels"),
            (with { $0.outputChannels = 48; $0.groups = 32 }, "groups", "does not divide the 48 output channels"),
            (with { $0.kernelHeight = 59 }, "kernelHeight", "larger than the padded input height 58"),
            (with { $0.kernelWidth = 60; $0.padding = .zero }, "kernelWidth", "larger than the padded input width 56"),
        ]
    }()

    @Test("invalid shapes name the field and the problem", arguments: 0..<invalid.count)
    func invalidShape(_ index: Int) {
        let (shape, field, problem) = Self.invalid[index]
        #expect {
            try shape.validate()
        } throws: { error in
            guard let error = error as? ConvolutionError, case .invalidShape(let actualField, let actualProblem) = error
            else { return false }
            return actualField == field && actualProblem.contains(problem)
        }
        #expect(throws: ConvolutionError.self) {
            try Convolution(shape: shape, weights: [], bias: nil, activation: .none)
        }
    }

    @Test("weights and bias of the wrong length are rejected with the field name")
    func wrongCounts() {
        let shape = ConvolutionShape(inputChannels: 2, inputHeight: 4, inputWidth: 4, outputChannels: 3,
                                     kernelHeight: 3, kernelWidth: 3)
        #expect(throws: ConvolutionError.wrongCount(field: "weights", expected: 54, actual: 53)) {
            try Convolution(shape: shape, weights: Array(repeating: 0, count: 53), bias: nil, activation: .none)
        }
        #expect(throws: ConvolutionError.wrongCount(field: "bias", expected: 3, actual: 2)) {
            try Convolution(shape: shape, weights: Array(repeating: 0, count: 54), bias: [0, 0], activation: .none)
        }
    }
}
