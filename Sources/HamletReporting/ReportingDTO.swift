import Vapor
import HamletKit
import HamletWeb
import HamletAccounts

package struct CategoryDTO: Content {
    package var id: UUID?
    package var code: String
    package var name: String
    package var options: [DataCategory.Option]
    package var owner: String
    package init(_ c: DataCategory) { id = c.id; code = c.code; name = c.name; options = c.options; owner = CatalogueOwner.code(c.ownerPath) }
}

package struct ElementDTO: Content {
    package var id: UUID?
    package var code: String
    package var name: String
    package var shortName: String
    package var valueType: String
    package var valueTypeLabel: String
    package var aggregation: String
    package var categories: [String]
    package var description: String?
    package var owner: String
    package var minimum: Double?
    package var maximum: Double?
    package init(_ e: DataElement) {
        minimum = e.minimum; maximum = e.maximum
        owner = CatalogueOwner.code(e.ownerPath)
        id = e.id; code = e.code; name = e.name; shortName = e.shortName; valueType = e.valueType; valueTypeLabel = e.type.label
        aggregation = e.aggregation; categories = e.categoryCodes; description = e.details
    }
}

package struct DataSetDTO: Content {
    package struct Item: Content {
        package var element: String
        package var name: String
        package var section: String
        package init(element: String, name: String, section: String) {
            (self.element, self.name, self.section) = (element, name, section)
        }
    }
    package struct Rule: Content {
        package var rule: ValidationRule
        package var text: String
        package init(rule: ValidationRule, text: String) {
            self.rule = rule
            self.text = text
        }
    }
    package var id: UUID?
    package var code: String
    package var name: String
    package var periodicity: String
    package var periodicityLabel: String
    package var levels: [String]
    package var facilityTypes: [String]
    package var dueDays: Int?
    package var dueDay: Int?
    package var dueMonth: Int?
    package var dueLabel: String
    package var cutoffDay: Int?
    package var elements: [Item]
    package var rules: [Rule]
    package var owner: String
    package var remindDays: Int
    package var closeDays: Int?

    package init(_ s: DataSet, elements rows: [DataSetElement]) {
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
package struct ReportDTO: Content {
    package struct Value: Content {
        package var dataElement: String
        package var categoryOptionCombo: String
        package var value: String
        package init(dataElement: String, categoryOptionCombo: String, value: String) {
            (self.dataElement, self.categoryOptionCombo, self.value) = (dataElement, categoryOptionCombo, value)
        }
    }
    package struct Warning: Content {
        package var field: String
        package var message: String
        package init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }
    package var dataSet: String
    package var orgUnit: String
    package var orgUnitName: String
    package var period: String
    package var periodLabel: String
    package var status: String
    package var statusLabel: String
    package var version: Int
    package var dueDate: String
    package var timeliness: String
    package var timelinessLabel: String
    package var firstSubmittedOn: String?
    package var comment: String?
    package var locked: Bool
    package var replayed: Bool
    package var values: [Value]
    package var warnings: [Warning]
    /// The level above approved the data of this unit (code), by whom and when: the report stays locked until it undoes that.
    package var approvedAbove: ApprovedAbove? = nil
    package struct ApprovedAbove: Content {
        package var unitCode: String
        package var by: String
        package var on: String
        package init(unitCode: String, by: String, on: String) {
            (self.unitCode, self.by, self.on) = (unitCode, by, on)
        }
    }
    /// Who was reminded of this report, how and when (on a read of the report only).
    package var reminders: [ReminderDTO]? = nil

    package init(_ s: ReportState, today: DayDate = .today()) {
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
