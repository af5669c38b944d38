import Synchronization

/// Turns records into JSON lines: adds the envelope (`schema`, `type`, `ts`, `host`, `run_id`,
/// `seq`), sorts keys, and hands each finished line to a sink in `seq` order.
///
/// Safe to share between the sampler thread and the benchmark thread.
public final class RecordWriter: Sendable {
    /// The run every record is stamped with.
    public let context: RunContext
    private let sink: any LineSink
    private let nextSequence = Mutex<UInt64>(0)

    /// A writer stamping records with `context` and sending lines to `sink`.
    public init(context: RunContext = .current(), sink: any LineSink = FileDescriptorSink.standardOutput) {
        self.context = context
        self.sink = sink
    }

    /// Encodes and writes one record as one line.
    /// - Throws: `EncodingError` for a figure JSON cannot hold (NaN), or the sink's error.
    ///   Either way no partial line is written and `seq` is not consumed.
    public func write<R: Record>(_ record: R) throws {
        try nextSequence.withLock { sequence in
            let line = try Self.encode(record, context: context, sequence: sequence, timestamp: Timestamp.now())
            try sink.write(line: line)
            sequence += 1
        }
    }

    /// The exact bytes of a record's line, `\n` included.
    public static func encode<R: Record>(
        _ record: R, context: RunContext, sequence: UInt64, timestamp: String
    ) throws -> [UInt8] {
        let envelope = Envelope(
            type: R.recordType, ts: timestamp, host: context.host, runId: context.runId,
            seq: sequence, body: record)
        var line = try JSONLineEncoder(keyStrategy: .snakeCase).encode(envelope)
        line.append(UInt8(ascii: "\n"))
        return line
    }
}

/// The envelope fields, encoded into the same JSON object as the record's own fields.
private struct Envelope<Body: Record>: Encodable {
    let type: String
    let ts: String
    let host: String
    let runId: String
    let seq: UInt64
    let body: Body

    private enum CodingKeys: String, CodingKey {
        case schema, type, ts, host, runId, seq
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordSchema, forKey: .schema)
        try container.encode(type, forKey: .type)
        try container.encode(ts, forKey: .ts)
        try container.encode(host, forKey: .host)
        try container.encode(runId, forKey: .runId)
        try container.encode(seq, forKey: .seq)
        try body.encode(to: encoder)
    }
}
