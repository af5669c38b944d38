import CRenameExchange
import Glibc
import SystemErrors

/// Writes the exposition for node_exporter's textfile collector: the whole text into a file
/// beside the target (`NAME.prom.tmp`, which the collector ignores: it reads `*.prom`), then one
/// atomic rename, so the collector only ever opens a whole file.
///
/// The rename swaps the two files (`renameat2` with `RENAME_EXCHANGE`): the previous exposition
/// goes to `NAME.prom.tmp` and is overwritten in place after the next sample. Once both files
/// exist, a write creates and frees no inode and, on ext4, does not trigger the flush a rename
/// over an existing file does (`auto_da_alloc`): that flush, a new inode and the old one's
/// freeing every second were most of the textfile's CPU cost (Docs/fleet.md) and a disk write
/// every second on an SD card. A reader that opened the previous file keeps a whole exposition
/// unless it holds the file open for a whole sampling interval. Where the target is missing or a
/// symbolic link, or the filesystem or kernel cannot swap, the write falls back to `rename(2)`
/// over the target. Both files
/// are mode 0644 whatever the umask: node_exporter runs as another user.
public struct TextfileWriter: Sendable {
    /// A failed write: what was being done and the system's reason.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// E.g. `cannot create /var/lib/prometheus/node-exporter/edgeprobe.prom.tmp: No such file or directory`.
        public let description: String
    }

    /// The file node_exporter reads.
    public let path: String
    /// The file written before it is swapped in, `path` + `.tmp`.
    private let temporaryPath: String

    /// A writer replacing the file at `path`.
    public init(path: String) {
        self.path = path
        temporaryPath = path + ".tmp"
    }

    /// Replaces the file's contents with `text`, atomically.
    /// - Throws: `Failure` when the temporary file cannot be written or swapped in; the target is left as it was.
    public func write(_ text: [UInt8]) throws(Failure) {
        // No O_TRUNC: the spare file is overwritten in place and cut to length (on ext4, truncating
        // to zero would flush it at close). O_NOFOLLOW: a link planted at the spare's name is refused.
        var descriptor = open(temporaryPath, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0, errno == ENOENT {
            // Created once: readable by node_exporter's user whatever the umask (the unit's is 0027).
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            if descriptor >= 0, fchmod(descriptor, 0o644) != 0 { throw failed("cannot create \(temporaryPath)", closing: descriptor) }
        }
        guard descriptor >= 0 else { throw failure("cannot create \(temporaryPath)") }
        var written = 0
        while written < text.count {
            let count = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + written, $0.count - written, off_t(written)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw failed("cannot write \(temporaryPath)", closing: descriptor) }
            written += count
        }
        guard ftruncate(descriptor, off_t(text.count)) == 0 else { throw failed("cannot write \(temporaryPath)", closing: descriptor) }
        guard close(descriptor) == 0 else { throw failed("cannot write \(temporaryPath)", closing: nil) }
        // A target that is a symbolic link is replaced, not swapped: the swap would move the link to
        // the spare's name, where the next write's O_NOFOLLOW refuses it, and no write would succeed again.
        var target = stat()
        let isLink = lstat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFLNK
        if !isLink, edgeprobe_rename_exchange(temporaryPath, path) == 0 { return }
        // ENOENT: no target yet (the first write, or it was removed); EINVAL: the filesystem cannot swap;
        // ENOSYS: a kernel (or emulator) without renameat2.
        guard isLink || errno == ENOENT || errno == EINVAL || errno == ENOSYS, rename(temporaryPath, path) == 0 else {
            throw failed("cannot rename \(temporaryPath) to \(path)", closing: nil)
        }
    }

    /// The failure of a write that got as far as creating the spare file, which is removed.
    private func failed(_ what: String, closing descriptor: Int32?) -> Failure {
        let error = failure(what)
        if let descriptor { close(descriptor) }
        unlink(temporaryPath)
        return error
    }

    private func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(SystemError.current.description)")
    }
}
