@testable import Profiles
import Testing

@Suite struct ProfileLocatorTests {
    @Test func joinedPathsHaveOneSlashEvenUnderTheRoot() {
        #expect(ProfileLocator.joined("/", "share/edgeprobe/Profiles") == "/share/edgeprobe/Profiles")
        #expect(ProfileLocator.joined("/usr/local", "share/edgeprobe/Profiles") == "/usr/local/share/edgeprobe/Profiles")
        #expect(ProfileLocator.joined("/opt/edgeprobe/", "Profiles") == "/opt/edgeprobe/Profiles")
    }

    @Test func standardSearchPathsHaveNoDoubleSlash() {
        #expect(!ProfileLocator.standard().searchDirectories.contains { $0.contains("//") })
    }
}
