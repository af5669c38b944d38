import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing
@testable import Agent

@Suite(.timeLimit(.minutes(1))) struct SystemdNotifierTests {
    @Test func sendsEachMessageAsOneDatagramToAPathSocket() async throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isEnabled)
        #expect(notifier.ready(status: "sampling every 1.0 s"))
        #expect(notifier.watchdog())
        #expect(notifier.stopping())
        #expect(await listener.receive() == "READY=1\nSTATUS=sampling every 1.0 s")
        #expect(await listener.receive() == "WATCHDOG=1")
        #expect(await listener.receive() == "STOPPING=1")
    }

    @Test func reachesAnAbstractSocketNamedWithAnAt() async throws {
        let listener = try NotifySocketListener(abstract: true)
        #expect(listener.address.hasPrefix("@"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.reloading())
        let message = try #require(await listener.receive())
        #expect(message.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(UInt64(message.split(separator: "=").last!) != nil)
    }

    /// A listener that stops reading (a busy manager, or a test past the message it waited for)
    /// fills its queue after `net.unix.max_dgram_qlen` datagrams; the notifier then drops
    /// messages instead of blocking the agent's sampling loop or its shutdown.
    @Test func aListenerThatStopsReadingDropsMessagesInsteadOfBlocking() async throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        let sends = 5_000
        let outcomes = SendOutcomes()
        // On its own thread: a blocking send would hang this thread, not the test; closing the
        // listener at the end of the test then wakes it.
        Thread.detachNewThread {
            for _ in 0..<sends {
                let sent = notifier.watchdog()
                outcomes.results.withLock { $0.append(sent) }
            }
        }
        let finished = await eventually { outcomes.results.withLock { $0.count } == sends }
        #expect(finished, "the sends blocked after \(outcomes.results.withLock { $0.count }) of \(sends)")
        let sent = outcomes.results.withLock { $0 }
        #expect(sent.first == true)
        #expect(sent.contains(false), "\(sends) unread datagrams all fitted in the listener's queue")
        #expect(await listener.receive() == "WATCHDOG=1")
    }

    @Test func doesNothingOutsideSystemd() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(!notifier.ready())
        #expect(notifier.watchdogIntervalUs == nil)
    }

    @Test func aVanishedSocketIsReportedNotFatal() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/edgeprobe-no-such-\(UUID().uuidString).sock"])
        #expect(notifier.isEnabled)
        #expect(!notifier.ready())
    }

    @Test func watchdogIntervalHonoursWatchdogPid() {
        let mine = String(getpid())
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]).watchdogIntervalUs == 30_000_000)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": mine]).watchdogIntervalUs == 30_000_000)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]).watchdogIntervalUs == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogIntervalUs == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "soon"]).watchdogIntervalUs == nil)
    }

    @Test func anAddressTooLongForSunPathIsRefused() {
        let long = "/tmp/" + String(repeating: "x", count: 200)
        #expect(SystemdNotifier.withAddress(long) { _, _ in true } == nil)
    }
}

/// What each send returned, shared with the sending thread.
private final class SendOutcomes: Sendable {
    let results = Mutex<[Bool]>([])
}
