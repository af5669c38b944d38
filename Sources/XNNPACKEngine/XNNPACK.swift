import XNNPACKShim

/// XNNPACK, the operator library inside LiteRT (TensorFlow Lite) and ONNX Runtime's mobile CPU
/// builds, as a second engine beside edgeprobe's own kernels: Debian's `libxnnpack0` snapshot,
/// called only through the `XNNPACKShim` C target.
public enum XNNPACK {
    /// Initializes the library (once per process; later calls return at once).
    /// - Throws: `XNNPACKError` when the CPU is not supported (XNNPACK needs SSE2 or NEON).
    public static func initialize() throws(XNNPACKError) {
        try initialization.get()
    }

    private static let initialization: Result<Void, XNNPACKError> = {
        let status = ep_xnn_initialize()
        return Result { () throws(XNNPACKError) in try XNNPACKError.check(status, "initialize") }
    }()

    /// The micro-kernel family XNNPACK picks here for float32 convolutions (`avx512f`, `fma3`,
    /// `neonfma`, ...), by the same CPU-feature order as the snapshot's initialization.
    public static var float32ISA: String { String(cString: ep_xnn_f32_isa()) }

    /// The family it picks for channel-wise int8 convolutions (`avx512skx`, `avx2`, `neon-dotprod`, `neon`, ...).
    public static var int8ISA: String { String(cString: ep_xnn_qc8_isa()) }

    /// The shared library file XNNPACK was loaded from, if the loader says.
    public static var libraryPath: String? { ep_xnn_library_path().map { String(cString: $0) } }

    /// The version of the Debian package that installed the loaded library (e.g.
    /// `libxnnpack0 0.0~git20220216.ae108ef-2`): the snapshot has no version call of its own.
    /// Nil when the library did not come from a package dpkg knows.
    /// Looked up once per process: it reads dpkg's file lists (hundreds of files) and every record an XNNPACK
    /// measurement writes names it (`engine_description`), and the library mapped into the process does not change when the
    /// package is upgraded later.
    public static let packageVersion: String? = {
        guard let path = libraryPath else { return nil }
        return DebianPackage.owner(of: path).map { "\($0.name) \($0.version)" }
    }()
}
