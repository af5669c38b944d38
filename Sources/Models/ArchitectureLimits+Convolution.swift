import Kernels

extension ArchitectureLimits {
    /// Checks one size (channels, height, width, kernel, stride, padding, groups) against
    /// `ArchitecturePlan.largestDimension` before any shape arithmetic uses it, so no figure
    /// derived from it can overflow.
    /// - Throws: `ArchitectureError` for `field` (entry empty) naming the value and the bound.
    public static func checkSize(_ value: Int, field: String) throws(ArchitectureError) {
        guard value <= ArchitecturePlan.largestDimension else {
            throw ArchitectureError(entry: "", field: field,
                                    problem: "\(value) is beyond the largest supported size \(ArchitecturePlan.largestDimension)")
        }
    }

    /// Checks convolutions that run together (one layer) against these limits: output sizes
    /// within `ArchitecturePlan.largestDimension`, multiply-accumulates within `maxMacs`, and,
    /// when `checkMemory`, float32 input, weights, biases and output of each within
    /// `maxMemoryBytes`. Every product is overflow-checked, so any shape whose input sizes passed
    /// `checkSize` can be asked about.
    /// - Throws: `ArchitectureError` (entry empty) with field `cout`, `resolution`, `macs` or `memory`.
    public func check(_ shapes: [ConvolutionShape], checkMemory: Bool) throws(ArchitectureError) {
        var total = 0
        for shape in shapes {
            let output = shape.outputShape
            for (field, value) in [("cout", output.channels), ("resolution", output.height), ("resolution", output.width)] {
                try Self.checkSize(value, field: field)
            }
            guard let macs = Self.product([output.height, output.width, output.channels, shape.kernelHeight,
                                           shape.kernelWidth, shape.inputChannelsPerGroup]),
                  case (let sum, false) = total.addingReportingOverflow(macs), sum <= maxMacs else {
                throw ArchitectureError(entry: "", field: "macs", problem: "exceeds the limit of \(maxMacs) multiply-accumulates")
            }
            total = sum
            guard checkMemory else { continue }
            // Within the MAC limit the weights (at most the MACs) and every tensor below are small.
            let elements = shape.inputShape.elementCount + shape.parameterCount + output.elementCount
            let bytes = elements * MemoryLayout<Float>.stride
            if bytes > maxMemoryBytes {
                throw ArchitectureError(entry: "", field: "memory",
                                        problem: "needs about \(bytes) bytes, above the limit of \(maxMemoryBytes)")
            }
        }
    }

    /// The product of `factors`, or `nil` when it overflows.
    static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = next
        }
        return result
    }
}
