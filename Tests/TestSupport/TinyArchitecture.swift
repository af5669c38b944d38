/// An architecture spec small enough to measure in milliseconds in a debug build (one inverted
/// residual block on a 16 x 16 input), for tests of the latency service and its command.
public enum TinyArchitecture {
    /// The spec's name.
    public static let name = "t"

    /// The spec, as a request body or file would hold it.
    public static let spec = """
        name: t
        resolution: 16
        stem: {cout: 8}
        blocks:
          - {type: inverted_residual, expand: 2, cout: 8}
        head: {classes: 4}
        """
}
