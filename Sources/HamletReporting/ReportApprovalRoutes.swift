import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

extension Request {
    package func reportApprovals() -> ReportApprovals { ReportApprovals(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }
}

/// The level above approves a unit's data of a form for a period:
/// `GET /api/v1/reports/:set/approvals?period=` (the units the account approves, with their counts),
/// `POST|DELETE /api/v1/reports/:set/approvals/:unit/:period`, and the page `/reports/approvals`.
package struct ReportApprovalRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) { self.api = api }

    package func boot(routes: any RoutesBuilder) throws {
        if api {
            routes.get("reports", ":set", "approvals", use: list)
            routes.post("reports", ":set", "approvals", ":unit", ":period", use: { try await Self.change($0, approve: true) })
            routes.delete("reports", ":set", "approvals", ":unit", ":period", use: { try await Self.change($0, approve: false) })
        } else {
            routes.get("reports", "approvals", use: page)
            routes.post("reports", "approvals", use: changePage)
        }
    }

    /// The units just below the account's own, each with where its data stands for the period.
    package static func units(_ req: Request, _ set: DataSet, _ period: Period) async throws -> [UnitApprovalDTO] {
        let children = try await OpenUnits.children(of: req.scope.code, on: req.db).prefix(500)
        var out: [UnitApprovalDTO] = []
        for unit in children where unit.level != .hamlet { out.append(try await req.reportApprovals().status(set, unit, period)) }
        return out
    }

    package func list(req: Request) async throws -> [UnitApprovalDTO] {
        let set = try await req.reports().dataSet(req.parameters.get("set"))
        return try await Self.units(req, set, try req.reports().period(req.query["period"], for: set, today: req.today))
    }

    package static func change(_ req: Request, approve: Bool) async throws -> UnitApprovalDTO {
        let set = try await req.reports().dataSet(req.parameters.get("set"))
        let period = try req.reports().period(req.parameters.get("period"), for: set, today: req.today)
        let unit = try await UnitDirectory(db: req.db, scope: req.scope).requireEditable(req.parameters.get("unit") ?? "")
        if approve { try await req.reportApprovals().approve(set, unit, period) } else { try await req.reportApprovals().undo(set, unit, period) }
        return try await req.reportApprovals().status(set, unit, period)
    }

    /// `link`: a district of the time opens its communes.
    package struct Row: Encodable {
        package var unit: UnitApprovalDTO
        package var state: String
        package var link: String? = nil
        package init(unit: UnitApprovalDTO, state: String, link: String? = nil) {
            (self.unit, self.state, self.link) = (unit, state, link)
        }
    }
    package struct Page: Encodable {
        package var sets: [FormOption]
        package var period: String
        package var set: String
        package var rows: [Row]
        package var error: String?
        /// A period before the reform, approved over the units of the time (a district when given).
        package var legacy: Bool = false
        package var district: String? = nil

        package init(sets: [FormOption], period: String, set: String, rows: [Row], error: String? = nil, legacy: Bool = false,
                     district: String? = nil) {
            (self.sets, self.period, self.set, self.rows) = (sets, period, set, rows)
            (self.error, self.legacy, self.district) = (error, legacy, district)
        }
    }

    package func page(req: Request) async throws -> Response { try await render(req, error: nil) }

    package func render(_ req: Request, error: HamletError?) async throws -> Response {
        let sets = try await req.reportingCatalogue().dataSets()
        let code = req.query["set"] ?? sets.first?.code ?? ""
        var rows: [Row] = [], periodID = req.query["period"] ?? "", legacy = false
        let district = (req.query["district"] as String?).flatMap { $0.isEmpty ? nil : $0 }
        if let set = sets.first(where: { $0.code == code }), let period = try? req.reports().period(periodID.isEmpty ? nil : periodID, for: set, today: req.today) {
            periodID = period.id
            legacy = LegacyApprovals.applies(period) && req.scope.path.split(separator: ".").count <= 1 && !req.scope.isNation
            let units = legacy ? try await LegacyApprovalRoutes.units(req, set, period, district: district) : try await Self.units(req, set, period)
            rows = units.map { u in
                Row(unit: u, state: u.approved ? English.say("Đã duyệt") : u.reports == 0 ? English.say(legacy ? "Chưa có số liệu" : "Chưa có báo cáo")
                    : u.approvedReports == u.reports ? English.say("Cấp dưới đã duyệt hết") : English.say("Còn báo cáo chưa duyệt"),
                    link: legacy && district == nil ? "/reports/approvals?set=\(set.code)&period=\(period.id)&district=\(u.unitCode)" : nil)
            }
        }
        return try await req.renderPage("reporting/approvals", title: English.say("Duyệt số liệu theo đơn vị"), status: error?.status ?? .ok, nav: "reports", body: Page(
            sets: sets.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == code) }, period: periodID, set: code, rows: rows, error: error?.message,
            legacy: legacy, district: district))
    }

    package struct Form: Content {
        package var set: String?
        package var unit: String?
        package var period: String?
        package var action: String?
        package var legacy: String?
        package var district: String?
        package init(set: String? = nil, unit: String? = nil, period: String? = nil, action: String? = nil, legacy: String? = nil,
                     district: String? = nil) {
            (self.set, self.unit, self.period, self.action) = (set, unit, period, action)
            (self.legacy, self.district) = (legacy, district)
        }
    }

    package func changePage(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let set = try await req.reports().dataSet(form.set)
        let period = try req.reports().period(form.period, for: set, today: req.today)
        let back = "set=\(set.code)&period=\(period.id)" + (form.district.map { $0.isEmpty ? "" : "&district=" + $0 } ?? "")
        do {
            if form.legacy == "1" {
                let service = req.legacyApprovals(), unit = try await service.unit(form.unit ?? "")
                if form.action == "undo" { try await service.undo(set, unit, period) } else { try await service.approve(set, unit, period) }
            } else {
                let unit = try await UnitDirectory(db: req.db, scope: req.scope).requireEditable(form.unit ?? "")
                if form.action == "undo" { try await req.reportApprovals().undo(set, unit, period) } else { try await req.reportApprovals().approve(set, unit, period) }
            }
        } catch let error as HamletError where error.status == .conflict {
            req.url.query = back
            return try await render(req, error: error)
        }
        return req.redirect(to: "/reports/approvals?" + back, notice: "saved")
    }
}
