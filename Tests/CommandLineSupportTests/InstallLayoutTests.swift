@testable import CommandLineSupport
import Glibc
import Testing

/// Where each executable looks for the others: side by side, or installed in bin/ and libexec/edgeprobe/.
@Suite struct InstallLayoutTests {
    @Test func fromBinTheLeanExecutablesAreBesideItOrInLibexec() {
        let layout = InstallLayout(running: "/usr/local/bin/edgeprobe")
        #expect(layout.runningProgram == .edgeprobe)
        #expect(layout.candidates(for: .agent) == [
            "/usr/local/bin/edgeprobe-agent", "/usr/local/bin/../libexec/edgeprobe/edgeprobe-agent",
        ])
        #expect(layout.candidates(for: .sample) == [
            "/usr/local/bin/edgeprobe-sample", "/usr/local/bin/../libexec/edgeprobe/edgeprobe-sample",
        ])
    }

    @Test func fromLibexecTheFullEdgeprobeIsBesideItOrInBin() {
        let layout = InstallLayout(running: "/opt/edgeprobe/libexec/edgeprobe/edgeprobe-agent")
        #expect(layout.runningProgram == .agent)
        #expect(layout.candidates(for: .edgeprobe) == [
            "/opt/edgeprobe/libexec/edgeprobe/edgeprobe", "/opt/edgeprobe/libexec/edgeprobe/../../bin/edgeprobe",
        ])
        #expect(layout.candidates(for: .sample) == ["/opt/edgeprobe/libexec/edgeprobe/edgeprobe-sample"])
    }

    @Test func aRenamedExecutableIsTakenForTheFullEdgeprobe() {
        let layout = InstallLayout(running: "/home/me/ep")
        #expect(layout.runningProgram == .edgeprobe)
        #expect(layout.candidates(for: .agent).last == "/home/me/../libexec/edgeprobe/edgeprobe-agent")
    }

    @Test func findsOnlyExecutablesThatAreThere() throws {
        var template = Array("/tmp/edgeprobe-layout-XXXXXX".utf8CString)
        let prefix = try #require(mkdtemp(&template).map { String(cString: $0) })
        defer { _ = rmdirRecursively(prefix) }
        for directory in ["/bin", "/libexec", "/libexec/edgeprobe"] { mkdir(prefix + directory, 0o755) }
        for (path, mode) in [("/bin/edgeprobe", 0o755), ("/libexec/edgeprobe/edgeprobe-agent", 0o755), ("/libexec/edgeprobe/edgeprobe-sample", 0o644)] {
            let descriptor = open(prefix + path, O_CREAT | O_WRONLY, mode_t(mode))
            close(descriptor)
        }
        let fromBin = InstallLayout(running: prefix + "/bin/edgeprobe")
        #expect(fromBin.path(of: .agent) == prefix + "/bin/../libexec/edgeprobe/edgeprobe-agent")
        #expect(fromBin.path(of: .sample) == nil, "not executable")
        let fromLibexec = InstallLayout(running: prefix + "/libexec/edgeprobe/edgeprobe-agent")
        #expect(fromLibexec.path(of: .edgeprobe) == prefix + "/libexec/edgeprobe/../../bin/edgeprobe")
    }

    private func rmdirRecursively(_ prefix: String) -> Int32 {
        for path in ["/bin/edgeprobe", "/libexec/edgeprobe/edgeprobe-agent", "/libexec/edgeprobe/edgeprobe-sample"] { unlink(prefix + path) }
        for directory in ["/libexec/edgeprobe", "/libexec", "/bin", ""] { rmdir(prefix + directory) }
        return 0
    }
}
