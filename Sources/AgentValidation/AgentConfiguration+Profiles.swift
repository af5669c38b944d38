import AgentConfig
import Profiles
import Models

extension AgentConfiguration {
    /// The board profile and suites this configuration names, loaded and validated.
    public struct Profiles: Sendable {
        /// The board profile.
        public let board: BoardProfile
        /// One suite per suite entry of `schedule`, in order (soak entries have none).
        public let suites: [Suite]
    }

    /// Loads the board profile, every scheduled suite and every scheduled soak's architecture, so
    /// a typo in a profile is a configuration error before anything runs (or on reload, before
    /// anything changes).
    /// - Throws: `ConfigError` naming `board`, `schedule[i].suite` or `schedule[i].soak` and the problem.
    public func loadProfiles(locator: ProfileLocator) throws(ConfigError) -> Profiles {
        let board: BoardProfile
        do {
            board = try BoardProfile.load(path: try locator.locate(self.board, kind: "boards"))
        } catch {
            throw ConfigError(file: path, key: "board", problem: error.description)
        }
        var suites: [Suite] = []
        for (index, entry) in schedule.enumerated() {
            if entry.soak != nil {
                do {
                    _ = try ArchitectureSpec.loadPlan(path: try locator.locate(entry.suite, kind: "archs"))
                } catch {
                    throw ConfigError(file: path, key: "schedule[\(index)].soak", problem: error.description)
                }
                continue
            }
            do {
                suites.append(try Suite.load(path: try locator.locate(entry.suite, kind: "suites")))
            } catch {
                throw ConfigError(file: path, key: "schedule[\(index)].suite", problem: error.description)
            }
        }
        return Profiles(board: board, suites: suites)
    }
}
