import Tensors

/// A MobileNet-style network described by its hyper-parameters: input resolution, a stem
/// convolution, a list of blocks and a classifier head. `ArchitecturePlan` checks it and
/// derives every shape; `ArchitecturePlan.build(seed:)` turns it into a runnable `Network`.
public struct ArchitectureSpec: Sendable, Equatable {
    /// The network's name, for records.
    public var name: String
    /// The input image: height x width x channels.
    public var input: TensorShape
    /// The first, regular convolution.
    public var stem: Stem
    /// The blocks in order, each possibly repeated.
    public var blocks: [Block]
    /// The classifier after the last block.
    public var head: Head

    /// A spec from its parts.
    public init(name: String, input: TensorShape, stem: Stem, blocks: [Block], head: Head) {
        self.name = name
        self.input = input
        self.stem = stem
        self.blocks = blocks
        self.head = head
    }

    // MARK: - Parts

    /// The stem: a k x k convolution with ReLU6, "same" padding.
    public struct Stem: Sendable, Equatable {
        /// Output channels.
        public var outputChannels: Int
        /// Kernel size (square).
        public var kernel: Int
        /// Stride (both directions).
        public var stride: Int

        /// A stem convolution.
        public init(outputChannels: Int, kernel: Int, stride: Int) {
            self.outputChannels = outputChannels
            self.kernel = kernel
            self.stride = stride
        }
    }

    /// Which block a spec entry builds.
    public enum BlockKind: String, Sendable, CaseIterable {
        /// MobileNetV2: expand 1x1 (ReLU6), depthwise k x k (ReLU6), project 1x1 (linear), skip.
        case invertedResidual = "inverted_residual"
        /// MobileNetV1: depthwise k x k (ReLU6), pointwise 1x1 (ReLU6), no skip.
        case separable
    }

    /// Whether a block adds its input to its output.
    public enum SkipRule: String, Sendable, Equatable {
        /// Wherever the shapes allow it (stride 1, equal channels), as MobileNetV2 does.
        case auto
        /// On every repeat; a repeat whose shapes do not allow it is an error.
        case always
        /// Never.
        case never
    }

    /// One block entry, repeated `repeats` times; only the first repeat strides and changes channels.
    public struct Block: Sendable, Equatable {
        /// The block type.
        public var kind: BlockKind
        /// Depthwise kernel size (square).
        public var kernel: Int
        /// Expansion ratio of the inverted residual (1 for separable blocks).
        public var expand: Int
        /// Output channels.
        public var outputChannels: Int
        /// Stride of the first repeat.
        public var stride: Int
        /// How many times the block is stacked.
        public var repeats: Int
        /// Whether repeats add their input.
        public var skip: SkipRule

        /// A block entry.
        public init(
            kind: BlockKind, kernel: Int, expand: Int, outputChannels: Int, stride: Int,
            repeats: Int = 1, skip: SkipRule = .auto
        ) {
            self.kind = kind
            self.kernel = kernel
            self.expand = expand
            self.outputChannels = outputChannels
            self.stride = stride
            self.repeats = repeats
            self.skip = skip
        }
    }

    /// The classifier: an optional pointwise convolution (ReLU6), global average pool, fully connected.
    public struct Head: Sendable, Equatable {
        /// Channels of the 1x1 convolution before pooling; `nil` for none.
        public var pointwiseChannels: Int?
        /// Outputs of the fully connected layer.
        public var classes: Int

        /// A head.
        public init(pointwiseChannels: Int?, classes: Int) {
            self.pointwiseChannels = pointwiseChannels
            self.classes = classes
        }
    }
}
