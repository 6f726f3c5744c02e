import Vapor
import HamletKit
import HamletWeb
import HamletUnits

/// `/reports/pivot`: a form's numbers for the child units of a unit over a span of periods, one
/// column per element and period, with XLSX and CSV downloads of the same table.
extension ReportPages {
    package struct PivotPage: Encodable {
        package struct Group: Encodable {
            package var label: String
            package var span: Int
            package init(label: String, span: Int) {
                self.label = label
                self.span = span
            }
        }
        package struct Line: Encodable {
            package var code: String
            package var name: String
            package var link: String?
            package var cells: [String]
            package init(code: String, name: String, link: String? = nil, cells: [String]) {
                (self.code, self.name, self.link, self.cells) = (code, name, link, cells)
            }
        }
        package var forms: [FormOption]
        package var unit: String
        package var from: String
        package var to: String
        package var by: [FormOption]
        package var split: Bool
        package var title: String
        package var groups: [Group]
        package var labels: [String]
        package var lines: [Line]
        package var total: Line?
        package var download: String
        package var rule: String
        package var error: String?
        package var errorField: String?
        /// A span before the reform: which map the rows follow, and a link to the other.
        package var map: String = ""
        package var mapNote: String? = nil
        package var mapLink: String? = nil
        package var mapLinkLabel: String? = nil

        package init(forms: [FormOption], unit: String, from: String, to: String, by: [FormOption], split: Bool, title: String,
                     groups: [Group], labels: [String], lines: [Line], total: Line? = nil, download: String, rule: String,
                     error: String? = nil, errorField: String? = nil, map: String = "", mapNote: String? = nil,
                     mapLink: String? = nil, mapLinkLabel: String? = nil) {
            (self.forms, self.unit, self.from, self.to) = (forms, unit, from, to)
            (self.by, self.split, self.title, self.groups) = (by, split, title, groups)
            (self.labels, self.lines, self.total, self.download) = (labels, lines, total, download)
            (self.rule, self.error, self.errorField, self.map) = (rule, error, errorField, map)
            (self.mapNote, self.mapLink, self.mapLinkLabel) = (mapNote, mapLink, mapLinkLabel)
        }

    }

    package static let pivotSteps: [(String, String)] = [("span", "Cả khoảng"), ("monthly", "Tháng"), ("quarterly", "Quý"), ("six-monthly", "6 tháng"), ("yearly", "Năm")]

    package func pivot(req: Request) async throws -> Response {
        if let answer = try await unitByName(req, heading: "Tổng hợp số liệu") { return answer }
        let sets = try await DataSet.query(on: req.db).sort(\.$name).all()
        guard let first = sets.first else { return req.redirect(to: "/reports/catalogue", notice: "no_forms") }
        let code = req.query[String.self, at: "set"].flatMap { $0.isEmpty ? nil : $0.uppercased() } ?? first.code
        let by = req.query[String.self, at: "by"] ?? "span", split = req.query[String.self, at: "split"] == "combos"
        var page = PivotPage(forms: sets.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == code) }, unit: req.query["unit"] ?? "",
                             from: req.query["from"] ?? "", to: req.query["to"] ?? "", by: Self.pivotSteps.map { FormOption(value: $0.0, label: $0.1, selected: $0.0 == by) },
                             split: split, title: "", groups: [], labels: [], lines: [], total: nil, download: "", rule: ReportTotals.legacyRule,
                             map: req.query[String.self, at: "map"] ?? "")
        do {
            let r = try await ReportPivot.run(req, form: code)
            if req.query[String.self, at: "format"] != nil {
                let format = try TableDownload.format(req)
                return try TableDownload.response(ReportPivot.sheet(r), format: format, name: "tong-hop-\(r.dataSet)-\(r.unitCode)-\(r.from)-\(r.to)")
            }
            page.title = "\(r.dataSetName) — \(r.unitName)"
            page.from = r.from; page.to = r.to
            for c in r.columns {
                if let last = page.groups.last, last.label == c.elementName, page.labels.count > 0 { page.groups[page.groups.count - 1].span += 1 } else { page.groups.append(.init(label: c.elementName, span: 1)) }
                page.labels.append([c.comboName, c.periodLabel].compactMap { $0 }.joined(separator: " — "))
            }
            let plain = "set=\(r.dataSet)&from=\(r.from)&to=\(r.to)&by=\(by)" + (split ? "&split=combos" : "")
            let query = plain + (page.map == UnitMap.current.rawValue ? "&map=2025" : "")
            func cells(_ values: [Double?]) -> [String] { values.map { $0.map { VietnameseFormat.decimal($0, places: $0 == $0.rounded() ? 0 : 1) } ?? "" } }
            // A row links one level down, while there is a level below (hamlets are the last).
            let drills = r.rowLevel != UnitLevel.hamlet.rawValue
            // A unit of the time is no 2025 unit to open: its line has no link.
            page.lines = r.rows.map { PivotPage.Line(code: $0.code, name: $0.name, link: drills && $0.code != r.unitCode && $0.structure != UnitStructure.legacy.rawValue
                                                     ? "/reports/pivot?\(query)&unit=\($0.code)" : nil, cells: cells($0.values)) }
            page.rule = r.rule
            let here = "/reports/pivot?\(plain)&unit=\(r.unitCode == AccessScope.nationCode ? "" : r.unitCode)"
            if r.map == UnitMap.ofTheTime.rawValue {
                page.mapNote = English.say("Kỳ trước 01/07/2025: các dòng là huyện, xã của thời đó (cấu trúc ngày 30/06/2025).")
                (page.mapLink, page.mapLinkLabel) = (here + "&map=2025", English.say("Xem theo đơn vị năm 2025"))
            } else if r.map == UnitMap.current.rawValue, page.map == UnitMap.current.rawValue {
                page.mapNote = English.say("Các dòng là đơn vị hành chính năm 2025.")
                (page.mapLink, page.mapLinkLabel) = (here, English.say("Xem theo đơn vị của thời đó"))
            }
            page.total = PivotPage.Line(code: r.total.code, name: r.total.name, link: nil, cells: cells(r.total.values))
            page.download = "/reports/pivot?\(query)&unit=\(r.unitCode == AccessScope.nationCode ? "" : r.unitCode)&format="
        } catch let error as HamletError where error.field != nil {
            page.error = error.message; page.errorField = error.field
            return try await req.renderPage("reporting/pivot", title: "Tổng hợp số liệu", status: error.status, nav: "reports", body: page)
        }
        return try await req.renderPage("reporting/pivot", title: "Tổng hợp số liệu — " + page.title, nav: "reports", body: page)
    }
}
