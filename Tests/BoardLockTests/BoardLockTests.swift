import BoardLock
import Foundation
import Glibc
import TestSupport
import Testing

/// The flock-based board lock: exclusion between instances and processes, deadlines,
/// cancellation, release on deinit, and errors naming the path.
@Suite(.timeLimit(.minutes(1))) struct BoardLockTests {

    // MARK: - Within one process

    @Test func twoLocksOnOnePathExcludeEachOtherUntilReleased() throws {
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
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
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
        _ = try BoardLock(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0)
    }

    @Test func acquireWaitsForTheReleaseOfTheOtherHolder() async throws {
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
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
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
        let holder = try BoardLock(path: path), waiter = try BoardLock(path: path)
        #expect(holder.tryAcquire())
        let started = ContinuousClock.now
        #expect(await waiter.acquire(deadline: .now + .milliseconds(80)) == false)
        #expect(ContinuousClock.now - started >= .milliseconds(80))
        holder.release()
        #expect(await waiter.acquire(deadline: .now + .milliseconds(80)))
    }

    @Test func cancellingTheWaitingTaskGivesUp() async throws {
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
        let holder = try BoardLock(path: path), waiter = try BoardLock(path: path)
        #expect(holder.tryAcquire())
        let waiting = Task { await waiter.acquire(deadline: nil) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == false)
        #expect(!waiter.tryAcquire(), "the holder still holds it")
    }

    @Test func deinitializingTheHolderReleasesTheLock() throws {
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
        var holder: BoardLock? = try BoardLock(path: path)
        let other = try BoardLock(path: path)
        #expect(holder?.tryAcquire() == true)
        #expect(!other.tryAcquire())
        holder = nil
        #expect(other.tryAcquire())
    }

    // MARK: - Across processes

    @Test func aChildProcessHoldingTheLockBlocksUsUntilItExits() async throws {
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
        let lock = try BoardLock(path: path)
        // -o: flock(1) itself holds the lock while `sleep` runs, so killing flock(1) frees it, however
        // long the test was held up between two steps. (It waits out SIGTERM for its command.) The
        // sleep outlasts any test: only the kill below ends the child's hold.
        let child = try TestProcess("/usr/bin/flock", ["-o", path, "sleep", "600"])
        // Wait until the child has the lock (it starts asynchronously, slowly on a loaded machine)
        // and has started `sleep`, which is killed too at the end.
        let childHolds = await eventually(every: .milliseconds(5)) {
            if lock.tryAcquire() { lock.release(); return false }
            return true
        }
        try #require(childHolds, "flock(1) never took the lock")
        let sleeper = try #require(await eventually { !child.children.isEmpty } ? child.children.first?.pid : nil)
        #expect(await lock.acquire(deadline: .now + .milliseconds(100)) == false)
        child.send(SIGKILL)
        #expect(await lock.acquire(deadline: .now + .seconds(60)), "the lock stayed taken after its holder ended")
        kill(sleeper, SIGKILL)
        lock.release()
    }

    @Test func aChildStartedWhileWeHoldTheLockDoesNotKeepItAfterWeCloseIt() async throws {
        let scratch = TemporaryDirectory(prefix: "boardlock")
        let path = scratch.file("board.lock")
        var lock: BoardLock? = try BoardLock(path: path)
        #expect(lock?.tryAcquire() == true)
        // posix_spawn without file actions: the child inherits every descriptor not marked close-on-exec.
        var child: pid_t = 0
        // The child outlives the wait below, so a lock it kept would be seen.
        let arguments: [UnsafeMutablePointer<CChar>?] = ["sleep", "600"].map { (argument: String) in strdup(argument) } + [nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&child, "/bin/sleep", nil, nil, arguments, environ) == 0)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        lock = nil
        let other = try BoardLock(path: path)
        // A deadline, not tryAcquire: a fork by a concurrent test briefly shares every descriptor too
        // (until its exec, which a loaded machine can delay for seconds).
        #expect(await other.acquire(deadline: .now + .seconds(30)), "the child kept the lock through an inherited descriptor")
    }

    // MARK: - Errors

    @Test func anUnopenablePathThrowsNamingIt() {
        let path = "/nonexistent-\(UUID().uuidString)/board.lock"
        let error = #expect(throws: BoardLockError.self) { try BoardLock(path: path) }
        #expect(error?.description == "cannot open the board lock file \(path): No such file or directory")
    }
}
