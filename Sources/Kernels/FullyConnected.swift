import Compression
import Tensors

/// A fully connected layer (batch 1): `outputs[o] = activation(bias[o] + Σ_i W[o][i] · input[i])`,
/// the input read flat in NHWC order. Its geometry is a `ConvolutionShape` whose kernel covers the
/// whole input (`isFullyConnected`), so `W` is laid out as the convolution's [out][kh][kw][in].
///
/// The weights are held in one of four forms, each with its own row kernel (one output row at a
/// time, rows spread over the pool): dense float32 (a SIMD dot product: GEMV), CSR of the nonzero
/// weights (pruned layers: the work and the weights read scale with the nonzeros), one byte per
/// weight indexing a k-means codebook (shared weights looked up on the fly, never expanded), or
/// CSR whose kept weights are codebook bytes (pruned and shared: Deep Compression's form).
public final class FullyConnected: ConvolutionShapedKernel {
    /// How the weight matrix is stored.
    public enum Storage: Sendable {
        /// Row-major float32, `outputs × inputs`.
        case dense([Float])
        /// The nonzero weights per row: `values[rowStarts[o]..<rowStarts[o + 1]]` at `columns`.
        case sparse(rowStarts: [Int32], columns: [Int32], values: [Float])
        /// One codebook index per weight, row-major, and the codebook (at most 256 values).
        case shared(codebook: [Float], indices: [UInt8])
        /// CSR of the kept weights, each a codebook index: weight = `codebook[indices[entry]]`.
        case sparseShared(rowStarts: [Int32], columns: [Int32], indices: [UInt8], codebook: [Float])
    }

    /// The layer's geometry (output 1x1).
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// The weights in the form the kernel reads.
    public let storage: Storage
    private let bias: [Float]

    /// Dense float32 weights laid out [out][kh][kw][in] (the row-major `outputs × inputs` matrix).
    /// - Throws: `ConvolutionError` when the shape is not fully connected or the counts are wrong.
    public convenience init(shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation)
        throws(ConvolutionError) {
        try self.init(shape: shape, storage: .dense(weights), bias: bias, activation: activation)
    }

    /// Pruned weights kept in CSR form: the zeros of `weights` (laid out as for the dense layer) are dropped.
    public static func sparse(shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation)
        throws(ConvolutionError) -> FullyConnected {
        let (rowStarts, columns, values) = try compressedRows(shape: shape, weights: weights)
        return try FullyConnected(shape: shape, storage: .sparse(rowStarts: rowStarts, columns: columns, values: values),
                                  bias: bias, activation: activation)
    }

    /// Pruned weights already shared (at most 256 distinct nonzero values, as trained quantization
    /// leaves them) kept as CSR of codebook bytes; nil when there are more distinct values.
    public static func sparseShared(shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation)
        throws(ConvolutionError) -> FullyConnected? {
        let (rowStarts, columns, values) = try compressedRows(shape: shape, weights: weights)
        guard let shared = SharedWeights.exact(values, maximumEntries: 256) else { return nil }
        return try FullyConnected(
            shape: shape, storage: .sparseShared(rowStarts: rowStarts, columns: columns, indices: shared.indices,
                                                 codebook: shared.codebook.isEmpty ? [0] : shared.codebook),
            bias: bias, activation: activation)
    }

    /// The CSR rows of the nonzero `weights`.
    private static func compressedRows(shape: ConvolutionShape, weights: [Float]) throws(ConvolutionError)
        -> (rowStarts: [Int32], columns: [Int32], values: [Float]) {
        try shape.checkWeightCount(weights.count)
        let matrix = CSRMatrix(dense: weights, rows: shape.outputChannels, columns: shape.inputShape.elementCount)
        return (matrix.rowStarts, matrix.columnIndices, matrix.values)
    }

    /// Weights in any `storage`.
    /// - Throws: `ConvolutionError` naming the field when the shape is not fully connected (output
    ///   1x1, no padding, groups 1) or a count, a column or a codebook index does not fit.
    public init(shape: ConvolutionShape, storage: Storage, bias: [Float]?, activation: Activation) throws(ConvolutionError) {
        try shape.validate()
        guard shape.isFullyConnected else {
            throw .invalidShape(field: "kernel", problem: "a fully connected layer's kernel covers its whole unpadded input (groups 1); got \(shape)")
        }
        switch storage {
        case .dense(let weights):
            try shape.checkWeightCount(weights.count)
        case .sparse(let rowStarts, let columns, let values):
            try Self.validateRows(rowStarts, columns, entries: values.count, shape: shape)
        case .shared(let codebook, let indices):
            try shape.checkWeightCount(indices.count, field: "indices")
            try Self.validateCodebook(codebook, indices)
        case .sparseShared(let rowStarts, let columns, let indices, let codebook):
            try Self.validateRows(rowStarts, columns, entries: indices.count, shape: shape)
            try Self.validateCodebook(codebook, indices)
        }
        try shape.checkBias(bias)
        self.shape = shape
        self.activation = activation
        self.storage = storage
        self.bias = bias ?? [Float](repeating: 0, count: shape.outputChannels)
    }

    private static func validateRows(_ rowStarts: [Int32], _ columns: [Int32], entries: Int, shape: ConvolutionShape) throws(ConvolutionError) {
        guard rowStarts.count == shape.outputChannels + 1, rowStarts.first == 0,
              zip(rowStarts, rowStarts.dropFirst()).allSatisfy({ $0 <= $1 }),
              Int(rowStarts.last!) == entries, columns.count == entries else {
            throw .invalidShape(field: "rowStarts", problem: "is not a CSR row index of \(shape.outputChannels) rows over \(entries) entries")
        }
        let inputs = shape.inputShape.elementCount
        guard columns.allSatisfy({ $0 >= 0 && Int($0) < inputs }) else {
            throw .invalidShape(field: "columns", problem: "a column is outside 0..<\(inputs)")
        }
    }

    private static func validateCodebook(_ codebook: [Float], _ indices: [UInt8]) throws(ConvolutionError) {
        let largest = Int(indices.max() ?? 0)
        guard (1...256).contains(codebook.count), largest < codebook.count else {
            throw .invalidShape(field: "codebook", problem: "has \(codebook.count) entries; needs 1...256 and more than the largest index \(largest)")
        }
    }

    /// Weights the kernel multiplies: all of them, or the nonzeros for CSR.
    public var storedWeightCount: Int {
        switch storage {
        case .dense(let weights): weights.count
        case .sparse(_, _, let values): values.count
        case .shared(_, let indices): indices.count
        case .sparseShared(_, let columns, _, _): columns.count
        }
    }

    /// Runs the layer row by row over `pool`'s threads, with the row kernel of its weight form.
    public func forward(input source: UnsafePointer<Float>, output target: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let inputs = shape.inputShape.elementCount
        let rows = shape.outputChannels
        let split = WorkSplit(items: rows, threads: pool.threadCount, granularity: 8,
                              macsPerItem: max(1, storedWeightCount / max(rows, 1)))
        pool.parallelFor(split.count) { chunk, _ in
            let range = split.range(chunk)
            switch storage {
            case .dense(let weights):
                weights.withUnsafeBufferPointer { weights in
                    for row in range {
                        target[row] = activation.apply(
                            bias[row] + Self.dot(weights.baseAddress! + row * inputs, source, count: inputs))
                    }
                }
            case .sparse(let rowStarts, let columns, let values):
                values.withUnsafeBufferPointer { values in
                    Self.sparseRows(range, rowStarts: rowStarts, columns: columns, weights: PlainWeights(values: values),
                                    input: source, bias: bias, activation: activation, into: target)
                }
            case .sparseShared(let rowStarts, let columns, let indices, let codebook):
                indices.withUnsafeBufferPointer { indices in
                    codebook.withUnsafeBufferPointer { codebook in
                        Self.sparseRows(range, rowStarts: rowStarts, columns: columns,
                                        weights: CodebookWeights(indices: indices, codebook: codebook),
                                        input: source, bias: bias, activation: activation, into: target)
                    }
                }
            case .shared(let codebook, let indices):
                Self.sharedRows(range, inputs: inputs, codebook: codebook, indices: indices, input: source,
                                bias: bias, activation: activation, into: target)
            }
        }
    }

    // MARK: - Row kernels

    /// Σ a[i]·b[i] with four SIMD8 accumulators, then the tail.
    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        let stride = MemoryLayout<SIMD8<Float>>.stride
        var (sum0, sum1, sum2, sum3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var index = 0
        while index + 32 <= count {
            let offset = index * MemoryLayout<Float>.stride
            sum0 = sum0.addingProduct(rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
                                      rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            sum1 = sum1.addingProduct(rawA.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self),
                                      rawB.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self))
            sum2 = sum2.addingProduct(rawA.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD8<Float>.self),
                                      rawB.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD8<Float>.self))
            sum3 = sum3.addingProduct(rawA.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD8<Float>.self),
                                      rawB.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD8<Float>.self))
            index += 32
        }
        while index + 8 <= count {
            let offset = index * MemoryLayout<Float>.stride
            sum0 = sum0.addingProduct(rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
                                      rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            index += 8
        }
        var total = ((sum0 + sum1) + (sum2 + sum3)).sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// CSR rows: each kept weight times the input it points at (four independent sums).
    private static func sparseRows<Weights: CSRWeights>(
        _ range: Range<Int>, rowStarts: [Int32], columns: [Int32], weights: Weights, input: UnsafePointer<Float>,
        bias: [Float], activation: Activation, into output: UnsafeMutablePointer<Float>
    ) {
        rowStarts.withUnsafeBufferPointer { starts in
            columns.withUnsafeBufferPointer { columns in
                for row in range {
                    var entry = Int(starts[row])
                    let end = Int(starts[row + 1])
                    var (sum0, sum1, sum2, sum3): (Float, Float, Float, Float) = (bias[row], 0, 0, 0)
                    while entry + 4 <= end {
                        sum0 += weights[entry] * input[Int(columns[entry])]
                        sum1 += weights[entry + 1] * input[Int(columns[entry + 1])]
                        sum2 += weights[entry + 2] * input[Int(columns[entry + 2])]
                        sum3 += weights[entry + 3] * input[Int(columns[entry + 3])]
                        entry += 4
                    }
                    while entry < end {
                        sum0 += weights[entry] * input[Int(columns[entry])]
                        entry += 1
                    }
                    output[row] = activation.apply((sum0 + sum1) + (sum2 + sum3))
                }
            }
        }
    }

    /// Shared-weight rows: each weight looked up in the codebook by its byte index.
    private static func sharedRows(
        _ range: Range<Int>, inputs: Int, codebook: [Float], indices: [UInt8], input: UnsafePointer<Float>,
        bias: [Float], activation: Activation, into output: UnsafeMutablePointer<Float>
    ) {
        codebook.withUnsafeBufferPointer { codebook in
            indices.withUnsafeBufferPointer { indices in
                for row in range {
                    let rowIndices = indices.baseAddress! + row * inputs
                    var (sum0, sum1, sum2, sum3): (Float, Float, Float, Float) = (bias[row], 0, 0, 0)
                    var column = 0
                    while column + 4 <= inputs {
                        sum0 += codebook[Int(rowIndices[column])] * input[column]
                        sum1 += codebook[Int(rowIndices[column + 1])] * input[column + 1]
                        sum2 += codebook[Int(rowIndices[column + 2])] * input[column + 2]
                        sum3 += codebook[Int(rowIndices[column + 3])] * input[column + 3]
                        column += 4
                    }
                    while column < inputs {
                        sum0 += codebook[Int(rowIndices[column])] * input[column]
                        column += 1
                    }
                    output[row] = activation.apply((sum0 + sum1) + (sum2 + sum3))
                }
            }
        }
    }
}

/// The kept weights of CSR rows, by entry: float32 values or codebook bytes.
private protocol CSRWeights {
    subscript(entry: Int) -> Float { get }
}

/// Kept weights stored as float32.
private struct PlainWeights: CSRWeights {
    let values: UnsafeBufferPointer<Float>
    @inline(__always) subscript(entry: Int) -> Float { values[entry] }
}

/// Kept weights stored as codebook indices.
private struct CodebookWeights: CSRWeights {
    let indices: UnsafeBufferPointer<UInt8>
    let codebook: UnsafeBufferPointer<Float>
    @inline(__always) subscript(entry: Int) -> Float { codebook[Int(indices[entry])] }
}

extension ConvolutionShape {
    /// True when the kernel covers the whole unpadded input with one group: one output pixel, every
    /// output channel reading every input value (a fully connected layer over the flattened input).
    public var isFullyConnected: Bool {
        kernelHeight == inputHeight && kernelWidth == inputWidth && padding == .zero && groups == 1
    }
}
