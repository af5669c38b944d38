/// `edgeprobe report`: edgeprobe's JSON lines of any mix of runs and hosts turned into one
/// document: a summary of the runs, then one section per kind of result found.
public enum ResultsReport {
    /// The sections in page order.
    static var builders: [any SectionBuilder.Type] {
        [BenchSection.self, ComparisonSection.self, SoakSection.self, SampleSection.self, SensorsSection.self,
         CompressionSection.self, LatencySection.self, LookupTableSection.self]
    }

    /// Record types the summary shows (run and agent start/end are part of the runs table).
    static let summaryTypes: Set<String> = ["run_start", "run_end"]

    /// Builds the document for `collection`.
    public static func document(for collection: ResultsCollection, title: String = "edgeprobe report") -> ReportDocument {
        var sections = builders.compactMap { $0.section(for: collection) }
        let known = summaryTypes.union(builders.flatMap { $0.recordTypes })
        if let unknown = UnknownSection.section(for: collection, known: known) { sections.append(unknown) }
        return ReportDocument(title: title, runs: RunSummary.table(collection), warnings: RunSummary.warnings(collection), sections: sections)
    }
}
