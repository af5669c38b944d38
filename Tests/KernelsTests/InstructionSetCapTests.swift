@testable import Kernels
import Testing

/// `EDGEPROBE_MAX_ISA`: the values each architecture accepts, and the path each kernel table
/// chooses under a cap.
@Suite(.timeLimit(.minutes(1))) struct InstructionSetCapTests {
    @Test func unsetOrEmptyIsNoCap() throws {
        #expect(try InstructionSetCap.parse(nil) == nil)
        #expect(try InstructionSetCap.parse("") == nil)
    }

    @Test func theArchitecturesValuesAreAcceptedInAnyLetterCase() throws {
        #if arch(x86_64)
        #expect(InstructionSetCap.accepted == [.avx512, .avx2])
        #expect(try InstructionSetCap.parse("avx2") == .avx2)
        #expect(try InstructionSetCap.parse("AVX512") == .avx512)
        #elseif arch(arm64)
        #expect(InstructionSetCap.accepted == [.neonDotProduct, .neon])
        #expect(try InstructionSetCap.parse("neon") == .neon)
        #expect(try InstructionSetCap.parse("NEON-DotProd") == .neonDotProduct)
        #endif
    }

    @Test(arguments: ["generic", "sse4", "avx", "avx2 ", "avx512f", "all"] + {
        #if arch(x86_64)
        ["neon", "neon-dotprod"]
        #else
        ["avx2", "avx512"]
        #endif
    }())
    func anotherValueIsRefusedNamingTheVariableTheValueAndTheAcceptedValues(value: String) {
        let error = #expect(throws: InstructionSetCapError.self) { try InstructionSetCap.parse(value) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("EDGEPROBE_MAX_ISA: '\(value)' "), "\(message)")
        for accepted in InstructionSetCap.accepted { #expect(message.contains(accepted.rawValue), "\(message)") }
    }

    @Test func aCapAdmitsItselfAndTheLowerLevelsOfItsArchitecture() {
        #expect(InstructionSetCap.avx512.admits(.avx2))
        #expect(InstructionSetCap.avx512.admits(.avx512))
        #expect(!InstructionSetCap.avx2.admits(.avx512))
        #expect(InstructionSetCap.neonDotProduct.admits(.neon))
        #expect(!InstructionSetCap.neon.admits(.neonDotProduct))
        #expect(!InstructionSetCap.avx512.admits(.neon))
        #expect(!InstructionSetCap.neonDotProduct.admits(.avx2))
    }

    @Test func eachTableChoosesTheFastestPathTheCapAdmits() {
        #if arch(x86_64)
        let fastestFloat: FloatKernelPath = FloatKernelPath.avx512.isAvailable ? .avx512 : .simd
        let fastestInt8: Int8KernelPath = Int8KernelPath.avx512VNNI.isAvailable ? .avx512VNNI : .avx2
        #expect(FloatKernelPath.fastest(under: nil) == fastestFloat)
        #expect(FloatKernelPath.fastest(under: .avx512) == fastestFloat)
        #expect(FloatKernelPath.fastest(under: .avx2) == .simd)
        #expect(FloatKernelPath.simd.instructionSet == "avx2+fma")
        #expect(Int8KernelPath.fastest(under: nil) == fastestInt8)
        #expect(Int8KernelPath.fastest(under: .avx512) == fastestInt8)
        #expect(Int8KernelPath.fastest(under: .avx2) == .avx2)
        #elseif arch(arm64)
        let fastestInt8: Int8KernelPath = Int8KernelPath.neonDotProduct.isAvailable ? .neonDotProduct : .neon
        #expect(FloatKernelPath.fastest(under: nil) == .simd)
        #expect(FloatKernelPath.fastest(under: .neon) == .simd)
        #expect(Int8KernelPath.fastest(under: nil) == fastestInt8)
        #expect(Int8KernelPath.fastest(under: .neonDotProduct) == fastestInt8)
        #expect(Int8KernelPath.fastest(under: .neon) == .neon)
        #endif
    }
}
