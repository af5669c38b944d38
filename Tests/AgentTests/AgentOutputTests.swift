import Reports
import Synchronization
import TestSupport
import Testing
@testable import Agent

@Suite(.timeLimit(.minutes(3))) struct AgentOutputTests {
    @Test func aFailingOutputIsCountedReportedOnceAndResumes() async {
        let stdout = CollectingSink()
        let file = CollectingSink()
        let output = AgentOutput(standardOutput: stdout, file: file)
        output.write(line: Array("a\n".utf8))
        file.failing.store(true, ordering: .relaxed)
        for _ in 0..<3 { output.write(line: Array("b\n".utf8)) }
        file.failing.store(false, ordering: .relaxed)
        output.write(line: Array("c\n".utf8))
        output.finish()

        #expect(stdout.lines == ["a\n", "b\n", "b\n", "b\n", "c\n"], "the other output is not affected")
        #expect(file.lines == ["a\n", "c\n"])
        #expect(output.droppedRecords == ["stdout": 0, "file": 3])
        var events: [AgentOutput.Event] = []
        for await event in output.events { events.append(event) }
        #expect(events.count == 2)
        #expect(events.first == .failed(output: "file", message: "cannot write a record: No space left on device"))
        guard case let .resumed(name, dropped, _) = events.last else {
            Issue.record("no resumed event: \(events)")
            return
        }
        #expect(name == "file")
        #expect(dropped == 3)
    }

    @Test func replacingTheFileKeepsTotalsAndStandardOutput() {
        let stdout = CollectingSink()
        let first = CollectingSink()
        let second = CollectingSink()
        let output = AgentOutput(standardOutput: stdout, file: first)
        first.failing.store(true, ordering: .relaxed)
        output.write(line: Array("a\n".utf8))
        output.replaceFile(with: second)
        output.write(line: Array("b\n".utf8))
        #expect(second.lines == ["b\n"])
        #expect(stdout.lines == ["a\n", "b\n"])
        #expect(output.droppedRecords == ["stdout": 0, "file": 1])
    }
}
