@testable import CommandLineSupport
import Glibc
import Testing

/// What `ProcessHandOff.exec` does to this process's descriptors before `execv`, and undoes when it fails.
@Suite struct ProcessHandOffTests {
    @Test func descriptorsOpenedSinceTheStartBecomeCloseOnExecAndInheritedOnesStayOpen() throws {
        let inherited = open("/dev/null", O_RDONLY)
        let opened = open("/dev/null", O_RDONLY)
        try #require(inherited > STDERR_FILENO && opened > STDERR_FILENO)
        defer {
            close(inherited)
            close(opened)
        }
        #expect(fcntl(opened, F_GETFD) & FD_CLOEXEC == 0)
        let marked = ProcessHandOff.markDescriptorsCloseOnExec(keeping: [inherited])
        defer { for changed in marked { _ = fcntl(changed, F_SETFD, 0) } }
        #expect(marked.contains(opened))
        #expect(!marked.contains(inherited))
        #expect(!marked.contains(STDIN_FILENO) && !marked.contains(STDOUT_FILENO) && !marked.contains(STDERR_FILENO))
        #expect(fcntl(opened, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(inherited, F_GETFD) & FD_CLOEXEC == 0)
    }

    @Test func beforeExecNoSignalIsBlockedAndUndoBlocksThemAgain() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR2)
        var before = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &before)
        defer { pthread_sigmask(SIG_SETMASK, &before, nil) }

        let prepared = ProcessHandOff.prepareForExec()
        var during = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &during)
        #expect(sigismember(&during, SIGUSR2) == 0)
        prepared.undo()
        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        #expect(sigismember(&after, SIGUSR2) == 1)
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

        ProcessHandOff.exec("/nonexistent/edgeprobe-agent", arguments: ["edgeprobe-agent"])

        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        #expect(sigismember(&after, SIGUSR2) == 1)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC == 0)
    }
}
