@testable import Profiles
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct BoardProfileTests {
    @Test func everyShippedBoardLoads() throws {
        let locator = ProfileLocator(searchDirectories: [Repository.path("Profiles")])
        let names = locator.available(kind: "boards")
        #expect(names == ["generic", "jetson-nano", "raspberry-pi-4", "raspberry-pi-5"])
        for name in names {
            let board = try BoardProfile.load(path: try locator.locate(name, kind: "boards"))
            #expect(board.name == name)
            #expect(board.threads >= 1)
        }
    }

    @Test func genericIsSingleThreadedAndUnpinned() throws {
        let board = try BoardProfile.load(path: Repository.path("Profiles/boards/generic.yaml"))
        #expect(board.threads == 1)
        #expect(board.cpus == nil)
        #expect(board.cooldownToC == nil)
    }

    @Test func badFieldsAreNamed() throws {
        let file = TemporaryFile("name: b\nthreads: 0\n")
        let error = #expect(throws: ConfigError.self) { try BoardProfile.load(path: file.path) }
        #expect(try #require(error).description.contains("threads: must be positive, got 0"))
        let cpus = TemporaryFile("name: b\ncpus: [0, x]\n")
        let cpuError = #expect(throws: ConfigError.self) { try BoardProfile.load(path: cpus.path) }
        #expect(try #require(cpuError).description.contains("cpus: expected non-negative whole numbers, got 'x'"))
    }

    @Test func unknownNameListsKnownProfiles() throws {
        let locator = ProfileLocator(searchDirectories: [Repository.path("Profiles")])
        let error = #expect(throws: ConfigError.self) { try locator.locate("raspberry-pi-9", kind: "boards") }
        #expect(try #require(error).description.contains("known: generic, jetson-nano, raspberry-pi-4, raspberry-pi-5"))
    }
}
