import AgentConfig
import Profiles

extension AgentConfiguration {
    /// The board profile and suites this configuration names, loaded and validated.
    public struct Profiles: Sendable {
        /// The board profile.
        public let board: BoardProfile
        /// One suite per `schedule` entry, in order.
        public let suites: [Suite]
    }

    /// Loads the board profile and every scheduled suite, so a typo in a suite file is a
    /// configuration error before anything runs (or on reload, before anything changes).
    /// - Throws: `ConfigError` naming `board` or `schedule[i].suite` and the profile's problem.
    public func loadProfiles(locator: ProfileLocator) throws(ConfigError) -> Profiles {
        let board: BoardProfile
        do {
            board = try BoardProfile.load(path: try locator.locate(self.board, kind: "boards"))
        } catch {
            throw ConfigError(file: path, key: "board", problem: error.description)
        }
        var suites: [Suite] = []
        for (index, entry) in schedule.enumerated() {
            do {
                suites.append(try Suite.load(path: try locator.locate(entry.suite, kind: "suites")))
            } catch {
                throw ConfigError(file: path, key: "schedule[\(index)].suite", problem: error.description)
            }
        }
        return Profiles(board: board, suites: suites)
    }
}
