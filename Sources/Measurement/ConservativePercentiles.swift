/// The upper percentiles a conservative latency may be reported at: `latency --percentile`, a
/// latency-service request's `percentile` and the agent configuration's `latency_service:
/// percentile` all accept these and no others.
public enum ConservativePercentiles {
    /// 90, 95 and 99.
    public static let supported = [90, 95, 99]
}
