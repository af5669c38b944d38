import Dispatch
import FoundationEssentials
import Glibc
import HTTPServer
import Measurement
import Models
import NAS
import Profiles
import Reports
import Suites
import Synchronization
import Telemetry

/// The latency service's behaviour, independent of the HTTP server that carries it: routes,
/// authentication, limits, the measurement queue and the JSON answers.
public final class LatencyServiceHandler: Sendable {
    /// What the HTTP layer passes in: the request as the server read it (the body at most
    /// `maxBodyBytes + 1` bytes).
    public typealias Request = HTTPServerRequest

    /// What the HTTP layer sends back.
    public struct Response: Sendable, Equatable {
        /// HTTP status code.
        public var status: Int
        /// Extra headers (Content-Type is always `application/json`).
        public var headers: [String: String]
        /// A JSON body.
        public var body: [UInt8]
    }

    /// Runs one measurement; the default builds the plan and times it with `LatencyMeasurement`.
    public typealias Measurer = @Sendable (ArchitecturePlan, LatencyMeasurement, StopFlag) throws -> LatencyRecord

    /// The configuration in force.
    public let configuration: LatencyServiceConfiguration
    private let token: BearerToken?
    private let gate: MeasurementGate
    private let measurer: Measurer
    private let context = RunContext.current()
    private let sequence = Mutex<UInt64>(0)
    private let worker = DispatchQueue(label: "edgeprobe.latency-service.measurement")
    /// Raised by `stopMeasuring()`: the running measurement stops, new and waiting requests get 503.
    private let stopping = StopFlag()
    /// The stop flag of the measurement running now, if any.
    private let running = Mutex<StopFlag?>(nil)
    /// Requests waiting for the board, cancelled by `stopMeasuring()`.
    private let waiting = Mutex<(entries: [UInt64: Task<MeasurementGate.Admission, Never>], nextID: UInt64)>(([:], 0))

    /// A handler for `configuration`, measuring one request at a time through `gate` (share it
    /// with whatever else measures on the board); `measurer` replaces the real measurement in tests.
    /// - Throws: `LatencyServiceError.configuration` (non-loopback without token, bad token file).
    public init(
        configuration: LatencyServiceConfiguration, gate: MeasurementGate = MeasurementGate(), measurer: Measurer? = nil
    ) throws(LatencyServiceError) {
        self.configuration = configuration
        token = try configuration.validatedToken()
        self.gate = gate
        if let measurer {
            self.measurer = measurer
        } else {
            let sampleTelemetry = configuration.sampleTelemetry
            self.measurer = { plan, measurement, stopFlag in
                let telemetry = sampleTelemetry ? try? SampledTelemetry(interval: .milliseconds(100)) : nil
                return try measurement.run(plan: plan, source: "request", telemetry: telemetry, stopFlag: stopFlag)
            }
        }
    }

    /// Stops the running measurement between two iterations and answers it, and every request
    /// still waiting or arriving, with 503: the service is shutting down (graceful shutdown calls this).
    public func stopMeasuring() {
        stopping.raise(signal: SIGTERM)
        running.withLock { $0?.raise(signal: SIGTERM) }
        waiting.withLock { $0.entries.values.forEach { $0.cancel() } }
    }

    /// Answers one request.
    public func handle(_ request: Request) async -> Response {
        if let token, !token.admits(authorization: request.header("Authorization")) {
            var response = error(401, "a valid 'Authorization: Bearer <token>' header is required", field: "authorization")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        }
        switch (request.method, request.path) {
        case ("GET", "/v1/health"):
            return await health()
        case ("POST", "/v1/latency"):
            return await latency(request)
        case (_, "/v1/health"), (_, "/v1/latency"):
            return error(405, "method \(request.method) is not allowed on \(request.path)", field: "method")
        default:
            return error(404, "no such endpoint \(request.path) (known: GET /v1/health, POST /v1/latency)", field: "path")
        }
    }

    // MARK: - Endpoints

    private func health() async -> Response {
        let status = await gate.status
        var body: [String: JSONValue] = [
            "status": .text("ok"), "busy": .flag(status.holder != nil), "queued": .number(Double(status.queuedRequests)),
            "max_queue": .number(Double(configuration.maxQueue)), "max_body_bytes": .number(Double(configuration.maxBodyBytes)),
            "max_macs": .number(Double(configuration.limits.maxMacs)),
        ]
        // `request` or `schedule` (a suite of the agent hosting the service holds the board).
        if let holder = status.holder { body["busy_with"] = .text(holder.rawValue) }
        return Response(status: 200, headers: [:], body: JSONValue.object(body).encoded())
    }

    private func latency(_ request: Request) async -> Response {
        if stopping.isRaised { return shuttingDown() }
        let limit = configuration.maxBodyBytes
        if let declared = request.declaredLength, declared > limit {
            return error(413, "the request body of \(declared) bytes exceeds the limit of \(limit) bytes", field: "body")
        }
        if request.body.count > limit {
            return error(413, "the request body exceeds the limit of \(limit) bytes", field: "body")
        }
        var measurement = configuration.measurement
        do {
            try apply(query: request.query, to: &measurement)
        } catch let problem as QueryProblem {
            return error(400, problem.problem, field: problem.field)
        } catch {
            return self.error(400, "\(error)", field: "query")
        }
        let plan: ArchitecturePlan
        do {
            plan = try ArchitectureSpec.plan(yaml: String(decoding: request.body, as: UTF8.self), file: "request",
                                             limits: configuration.limits)
        } catch {
            return self.error(422, error.problem, field: error.key.isEmpty ? "body" : error.key)
        }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(configuration.requestTimeoutS * 1000)))
        switch await enterGate(deadline: deadline) {
        case .timedOut where stopping.isRaised:
            return shuttingDown()
        case .full:
            var response = error(429, "the measurement queue is full (\(configuration.maxQueue) waiting); retry later", field: "queue")
            response.headers["Retry-After"] = "1"
            return response
        case .timedOut:
            return error(504, "timed out after \(configuration.requestTimeoutS) s waiting for the board", field: "timeout")
        case .admitted:
            break
        }
        if stopping.isRaised {
            await gate.leave()
            return shuttingDown()
        }
        let outcome = await measure(plan: plan, measurement: measurement, deadline: deadline)
        await gate.leave()
        return outcome
    }

    /// Waits for the board through the gate; `stopMeasuring()` cancels the wait (a request may
    /// wait for another process's board lock until its deadline), which gives `.timedOut`.
    private func enterGate(deadline: ContinuousClock.Instant) async -> MeasurementGate.Admission {
        let entering = Task { [gate, configuration] in
            await gate.enter(as: .request, queueLimit: configuration.maxQueue, deadline: deadline)
        }
        let id = waiting.withLock { waiting in
            defer { waiting.nextID += 1 }
            waiting.entries[waiting.nextID] = entering
            return waiting.nextID
        }
        if stopping.isRaised { entering.cancel() }
        let admission = await withTaskCancellationHandler { await entering.value } onCancel: { entering.cancel() }
        _ = waiting.withLock { $0.entries.removeValue(forKey: id) }
        return admission
    }

    /// Runs the measurement on the service's own thread (it blocks for seconds), stopping it at `deadline`.
    private func measure(plan: ArchitecturePlan, measurement: LatencyMeasurement, deadline: ContinuousClock.Instant) async -> Response {
        let stopFlag = StopFlag()
        running.withLock { $0 = stopFlag }
        defer { running.withLock { $0 = nil } }
        if stopping.isRaised { stopFlag.raise(signal: SIGTERM) }
        let remaining = ContinuousClock.now.duration(to: deadline)
        let timer = Task {
            try? await Task.sleep(for: remaining)
            if !Task.isCancelled { stopFlag.raise(signal: SIGALRM) }
        }
        defer { timer.cancel() }
        let measurer = self.measurer
        let result: Result<(LatencyRecord, UInt64, UInt64), any Error> = await withCheckedContinuation { continuation in
            worker.async {
                let started = MonotonicClock.now()
                let result = Result { try measurer(plan, measurement, stopFlag) }
                continuation.resume(returning: result.map { ($0, started, MonotonicClock.now()) })
            }
        }
        switch result {
        case .success where stopFlag.raisedBySignal == SIGTERM:
            // Cut short by the shutdown after enough iterations: not the measurement that was asked for.
            return shuttingDown()
        case .success where stopFlag.raisedBySignal == SIGALRM:
            // The deadline cut the measurement short (it may have enough iterations to make a
            // record, but not the time asked for): never a silently truncated measurement.
            return timedOutMeasuring()
        case .success(let (record, started, ended)):
            let line: [UInt8]
            do {
                line = try sequence.withLock { sequence in
                    defer { sequence += 1 }
                    return try RecordWriter.encode(record, context: context, sequence: sequence, timestamp: Timestamp.now())
                }
            } catch {
                return self.error(500, "cannot encode the record: \(error)", field: "record")
            }
            return Response(status: 200, headers: [
                "X-Measurement-Start-Ns": String(started), "X-Measurement-End-Ns": String(ended),
            ], body: line)
        case .failure(LatencyMeasurement.Failure.interrupted) where stopFlag.raisedBySignal == SIGTERM:
            return shuttingDown()
        case .failure(LatencyMeasurement.Failure.interrupted):
            return timedOutMeasuring()
        case .failure(LatencyMeasurement.Failure.build(let message)):
            return error(422, message, field: "body")
        case .failure(let failure):
            return error(500, "the measurement failed: \(failure)", field: "measurement")
        }
    }

    // MARK: - Query

    private struct QueryProblem: Error {
        let field: String
        let problem: String
    }

    /// Applies `accuracy`, `target_ms`, `constraint`, `percentile`, `min_time_s`, `seed`.
    private func apply(query: [String: String], to measurement: inout LatencyMeasurement) throws {
        let known: Set = ["accuracy", "target_ms", "constraint", "percentile", "min_time_s", "seed"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw QueryProblem(field: unknown, problem: "unknown parameter (known: \(known.sorted().joined(separator: ", ")))")
        }
        func number(_ name: String) throws -> Double? {
            guard let text = query[name] else { return nil }
            guard let value = Double(text), value.isFinite else { throw QueryProblem(field: name, problem: "expected a number, got '\(text)'") }
            return value
        }
        let accuracy = try number("accuracy")
        let target = try number("target_ms")
        if (accuracy == nil) != (target == nil) {
            throw QueryProblem(field: accuracy == nil ? "accuracy" : "target_ms", problem: "accuracy and target_ms go together")
        }
        let constraint: MnasNetReward.Constraint
        switch query["constraint"] ?? "soft" {
        case "soft": constraint = .soft
        case "hard": constraint = .hard
        case let other: throw QueryProblem(field: "constraint", problem: "expected soft or hard, got '\(other)'")
        }
        if let accuracy, let target {
            guard (0...1).contains(accuracy) else { throw QueryProblem(field: "accuracy", problem: "must be in [0, 1], got \(accuracy)") }
            guard target > 0 else { throw QueryProblem(field: "target_ms", problem: "must be positive, got \(target)") }
            measurement.reward = .init(accuracy: accuracy, targetMs: target, constraint: constraint)
        }
        if let percentile = try number("percentile") {
            guard ConservativePercentiles.supported.contains(Int(percentile)), percentile == percentile.rounded() else {
                throw QueryProblem(field: "percentile", problem: "must be 90, 95 or 99")
            }
            measurement.percentile = Int(percentile)
        }
        if let minTime = try number("min_time_s") {
            guard (0...configuration.maxMinTimeS).contains(minTime) else {
                throw QueryProblem(field: "min_time_s", problem: "must be in [0, \(configuration.maxMinTimeS)], got \(minTime)")
            }
            measurement.policy.minTimeS = minTime
        }
        if let seed = query["seed"] {
            guard let value = UInt64(seed) else { throw QueryProblem(field: "seed", problem: "expected a whole number, got '\(seed)'") }
            measurement.seed = value
        }
    }

    // MARK: - Errors

    /// 504: the request's deadline passed while its measurement ran (the wait for the board counts).
    private func timedOutMeasuring() -> Response {
        error(504, "timed out after \(configuration.requestTimeoutS) s (waiting for the board included) before the measurement "
              + "reached its minimum time; ask a smaller min_time_s or retry when the board is idle", field: "timeout")
    }

    /// 503: the service is stopping and measures nothing more.
    private func shuttingDown() -> Response {
        var response = error(503, "the service is shutting down; the measurement was stopped", field: "service")
        response.headers["Retry-After"] = "5"
        return response
    }

    /// A JSON error answer: `{"error": {"status": 422, "field": "blocks[2].skip", "problem": "..."}}`.
    func error(_ status: Int, _ problem: String, field: String) -> Response {
        let body = JSONValue.object(["error": .object([
            "status": .number(Double(status)), "field": .text(field), "problem": .text(problem),
        ])])
        return Response(status: status, headers: [:], body: body.encoded())
    }
}
