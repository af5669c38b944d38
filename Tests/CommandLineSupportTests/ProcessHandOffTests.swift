@testable import CommandLineSupport
import Glibc
import Testing

/// What `ProcessHandOff.exec` does to this process's descriptors before `execv`, and undoes when it fails.
///
/// The tests hand the hand-off only descriptors they opened themselves: the other tests of this
/// process open and close files and sockets at the same time, and marking (or, after a failed
/// exec, unmarking) theirs would race with them — a reused descriptor number unmarked would leak
/// into another test's child process.
@Suite struct ProcessHandOffTests {
    @Test func theOpenDescriptorsAreThoseAboveStandardErrorThisProcessHolds() throws {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor > STDERR_FILENO)
        let whileOpen = ProcessHandOff.openDescriptors()
        close(descriptor)
        #expect(whileOpen.contains(descriptor))
        #expect(!whileOpen.contains(STDIN_FILENO) && !whileOpen.contains(STDOUT_FILENO) && !whileOpen.contains(STDERR_FILENO))
    }

    @Test func descriptorsOpenedSinceTheStartBecomeCloseOnExecAndInheritedOnesStayOpen() throws {
        let inherited = open("/dev/null", O_RDONLY)
        let opened = open("/dev/null", O_RDONLY)
        try #require(inherited > STDERR_FILENO && opened > STDERR_FILENO)
        defer {
            close(inherited)
            close(opened)
        }
        #expect(fcntl(opened, F_GETFD) & FD_CLOEXEC == 0)
        let marked = ProcessHandOff.markCloseOnExec([inherited, opened], keeping: [inherited])
        #expect(marked == [opened])
        #expect(fcntl(opened, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(inherited, F_GETFD) & FD_CLOEXEC == 0)
    }

    @Test func beforeExecNoSignalIsBlockedAndUndoBlocksThemAgain() throws {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor > STDERR_FILENO)
        defer { close(descriptor) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR2)
        var before = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &before)
        defer { pthread_sigmask(SIG_SETMASK, &before, nil) }

        let prepared = ProcessHandOff.prepareForExec(descriptors: [descriptor])
        var during = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &during)
        #expect(sigismember(&during, SIGUSR2) == 0)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)
        prepared.undo()
        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        #expect(sigismember(&after, SIGUSR2) == 1)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC == 0)
    }

    @Test func aFailedExecLeavesDescriptorsAndSignalMaskAsTheyWere() throws {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor > STDERR_FILENO)
        defer { close(descriptor) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR2)
        var before = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &before)
        defer { pthread_sigmask(SIG_SETMASK, &before, nil) }

        ProcessHandOff.exec("/nonexistent/edgeprobe-agent", arguments: ["edgeprobe-agent"], descriptors: [descriptor])

        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        #expect(sigismember(&after, SIGUSR2) == 1)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC == 0)
    }
}
