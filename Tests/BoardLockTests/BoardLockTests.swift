import BoardLock
import Foundation
import Glibc
import Testing

/// The flock-based board lock: exclusion between instances and processes, deadlines,
/// cancellation, release on deinit, and errors naming the path.
@Suite struct BoardLockTests {
    /// A fresh lock file path in a directory of its own.
    private static func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boardlock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("board.lock").path
    }

    // MARK: - Within one process

    @Test func twoLocksOnOnePathExcludeEachOtherUntilReleased() throws {
        let path = try Self.temporaryPath()
        let first = try BoardLock(path: path), second = try BoardLock(path: path)
        #expect(first.tryAcquire())
        #expect(!second.tryAcquire())
        first.release()
        #expect(second.tryAcquire())
        #expect(!first.tryAcquire())
        second.release()
        #expect(first.tryAcquire())
        first.release()
    }

    @Test func theLockFileIsCreatedPrivate() throws {
        let path = try Self.temporaryPath()
        _ = try BoardLock(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0)
    }

    @Test func acquireWaitsForTheReleaseOfTheOtherHolder() async throws {
        let path = try Self.temporaryPath()
        let holder = try BoardLock(path: path), waiter = try BoardLock(path: path)
        #expect(holder.tryAcquire())
        let waiting = Task { await waiter.acquire(deadline: .now + .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        holder.release()
        #expect(await waiting.value)
        #expect(!holder.tryAcquire())
        waiter.release()
    }

    @Test func acquireGivesUpAtItsDeadlineWhileHeld() async throws {
        let path = try Self.temporaryPath()
        let holder = try BoardLock(path: path), waiter = try BoardLock(path: path)
        #expect(holder.tryAcquire())
        let started = ContinuousClock.now
        #expect(await waiter.acquire(deadline: .now + .milliseconds(80)) == false)
        #expect(ContinuousClock.now - started >= .milliseconds(80))
        holder.release()
        #expect(await waiter.acquire(deadline: .now + .milliseconds(80)))
    }

    @Test func cancellingTheWaitingTaskGivesUp() async throws {
        let path = try Self.temporaryPath()
        let holder = try BoardLock(path: path), waiter = try BoardLock(path: path)
        #expect(holder.tryAcquire())
        let waiting = Task { await waiter.acquire(deadline: nil) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == false)
        #expect(!waiter.tryAcquire(), "the holder still holds it")
    }

    @Test func deinitializingTheHolderReleasesTheLock() throws {
        let path = try Self.temporaryPath()
        var holder: BoardLock? = try BoardLock(path: path)
        let other = try BoardLock(path: path)
        #expect(holder?.tryAcquire() == true)
        #expect(!other.tryAcquire())
        holder = nil
        #expect(other.tryAcquire())
    }

    // MARK: - Across processes

    @Test func aChildProcessHoldingTheLockBlocksUsUntilItExits() async throws {
        let path = try Self.temporaryPath()
        let lock = try BoardLock(path: path)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // -o: flock(1) itself holds the lock while `sleep` runs, so killing flock(1) frees it, however
        // long the test was held up between two steps. (It waits out SIGTERM for its command.)
        child.arguments = ["-o", path, "sleep", "20"]
        try child.run()
        // Wait until the child has the lock: it starts asynchronously, slowly when the whole
        // test suite runs in parallel on two cores.
        var childHolds = false
        let giveUp = ContinuousClock.now + .seconds(20)
        while !childHolds, ContinuousClock.now < giveUp {
            if lock.tryAcquire() { lock.release(); try await Task.sleep(for: .milliseconds(5)) } else { childHolds = true }
        }
        try #require(childHolds, "flock(1) never took the lock")
        #expect(await lock.acquire(deadline: .now + .milliseconds(100)) == false)
        kill(child.processIdentifier, SIGKILL)
        #expect(await lock.acquire(deadline: .now + .seconds(20)), "the lock stayed taken after its holder ended")
        child.waitUntilExit()
        lock.release()
    }

    @Test func aChildStartedWhileWeHoldTheLockDoesNotKeepItAfterWeCloseIt() async throws {
        let path = try Self.temporaryPath()
        var lock: BoardLock? = try BoardLock(path: path)
        #expect(lock?.tryAcquire() == true)
        // posix_spawn without file actions: the child inherits every descriptor not marked close-on-exec.
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = ["sleep", "5"].map { (argument: String) in strdup(argument) } + [nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&child, "/bin/sleep", nil, nil, arguments, environ) == 0)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        lock = nil
        let other = try BoardLock(path: path)
        // A deadline, not tryAcquire: a fork by a concurrent test briefly shares every descriptor too.
        #expect(await other.acquire(deadline: .now + .seconds(1)), "the child kept the lock through an inherited descriptor")
    }

    // MARK: - Errors

    @Test func anUnopenablePathThrowsNamingIt() {
        let path = "/nonexistent-\(UUID().uuidString)/board.lock"
        let error = #expect(throws: BoardLockError.self) { try BoardLock(path: path) }
        #expect(error?.description == "cannot open the board lock file \(path): No such file or directory")
    }
}
