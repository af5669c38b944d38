/// The repository's Profiles folder, found from this source file's path.
enum RepositoryProfiles {
    static let path: String = {
        var components = #filePath.split(separator: "/")
        components.removeLast(3)
        return "/" + components.joined(separator: "/") + "/Profiles"
    }()
}
