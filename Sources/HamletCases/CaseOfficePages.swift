import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletAccounts
import HamletOrganisations

/// The pages around the cases: a person's record (correction, consents, what is held about
/// them, printable), the counts officers read, the breach register and who works where.
package struct CaseOfficePages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped(NoStore()).grouped("cases")
        r.get("people", ":id", use: person)
        r.post("people", ":id", use: correct)
        r.post("people", ":id", "consents", use: consent)
        r.post("people", ":id", "consents", ":consent", "withdraw", use: withdraw)
        r.get("people", ":id", "print", use: print)
        r.get("people", ":id", "export", use: CaseAPI().subjectExport)
        r.get("figures", use: figures)
        r.get("breaches", use: breaches)
        r.post("breaches", use: addBreach)
        r.post("breaches", ":id", "notified", use: notified)
        r.get("staff", use: staff)
        r.post("staff", use: addStaff)
        r.post("staff", ":id", ":staff", "remove", use: removeStaff)
    }

    package struct PersonPage: Encodable {
        package var record: PersonRecord
        package var values: ServedPersonInput
        package var povertyOptions: [FormOption]
        package var categories: [FormOption]
        package var error: String?
        package var errorField: String?
        package var today: String

        package init(record: PersonRecord, values: ServedPersonInput, povertyOptions: [FormOption], categories: [FormOption],
                     error: String? = nil, errorField: String? = nil, today: String) {
            (self.record, self.values, self.povertyOptions, self.categories) = (record, values, povertyOptions, categories)
            (self.error, self.errorField, self.today) = (error, errorField, today)
        }
    }

    package func person(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        try await Audit.record(on: req, action: "read", entity: "served_person", entityID: p.id?.uuidString, scopePath: p.unitPath)
        return try await render(req, p, values: nil, error: nil)
    }

    package func render(_ req: Request, _ p: ServedPerson, values: ServedPersonInput?, error: HamletError?) async throws -> Response {
        let record = try await PersonRecord.build(p, on: req.db)
        let shown = values ?? ServedPersonInput(fullName: p.fullName, birthDate: p.birthDate.flatMap(DayDate.init)?.vietnamese, sex: p.sex, cccd: p.cccd, phone: p.phone,
                                                unitCode: p.unitCode, address: p.address, guardianName: p.guardianName, guardianRelation: p.guardianRelation,
                                                guardianPhone: p.guardianPhone, poverty: p.poverty, categories: p.categories)
        let categories = try await CaseCatalogue(db: req.db).items("category", offeredOnly: false)
        let page = PersonPage(record: record, values: shown, povertyOptions: CasePages.povertyLabels.map { FormOption(value: $0.0, label: $0.1, selected: $0.0 == (shown.poverty ?? "")) },
                              categories: categories.map { FormOption(value: $0.code, label: $0.name + ($0.sensitive ? " (nhạy cảm)" : ""), selected: (shown.categories ?? []).contains($0.code)) },
                              error: error?.message, errorField: error?.field, today: DayDate.today().vietnamese)
        return try await req.renderPage("cases/person", title: "Đối tượng", status: error?.status ?? .ok, nav: "cases", body: page)
    }

    package func correct(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        var input = try req.content.decode(ServedPersonInput.self)
        input.categories = input.categories ?? []; input.facilityId = nil; input.confirmNew = nil
        do {
            _ = try await req.servedPeople().correct(p, input)
            return req.redirect(to: "/cases/people/\(p.id!.uuidString)", notice: "saved")
        } catch let error as HamletError where error.field != nil || error.status == .conflict {
            return try await render(req, p, values: input, error: error)
        }
    }

    package struct ConsentForm: Content {
        package var givenOn: String?
        package var givenBy: String?
        package var relation: String?
        package var scope: [String]?
        package var childAgreed: String?
        package init(givenOn: String? = nil, givenBy: String? = nil, relation: String? = nil, scope: [String]? = nil,
                     childAgreed: String? = nil) {
            (self.givenOn, self.givenBy, self.relation, self.scope) = (givenOn, givenBy, relation, scope)
            self.childAgreed = childAgreed
        }
    }

    package func consent(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        let form = try req.content.decode(ConsentForm.self)
        do {
            _ = try await req.servedPeople().addConsent(p, ConsentInput(givenOn: form.givenOn, givenBy: form.givenBy, relation: form.relation, scope: form.scope ?? [],
                                                                         childAgreed: form.childAgreed == "on"))
            return req.redirect(to: "/cases/people/\(p.id!.uuidString)", notice: "saved")
        } catch let error as HamletError where error.field != nil {
            return try await render(req, p, values: nil, error: error)
        }
    }

    package func withdraw(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        guard let c = try await Consent.find(req.parameters.get("consent", as: UUID.self), on: req.db), c.personID == p.id else { throw HamletError.notFound }
        try await req.servedPeople().withdraw(c, p)
        return req.redirect(to: "/cases/people/\(p.id!.uuidString)", notice: "saved")
    }

    /// Everything held about the person, as a page to print and hand over.
    package func print(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        let export = try await SubjectExport.build(p, on: req.db)
        try await Audit.record(on: req, action: "export", entity: "served_person", entityID: p.id?.uuidString, scopePath: p.unitPath)
        return try await req.renderPage("cases/print", title: "Dữ liệu cá nhân đang lưu", nav: "cases", body: export)
    }

    /// The figures as text: a hidden count reads "< 5".
    package struct FiguresPage: Encodable {
        package struct Row: Encodable {
            package var name: String
            package var people: String
            package var services: String
            package init(name: String, people: String, services: String) {
                (self.name, self.people, self.services) = (name, people, services)
            }
        }
        package var title: String
        package var summary: [Row]
        package var byCategory: [Row]
        package var byService: [Row]
        package var byChild: [Row]
        package var facilities: [Row]
        package var rule: String?
        package var unit: String
        package var facility: String
        package var from: String
        package var to: String
        package var download: String

        package init(title: String, summary: [Row], byCategory: [Row], byService: [Row], byChild: [Row], facilities: [Row],
                     rule: String? = nil, unit: String, facility: String, from: String, to: String, download: String) {
            (self.title, self.summary, self.byCategory, self.byService) = (title, summary, byCategory, byService)
            (self.byChild, self.facilities, self.rule, self.unit) = (byChild, facilities, rule, unit)
            (self.facility, self.from, self.to, self.download) = (facility, from, to, download)
        }
    }

    package static func page(_ r: CaseFigures.Result, unit: String, facility: String, from: String, to: String, download: String) -> FiguresPage {
        func n(_ v: Int?) -> String { SmallCounts.text(v, format: VietnameseFormat.integer) }
        let completion = r.referralCompletion.map { " (" + VietnameseFormat.decimal($0, places: 1) + "%)" } ?? ""
        return FiguresPage(
            title: r.unitName + (r.facility.map { " — " + $0 } ?? ""),
            summary: [.init(name: "Số người được phục vụ", people: n(r.peopleServed), services: ""), .init(name: "Số lượt dịch vụ", people: n(r.services), services: ""),
                      .init(name: "Hồ sơ mở mới", people: n(r.casesOpened), services: ""), .init(name: "Hồ sơ đã đóng", people: n(r.casesClosed), services: ""),
                      .init(name: "Hồ sơ đang mở cuối kỳ", people: n(r.openAtEnd), services: ""),
                      .init(name: "Chuyển gửi / hoàn thành", people: n(r.referralsSent) + " / " + n(r.referralsCompleted) + completion, services: "")],
            byCategory: r.byCategory.map { .init(name: $0.name, people: n($0.people), services: "") },
            byService: r.byService.map { .init(name: $0.name, people: n($0.people), services: n($0.services)) },
            byChild: r.byChild.map { .init(name: $0.name, people: n($0.people), services: n($0.services)) },
            facilities: r.facilities.map { .init(name: $0.name, people: n($0.open), services: n($0.overdueFollowUps)) },
            rule: r.rule, unit: unit, facility: facility, from: from, to: to, download: download)
    }

    package func figures(req: Request) async throws -> Response {
        let r = try await CaseAdminAPI.figures(req)
        if req.query[String.self, at: "format"] != nil {
            let format = try TableDownload.format(req)
            return try TableDownload.response(CaseFigures.sheet(r), format: format, name: "cong-tac-xa-hoi-\(r.unitCode)")
        }
        let from = DayDate(r.from)!.vietnamese, to = DayDate(r.to)!.vietnamese
        let facility = req.query[String.self, at: "facility"] ?? ""
        let query = "unit=\(r.unitCode == AccessScope.nationCode ? "" : r.unitCode)&facility=\(facility)&from=\(from)&to=\(to)"
        return try await req.renderPage("cases/figures", title: "Số liệu công tác xã hội", nav: "cases",
                                        body: Self.page(r, unit: req.query["unit"] ?? "", facility: facility, from: from, to: to, download: "/cases/figures?\(query)&format="))
    }

    package struct BreachPage: Encodable {
        package var rows: [BreachRow]
        package var error: String?
        package var errorField: String?
        package var values: BreachForm
        package init(rows: [BreachRow], error: String? = nil, errorField: String? = nil, values: BreachForm) {
            (self.rows, self.error, self.errorField, self.values) = (rows, error, errorField, values)
        }
    }
    package struct BreachForm: Content {
        package var discoveredAt: String?
        package var description: String?
        package var peopleAffected: String?
        package var dataKinds: String?
        package var measures: String?
        package init(discoveredAt: String? = nil, description: String? = nil, peopleAffected: String? = nil,
                     dataKinds: String? = nil, measures: String? = nil) {
            (self.discoveredAt, self.description, self.peopleAffected, self.dataKinds) = (discoveredAt, description, peopleAffected, dataKinds)
            self.measures = measures
        }
    }

    package func breaches(req: Request) async throws -> Response { try await renderBreaches(req, BreachForm(), error: nil) }

    package func renderBreaches(_ req: Request, _ values: BreachForm, error: HamletError?) async throws -> Response {
        let rows = try await CaseAdminAPI().breaches(req: req)
        return try await req.renderPage("cases/breaches", title: "Sổ sự cố dữ liệu cá nhân", status: error?.status ?? .ok, nav: "cases",
                                        body: BreachPage(rows: rows, error: error?.message, errorField: error?.field, values: values))
    }

    package func addBreach(req: Request) async throws -> Response {
        let user = try CaseAdminAPI.requireBreachKeeper(req)
        let form = try req.content.decode(BreachForm.self)
        do {
            var when: Date? = nil
            if let raw = form.discoveredAt, !raw.isEmpty {
                let parts = raw.split(separator: " ")
                guard let day = DayDate(String(parts[0])) else { throw HamletError.invalid("discoveredAt", "Thời điểm phát hiện viết dd/MM/yyyy HH:mm.") }
                let hm = parts.count > 1 ? parts[1].split(separator: ":").compactMap { Int($0) } : [0, 0]
                var c = DateComponents(); c.year = day.year; c.month = day.month; c.day = day.day; c.hour = hm.first ?? 0; c.minute = hm.count > 1 ? hm[1] : 0
                var calendar = Calendar(identifier: .gregorian); calendar.timeZone = VietnameseFormat.vietnam
                when = calendar.date(from: c)
            }
            guard let n = Int(form.peopleAffected ?? "") else { throw HamletError.invalid("peopleAffected", "Số người bị ảnh hưởng là số (ước tính nếu chưa rõ).") }
            let b = try BreachBook.make(BreachInput(discoveredAt: when, description: form.description, peopleAffected: n, dataKinds: form.dataKinds, measures: form.measures), by: user)
            try await BreachBook.save(b, action: "create", by: req.currentUser, ip: req.clientIP, on: req.db)
            return req.redirect(to: "/cases/breaches", notice: "saved")
        } catch let error as HamletError where error.field != nil {
            return try await renderBreaches(req, form, error: error)
        }
    }

    package func notified(req: Request) async throws -> Response {
        _ = try await CaseAdminAPI().notified(req: req)
        return req.redirect(to: "/cases/breaches", notice: "saved")
    }

    package struct StaffPage: Encodable {
        package struct Member: Encodable {
            package var id: String
            package var name: String
            package var username: String
            package var duty: String
            package init(id: String, name: String, username: String, duty: String) {
                (self.id, self.name, self.username, self.duty) = (id, name, username, duty)
            }
        }
        package struct Past: Encodable {
            package var name: String
            package var duty: String
            package var added: String
            package var addedBy: String
            package var reason: String
            package var removed: String
            package var removedBy: String
            package var removalReason: String
            package init(name: String, duty: String, added: String, addedBy: String, reason: String, removed: String,
                         removedBy: String, removalReason: String) {
                (self.name, self.duty, self.added, self.addedBy) = (name, duty, added, addedBy)
                (self.reason, self.removed, self.removedBy, self.removalReason) = (reason, removed, removedBy, removalReason)
            }
        }
        package struct Facility: Encodable {
            package var id: String
            package var name: String
            package var staff: [Member]
            package var canManage: Bool
            package var history: [Past]
            package init(id: String, name: String, staff: [Member], canManage: Bool, history: [Past]) {
                (self.id, self.name, self.staff, self.canManage) = (id, name, staff, canManage)
                self.history = history
            }
        }
        package var facilities: [Facility]
        package var error: String?
        package var errorField: String?
        package var errorFacility: String?

        package init(facilities: [Facility], error: String? = nil, errorField: String? = nil, errorFacility: String? = nil) {
            (self.facilities, self.error, self.errorField, self.errorFacility) = (facilities, error, errorField, errorFacility)
        }
    }

    package static func dutyLabel(_ duty: String) -> String {
        duty == "manager" ? English.pick("quản lý", "manager") : duty == "supervisor" ? English.pick("giám sát", "supervisor") : English.pick("nhân viên", "caseworker")
    }

    package func staff(req: Request) async throws -> Response { try await renderStaff(req, error: nil, facility: nil) }

    /// Who works where; a facility's managers and administrators also see who was added or
    /// removed, by whom and why, and change it.
    package func renderStaff(_ req: Request, error: HamletError?, facility failed: UUID?) async throws -> Response {
        let scope = req.scope
        let user = try req.requireUser()
        let facilities = try await OrganisationChoices(db: req.db).list(.facility, under: scope.path, limit: 300)
        let rows = try await StaffService.active(at: facilities.map { $0.id! }, on: req.db)
        let users = try await Accounts(db: req.db).byID(rows.map(\.userID))
        let service = StaffService(db: req.db, actor: user, ip: req.clientIP)
        var shown: [StaffPage.Facility] = []
        for f in facilities {
            let manage = try await service.mayManage(f)
            let history = manage ? try await StaffService.history(of: f, on: req.db).map { h in
                StaffPage.Past(name: "\(h.name) (\(h.username))", duty: Self.dutyLabel(h.duty), added: h.addedAt.map { VietnameseFormat.dateTime($0) } ?? "",
                               addedBy: h.addedBy ?? "", reason: h.reason ?? "", removed: h.removedAt.map { VietnameseFormat.dateTime($0) } ?? "",
                               removedBy: h.removedBy ?? "", removalReason: h.removalReason ?? "")
            } : []
            shown.append(.init(id: f.id!.uuidString, name: f.name, staff: rows.filter { $0.facilityID == f.id }.compactMap { s in
                users[s.userID].map { StaffPage.Member(id: s.id!.uuidString, name: $0.displayName, username: $0.username, duty: Self.dutyLabel(s.duty)) }
            }, canManage: manage, history: history))
        }
        let page = StaffPage(facilities: shown, error: error?.message, errorField: error?.field, errorFacility: failed?.uuidString)
        return try await req.renderPage("cases/staff", title: "Nhân sự các cơ sở", status: error?.status ?? .ok, nav: "cases", body: page)
    }

    package struct StaffForm: Content {
        package var facilityId: UUID?
        package var username: String?
        package var duty: String?
        package var reason: String?
        package init(facilityId: UUID? = nil, username: String? = nil, duty: String? = nil, reason: String? = nil) {
            (self.facilityId, self.username, self.duty, self.reason) = (facilityId, username, duty, reason)
        }
    }

    package func addStaff(req: Request) async throws -> Response {
        let form = try req.content.decode(StaffForm.self)
        req.parameters.set("id", to: form.facilityId?.uuidString ?? "")
        do {
            _ = try await CaseAdminAPI().addStaff(req: req)
            return req.redirect(to: "/cases/staff", notice: "saved")
        } catch let error as HamletError where error.field != nil {
            return try await renderStaff(req, error: error, facility: form.facilityId)
        }
    }

    package func removeStaff(req: Request) async throws -> Response {
        let form = try req.content.decode(StaffForm.self)
        let facility = try await CaseAdminAPI.facility(req)
        guard let row = try await FacilityStaff.find(req.parameters.get("staff", as: UUID.self), on: req.db), row.facilityID == facility.id else { throw HamletError.notFound }
        do {
            try await StaffService(db: req.db, actor: try req.requireUser(), ip: req.clientIP).remove(row, from: facility, reason: form.reason)
            return req.redirect(to: "/cases/staff", notice: "saved")
        } catch let error as HamletError where error.field != nil {
            return try await renderStaff(req, error: error, facility: facility.id)
        }
    }
}
