import Kernels
import Tensors

/// One step of a network: reads a tensor of `inputShape`, writes one of `outputShape`.
///
/// Layers are built once (weights packed, scratch allocated) and then run many times; a layer is
/// run by one thread at a time, spreading its own work over the pool it is given.
public protocol NetworkLayer: AnyObject {
    /// A name for records and per-layer timings, e.g. `block3.depthwise`.
    var name: String { get }
    /// The input this layer expects.
    var inputShape: TensorShape { get }
    /// The output this layer produces.
    var outputShape: TensorShape { get }
    /// Multiply-accumulates of one forward pass.
    var macs: Int { get }
    /// Weights and biases.
    var parameterCount: Int { get }
    /// Runs the layer, writing `output` (which has `outputShape`).
    func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool)
}
