import ServiceLifecycle

/// Reports changes in the outputs' health as records, and closes the run: it is the first
/// service started and the last one stopped, so on graceful shutdown it writes `agent_stop`
/// after every other service has finished, then syncs the file.
public struct OutputService: Service {
    private let context: AgentContext

    /// An output service for `context`.
    public init(context: AgentContext) {
        self.context = context
    }

    /// Turns output events into records until graceful shutdown, then writes `agent_stop`.
    public func run() async {
        let context = self.context
        await withGracefulShutdownHandler {
            for await event in context.output.events {
                switch event {
                case let .failed(output, message):
                    context.report(AgentErrorRecord(
                        source: "output.\(output)", message: message,
                        action: "sampling continues; records for this output are counted as dropped until it takes them again"))
                case let .resumed(output, dropped, failedFor):
                    context.write(AgentOutputResumedRecord(
                        output: output, droppedRecords: dropped, failedForS: (failedFor * 1000).rounded() / 1000))
                }
            }
        } onGracefulShutdown: {
            context.writeStopRecord(error: false)
            context.output.finish()
        }
    }
}
