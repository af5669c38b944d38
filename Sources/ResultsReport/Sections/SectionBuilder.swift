/// Turns the records of some types into one section of the report.
protocol SectionBuilder {
    /// The record types the section shows.
    static var recordTypes: [String] { get }
    /// The section of `runs`, each holding a record of `recordTypes` (never empty); `nil` when
    /// those records give nothing to show.
    static func section(runs: [RunGroup]) -> ReportSection?
}

extension SectionBuilder {
    /// The section, or `nil` when no run has a record of its types.
    static func section(for collection: ResultsCollection) -> ReportSection? {
        let runs = collection.runs(withAny: recordTypes)
        return runs.isEmpty ? nil : section(runs: runs)
    }
}

extension ReportCell {
    /// The cell of a run's label.
    static func run(_ run: RunGroup) -> ReportCell { ReportCell(run.label) }
}
