import ArgumentParser
import Glibc
import SystemErrors

/// The `--root` option of `sample` and `sensors`: a copied /proc and /sys tree, or `/`.
public enum FilesystemRoot {
    /// Checks that `root` is a directory: reading a missing tree would give a record with every
    /// figure null, as if the board had no sensors.
    /// - Throws: `ValidationError` naming the option and the path.
    public static func validate(_ root: String) throws {
        var status = stat()
        guard stat(root, &status) == 0 else {
            throw ValidationError("--root \(root): \(SystemError.current.description)")
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw ValidationError("--root \(root): not a directory") }
    }
}
