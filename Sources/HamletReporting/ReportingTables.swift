import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum ReportingTables {
    package static var migrations: [any Migration] {
        [
            CreateReportingCatalogue(), CreateReports(), NumberDataValues(), IndexReportsByUnit(), CreateValueSums(), SumsPerStatement(),
            PausableSums(), KeepValueElements(), BoundDataElements(), CreateReminders(), CreateReportApprovals(), ValueVersions(),
        ]
    }
}
