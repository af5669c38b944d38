import CProc2

/// The live-system backend over libproc2 (procps-ng 4): `procps_stat_reap` for tick counters and
/// `procps_meminfo_select` for memory. Both re-read their `/proc` file on every call.
///
/// libproc2 keeps unlocked state in its `*_info` handles (and some process-wide statics): an
/// instance belongs to the one thread that created it and must only be used from there.
public final class Proc2Backend: SystemStatsBackend {
    private var statInfo: OpaquePointer?
    private var meminfoInfo: OpaquePointer?
    private let statItems: UnsafeMutablePointer<stat_item>
    private let meminfoItems: UnsafeMutablePointer<meminfo_item>

    /// The order of `statItems`; `StatSlot.user.rawValue` is the user counter's index in a stack.
    private enum StatSlot: Int, CaseIterable {
        case id, user, nice, system, idle, iowait, irq, softirq, steal
    }

    private static let statItemList: [stat_item] = [
        STAT_TIC_ID, STAT_TIC_USER, STAT_TIC_NICE, STAT_TIC_SYSTEM, STAT_TIC_IDLE,
        STAT_TIC_IOWAIT, STAT_TIC_IRQ, STAT_TIC_SOFTIRQ, STAT_TIC_STOLEN,
    ]
    private static let meminfoItemList: [meminfo_item] = [
        MEMINFO_MEM_TOTAL, MEMINFO_MEM_AVAILABLE, MEMINFO_SWAP_TOTAL, MEMINFO_SWAP_FREE,
    ]

    /// Opens libproc2's stat and meminfo handles (`procps_stat_new`, `procps_meminfo_new`).
    /// - Throws: `SystemStatsError.unreadable` when libproc2 cannot read `/proc`.
    public init() throws(SystemStatsError) {
        statItems = .allocate(capacity: Self.statItemList.count)
        statItems.initialize(from: Self.statItemList, count: Self.statItemList.count)
        meminfoItems = .allocate(capacity: Self.meminfoItemList.count)
        meminfoItems.initialize(from: Self.meminfoItemList, count: Self.meminfoItemList.count)
        let statStatus = procps_stat_new(&statInfo)
        let meminfoStatus = procps_meminfo_new(&meminfoInfo)
        guard statStatus >= 0, meminfoStatus >= 0 else {
            throw .unreadable(source: "libproc2", reason: "procps_stat_new/procps_meminfo_new failed")
        }
    }

    deinit {
        if statInfo != nil { procps_stat_unref(&statInfo) }
        if meminfoInfo != nil { procps_meminfo_unref(&meminfoInfo) }
        statItems.deallocate()
        meminfoItems.deallocate()
    }

    /// `"libproc2"`.
    public var name: String { "libproc2" }

    /// Reads `/proc/stat` through `procps_stat_reap(STAT_REAP_CPUS_ONLY)`.
    public func cpuTicks() throws(SystemStatsError) -> CPUTickSnapshot {
        guard let reaped = procps_stat_reap(
            statInfo, STAT_REAP_CPUS_ONLY, statItems, Int32(Self.statItemList.count)),
            let summary = reaped.pointee.summary
        else {
            throw .unreadable(source: "/proc/stat", reason: "procps_stat_reap failed")
        }
        var cores: [CoreTicks] = []
        if let cpus = reaped.pointee.cpus, let stacks = cpus.pointee.stacks {
            cores.reserveCapacity(Int(cpus.pointee.total))
            for index in 0..<Int(cpus.pointee.total) {
                guard let stack = stacks[index] else { continue }
                let id = Int(CProc2_stat_val_sint(stack, Int32(StatSlot.id.rawValue)))
                cores.append(CoreTicks(id: id, ticks: Self.ticks(stack)))
            }
        }
        cores.sort { $0.id < $1.id }
        return CPUTickSnapshot(total: Self.ticks(summary), cores: cores)
    }

    /// Reads `/proc/meminfo` through `procps_meminfo_select` (KiB there, bytes here).
    public func memory() throws(SystemStatsError) -> MemoryFigures {
        guard let stack = procps_meminfo_select(meminfoInfo, meminfoItems, Int32(Self.meminfoItemList.count)) else {
            throw .unreadable(source: "/proc/meminfo", reason: "procps_meminfo_select failed")
        }
        func bytes(_ index: Int32) -> UInt64 { UInt64(CProc2_meminfo_val_ul(stack, index)) * 1024 }
        return MemoryFigures(totalBytes: bytes(0), availableBytes: bytes(1), swapTotalBytes: bytes(2), swapFreeBytes: bytes(3))
    }

    // MARK: - Stack access

    private static func ticks(_ stack: UnsafeMutablePointer<stat_stack>) -> CPUTicks {
        func value(_ slot: StatSlot) -> UInt64 { UInt64(CProc2_stat_val_ull(stack, Int32(slot.rawValue))) }
        return CPUTicks(
            user: value(.user), nice: value(.nice), system: value(.system), idle: value(.idle),
            iowait: value(.iowait), irq: value(.irq), softirq: value(.softirq), steal: value(.steal))
    }
}
