import Glibc
import SystemErrors

extension AgentConfiguration {
    /// The Prometheus view of the board (`metrics`; off when the key is absent): an HTTP
    /// endpoint serving `GET /metrics`, a file for node_exporter's textfile collector, or both.
    public struct MetricsEntry: Sendable, Equatable {
        /// Where `GET /metrics` is served, `nil` for none.
        public var listen: ListenAddress?
        /// File (mode 0600) holding the bearer token scrapers must send; required unless `listen` is loopback.
        public var tokenFile: String?
        /// The `.prom` file rewritten after every sample, `nil` for none.
        public var textfile: String?

        /// An entry as given.
        public init(listen: ListenAddress?, tokenFile: String?, textfile: String?) {
            self.listen = listen
            self.tokenFile = tokenFile
            self.textfile = textfile
        }
    }

    /// The top-level key of the metrics settings.
    public static let metricsKey = "metrics"

    // MARK: - Reading

    /// Reads `metrics`: addresses, absolute paths and the token rule; the files themselves are
    /// checked by `checkMetricsFiles()`.
    static func readMetrics(_ document: inout ConfigMapping) throws(ConfigError) -> MetricsEntry? {
        guard var entry = try document.mapping(metricsKey) else { return nil }
        let listen = try entry.listenAddress("listen", expected: "host:port, e.g. 127.0.0.1:9464 or [::1]:9464")
        if let problem = listen?.hostProblem { throw entry.error("listen", problem) }
        let tokenFile = try entry.absolutePath("token_file")
        let textfile = try entry.absolutePath("textfile")
        if let textfile {
            guard textfile.hasSuffix(".prom"), textfile.split(separator: "/").last.map({ $0.count > 5 }) == true else {
                throw entry.error("textfile", "must name a file ending in .prom (node_exporter's textfile collector reads only those), got '\(textfile)'")
            }
        }
        try entry.rejectUnknownKeys()
        guard listen != nil || textfile != nil else {
            throw entry.error("listen", "neither listen nor textfile is set: the metrics would go nowhere")
        }
        if let listen, let problem = listen.tokenProblem(hasTokenFile: tokenFile != nil) {
            throw entry.error("token_file", problem)
        }
        if tokenFile != nil, listen == nil {
            throw entry.error("token_file", "is set but listen is not: only the HTTP endpoint takes a token")
        }
        return MetricsEntry(listen: listen, tokenFile: tokenFile, textfile: textfile)
    }

    // MARK: - Checks that read files

    /// Reads the metrics token file and checks the textfile's directory, before anything runs
    /// (and by `--check` before a reload): returns the token, `nil` without one.
    /// - Throws: `ConfigError` naming `metrics.token_file` or `metrics.textfile`.
    public func checkMetricsFiles() throws(ConfigError) -> [UInt8]? {
        guard let metrics else { return nil }
        if let textfile = metrics.textfile {
            let directory = String(textfile[..<textfile.lastIndex(of: "/")!])
            let shown = directory.isEmpty ? "/" : directory
            var status = stat()
            guard stat(shown, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw ConfigError(file: path, key: "\(Self.metricsKey).textfile", problem: "directory \(shown) does not exist")
            }
            guard access(shown, W_OK) == 0 else {
                throw ConfigError(
                    file: path, key: "\(Self.metricsKey).textfile",
                    problem: "directory \(shown) is not writable: \(SystemError.current.description)")
            }
        }
        guard let tokenFile = metrics.tokenFile else { return nil }
        do {
            return try TokenFile.read(tokenFile)
        } catch {
            throw ConfigError(file: path, key: "\(Self.metricsKey).token_file", problem: error.description)
        }
    }
}
