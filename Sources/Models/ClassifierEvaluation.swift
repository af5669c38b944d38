import Glibc
import Kernels
import Tensors

/// Scoring a classifier's logits: accuracy against labels, fidelity against a reference model.
public enum ClassifierEvaluation {
    /// The logits of `network` for each image (NHWC values of the network's input shape).
    public static func logits(of network: Network, images: [[Float]], pool: ThreadPool) -> [[Float]] {
        let shape = network.inputShape
        return images.map { image in
            network.forward(Tensor(height: shape.height, width: shape.width, channels: shape.channels, values: image),
                            pool: pool).values
        }
    }

    /// Share of rows whose top-1 class is the label, 0...1.
    public static func accuracy(logits: [[Float]], labels: [Int]) -> Double {
        precondition(logits.count == labels.count && !labels.isEmpty, "accuracy: one label per logits row")
        let correct = zip(logits, labels).reduce(0) { $0 + (Softmax.top1($1.0) == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }

    /// Share of rows where the candidate's top-1 class is the reference's, 0...1.
    public static func top1Agreement(reference: [[Float]], candidate: [[Float]]) -> Double {
        precondition(reference.count == candidate.count && !reference.isEmpty, "top1Agreement: equal, non-empty row counts")
        let same = zip(reference, candidate).reduce(0) { $0 + (Softmax.top1($1.0) == Softmax.top1($1.1) ? 1 : 0) }
        return Double(same) / Double(reference.count)
    }

    /// Mean over rows of KL(P‖Q) in nats, P the reference's softmax and Q the candidate's.
    public static func meanKLDivergence(reference: [[Float]], candidate: [[Float]]) -> Double {
        precondition(reference.count == candidate.count && !reference.isEmpty, "meanKLDivergence: equal, non-empty row counts")
        var total = 0.0
        for (referenceRow, candidateRow) in zip(reference, candidate) {
            let p = Softmax.probabilities(referenceRow)
            let q = Softmax.probabilities(candidateRow)
            for (pi, qi) in zip(p, q) where pi > 0 {
                total += pi * log(pi / max(qi, .leastNormalMagnitude))
            }
        }
        return total / Double(reference.count)
    }

    /// The largest absolute difference between two sets of logits.
    public static func maxAbsoluteError(_ left: [[Float]], _ right: [[Float]]) -> Float {
        zip(left, right).reduce(0) { worst, rows in
            zip(rows.0, rows.1).reduce(worst) { max($0, abs($1.0 - $1.1)) }
        }
    }
}
