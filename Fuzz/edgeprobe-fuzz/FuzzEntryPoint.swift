// libFuzzer's entry point. `--sanitize=fuzzer` links libFuzzer's own main(), which calls this
// for every input; EDGEPROBE_FUZZ_TARGET chooses the parser (`make fuzz`, Docs/fuzzing.md).
import Glibc

/// The target named by EDGEPROBE_FUZZ_TARGET; an unknown or missing name ends the run with usage.
let selectedTarget: FuzzTarget = {
    let name = getenv("EDGEPROBE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        let usage = "edgeprobe-fuzz: set EDGEPROBE_FUZZ_TARGET to one of: \(names) (got '\(name)')\n"
        _ = usage.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
