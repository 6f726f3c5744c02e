import Vapor
import HamletKit
import HamletWeb
import HamletAccounts

struct CategoryDTO: Content {
    var id: UUID?; var code: String; var name: String; var options: [DataCategory.Option]; var owner: String
    init(_ c: DataCategory) { id = c.id; code = c.code; name = c.name; options = c.options; owner = CatalogueOwner.code(c.ownerPath) }
}

struct ElementDTO: Content {
    var id: UUID?; var code: String; var name: String; var shortName: String; var valueType: String; var valueTypeLabel: String
    var aggregation: String; var categories: [String]; var description: String?; var owner: String
    var minimum: Double?; var maximum: Double?
    init(_ e: DataElement) {
        minimum = e.minimum; maximum = e.maximum
        owner = CatalogueOwner.code(e.ownerPath)
        id = e.id; code = e.code; name = e.name; shortName = e.shortName; valueType = e.valueType; valueTypeLabel = e.type.label
        aggregation = e.aggregation; categories = e.categoryCodes; description = e.details
    }
}

struct DataSetDTO: Content {
    struct Item: Content { var element: String; var name: String; var section: String }
    struct Rule: Content { var rule: ValidationRule; var text: String }
    var id: UUID?; var code: String; var name: String; var periodicity: String; var periodicityLabel: String
    var levels: [String]; var facilityTypes: [String]; var dueDays: Int?; var dueDay: Int?; var dueMonth: Int?; var dueLabel: String
    var cutoffDay: Int?; var elements: [Item]; var rules: [Rule]; var owner: String
    var remindDays: Int; var closeDays: Int?

    init(_ s: DataSet, elements rows: [DataSetElement]) {
        owner = CatalogueOwner.code(s.ownerPath)
        id = s.id; code = s.code; name = s.name; periodicity = s.periodicity; periodicityLabel = s.frequency.label
        levels = s.levels.map(\.rawValue); facilityTypes = s.facilityTypes; dueDays = s.dueDays; dueDay = s.dueDay; dueMonth = s.dueMonth
        dueLabel = s.dueLabel; cutoffDay = s.cutoffDay; remindDays = s.remindDays ?? ReminderRun.defaultLead; closeDays = s.closeDays
        elements = rows.map { Item(element: $0.element.code, name: $0.element.name, section: $0.section) }
        let names = Dictionary(rows.map { ($0.element.code, $0.element.name) }, uniquingKeysWith: { a, _ in a })
        rules = s.rules.map { Rule(rule: $0, text: $0.describe { names[$0] ?? $0 }) }
    }
}

/// A report as the API gives it: DHIS2's value layout, plus where the report stands.
struct ReportDTO: Content {
    struct Value: Content { var dataElement: String; var categoryOptionCombo: String; var value: String }
    struct Warning: Content { var field: String; var message: String }
    var dataSet: String; var orgUnit: String; var orgUnitName: String; var period: String; var periodLabel: String
    var status: String; var statusLabel: String; var version: Int; var dueDate: String; var timeliness: String; var timelinessLabel: String
    var firstSubmittedOn: String?; var comment: String?; var locked: Bool; var replayed: Bool
    var values: [Value]; var warnings: [Warning]
    /// The level above approved the data of this unit (code), by whom and when: the report stays locked until it undoes that.
    var approvedAbove: ApprovedAbove? = nil
    struct ApprovedAbove: Content { var unitCode: String; var by: String; var on: String }
    /// Who was reminded of this report, how and when (on a read of the report only).
    var reminders: [ReminderDTO]? = nil

    init(_ s: ReportState, today: DayDate = .today()) {
        dataSet = s.form.set.code; orgUnit = s.place.code; orgUnitName = s.place.name; period = s.period.id; periodLabel = s.period.label
        status = s.status?.rawValue ?? "none"; statusLabel = s.status?.label ?? "Chưa nhập"; version = s.version; dueDate = s.due.iso
        let t = Timeliness.of(status: s.status, submittedOn: s.report?.firstSubmittedOn.flatMap(DayDate.init), due: s.due, today: today)
        timeliness = t.rawValue; timelinessLabel = t.label
        firstSubmittedOn = s.report?.firstSubmittedOn; comment = s.report?.comment; locked = s.status == .approved; replayed = s.replayed
        values = s.form.cells.compactMap { cell in s.values[cell.field].map { Value(dataElement: cell.element.code, categoryOptionCombo: cell.combo, value: $0.value) } }
        warnings = s.warnings.map { Warning(field: $0.field, message: English.say($0.message)) }
        approvedAbove = s.heldBy.map { ApprovedAbove(unitCode: $0.unitCode, by: $0.approvedBy, on: $0.approvedOn) }
        if s.heldBy != nil { locked = true }
    }
}
