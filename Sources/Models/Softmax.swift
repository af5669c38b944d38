import Glibc

/// Turning logits into probabilities and predictions.
public enum Softmax {
    /// Probabilities that sum to 1, computed stably (shifted by the largest logit).
    public static func probabilities(_ logits: [Float]) -> [Double] {
        guard let largest = logits.max() else { return [] }
        let exponentials = logits.map { exp(Double($0 - largest)) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    /// Index of the largest logit (the first one on ties).
    public static func top1(_ logits: [Float]) -> Int {
        var best = 0
        for index in logits.indices where logits[index] > logits[best] { best = index }
        return best
    }
}
