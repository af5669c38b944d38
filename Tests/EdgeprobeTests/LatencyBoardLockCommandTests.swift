import Foundation
import Glibc
import TestSupport
import Testing

/// `edgeprobe latency serve --board-lock PATH` as a child process: while this test holds
/// PATH's lock (as the agent does while it runs a suite), requests wait and time out with 504;
/// once released, they are measured. A path that cannot be opened is refused up front (asked
/// with the former spelling `latency --serve`, which the executable rewrites to `latency serve`).
@Suite(.serialized, .timeLimit(.minutes(2))) struct LatencyBoardLockCommandTests {
    /// Sends a request; status and the JSON object of the body.
    private static func send(_ method: String, _ port: Int, _ path: String, body: String? = nil) async throws -> (Int, [String: Any]) {
        let answer = try await HTTP.send(method, port: port, path, body: body.map { Data($0.utf8) })
        return (answer.status, try answer.json())
    }

    @Test func requestsWaitForTheBoardLockAndTimeOutUntilItIsReleased() async throws {
        let path = "/tmp/edgeprobe-latency-board-lock-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        // The lock the agent would hold while it runs a suite.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)

        let service = try EdgeprobeBinary.start([
            "latency", "serve", "--listen", "127.0.0.1:0", "--board-lock", path,
            // The first request waits out this timeout; the second measures a tiny network well within it.
            "--request-timeout", "5s", "--warmup", "1", "--min-iterations", "2", "--min-time", "10ms",
        ])
        let port = try #require(service.servingPort(), "no `serving on` line: \(service.stderr)")
        #expect(try await Self.send("GET", port, "/v1/health").1["busy_with"] as? String == "schedule")

        let (waited, body) = try await Self.send("POST", port, "/v1/latency", body: TinyArchitecture.spec)
        #expect(waited == 504, "\(body)")
        #expect((body["error"] as? [String: Any])?["field"] as? String == "timeout")

        #expect(flock(descriptor, LOCK_UN) == 0)
        let (measured, record) = try await Self.send("POST", port, "/v1/latency", body: TinyArchitecture.spec)
        #expect(measured == 200, "\(record)")
        #expect(record["type"] as? String == "latency" && record["name"] as? String == "t")
        #expect((record["latency_us"] as? [String: Any])?["n"] as? Int ?? 0 >= 2)

        // While the service measures nothing, it does not hold the lock.
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        service.send(SIGTERM)
        #expect(service.waitForExit() != nil)
    }

    @Test func aBoardLockThatCannotBeOpenedIsRefused() throws {
        let result = try EdgeprobeBinary.run([
            "latency", "--serve", "--listen", "127.0.0.1:0",
            "--board-lock", "/nonexistent-edgeprobe-dir/board.lock",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--board-lock"))
        #expect(result.stderr.contains("/nonexistent-edgeprobe-dir/board.lock"))
        #expect(result.stderr.contains("No such file or directory"))
    }
}
