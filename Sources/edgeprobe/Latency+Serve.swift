import ArgumentParser
import CommandLineSupport

extension EdgeProbe.Latency {
    /// `edgeprobe latency serve`: the HTTP latency service on its own, with the defaults of the
    /// agent's `latency_service:` entry.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve latency measurements over HTTP, for a neural architecture search controller.",
            discussion: """
                POST /v1/latency with an architecture spec as the body (YAML or JSON; query: \
                accuracy, target_ms, constraint, percentile, min_time_s, seed) measures it as \
                `edgeprobe latency` does and returns the `latency` record; GET /v1/health says \
                whether the board is busy. One measurement at a time, a bounded queue (429), \
                body and size limits (413/422), a timeout (504); see Docs/nas.md.

                Loopback only unless --listen names another address, which needs --token-file. \
                With --board-lock, every measurement also holds that file's lock (flock), so it \
                never overlaps what another process measures under the same lock (the agent's \
                scheduled suites); meanwhile requests wait and GET /v1/health says busy_with \
                "schedule".

                The defaults are those of the agent's latency_service entry (Docs/agent.md), so \
                the service measures alike however it was started. SIGINT/SIGTERM stop it.

                Examples:
                  edgeprobe latency serve
                  edgeprobe latency serve --board raspberry-pi-4
                  edgeprobe latency serve --listen "[::]:8321" --token-file latency.token
                """)

        @OptionGroup var server: LatencyServerOptions

        @OptionGroup var measurement: MeasurementOptions<LatencyServiceMeasurementDefaults>

        @OptionGroup var network: NetworkOptions<LatencyServiceMeasurementDefaults>

        func validate() throws {
            try server.validate(measurement: measurement, network: network)
        }

        func run() async throws {
            try await server.serve(measurement: measurement, network: network)
        }
    }
}
