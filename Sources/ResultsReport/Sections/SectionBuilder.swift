/// Turns the records of some types into one section of the report.
protocol SectionBuilder {
    /// The record types the section shows.
    static var recordTypes: [String] { get }
    /// The section, or `nil` when no run has a record of its types.
    static func section(for collection: ResultsCollection) -> ReportSection?
}

extension ReportCell {
    /// The cell of a run's label.
    static func run(_ run: RunGroup) -> ReportCell { ReportCell(run.label) }
}
