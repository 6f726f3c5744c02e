import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletOrganisations

/// The caseworker's pages: my cases, a new case (the person first, with the duplicate check),
/// and one case with a form for each thing done on it. Every page is read through the circle
/// and audited; forms post back here with CSRF and come back with the error by field.
package struct CasePages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped(NoStore()).grouped("cases")
        r.get(use: index)
        r.post("break-glass", use: breakGlass)
        r.get("new", use: newCase)
        r.post("new", use: createCase)
        r.get(":id", use: show)
        r.get(":id", "export", use: CaseAPI().export)
        r.post(":id", ":action", use: act)
        r.post(":id", ":action", ":entry", use: act)
    }

    package struct IndexPage: Encodable {
        package var cases: [CaseSummary]
        package var referrals: [CaseAPI.IncomingReferral]
        package var mayBreakGlass: Bool
        package var isStaff: Bool
        package var isOfficer: Bool
        package var error: String?
        package var errorField: String?
        package var glass: CaseAPI.GlassRequest

        package init(cases: [CaseSummary], referrals: [CaseAPI.IncomingReferral], mayBreakGlass: Bool, isStaff: Bool,
                     isOfficer: Bool, error: String? = nil, errorField: String? = nil, glass: CaseAPI.GlassRequest) {
            (self.cases, self.referrals, self.mayBreakGlass, self.isStaff) = (cases, referrals, mayBreakGlass, isStaff)
            (self.isOfficer, self.error, self.errorField, self.glass) = (isOfficer, error, errorField, glass)
        }
    }

    package func index(req: Request) async throws -> Response {
        try await renderIndex(req, error: nil, glass: CaseAPI.GlassRequest())
    }

    package func renderIndex(_ req: Request, error: HamletError?, glass: CaseAPI.GlassRequest) async throws -> Response {
        let user = try req.requireUser()
        let duties = try await req.caseAccess().duties()
        let page = IndexPage(cases: try await CaseAPI.summaries(req), referrals: try await CaseAPI().incoming(req: req),
                             mayBreakGlass: [.admin, .provinceOfficer].contains(user.role) || duties.values.contains { $0.contains("manager") },
                             isStaff: !duties.isEmpty, isOfficer: [.admin, .provinceOfficer, .communeOfficer].contains(user.role),
                             error: error?.message, errorField: error?.field, glass: glass)
        return try await req.renderPage("cases/index", title: "Hồ sơ trợ giúp", status: error?.status ?? .ok, nav: "cases", body: page)
    }

    package func breakGlass(req: Request) async throws -> Response {
        let input = try req.content.decode(CaseAPI.GlassRequest.self)
        do {
            let c: CaseFile
            do {
                c = try await req.cases().file(numbered: input.number)
                _ = try await req.cases().breakGlass(c, BreakGlassInput(reason: input.reason, hours: input.hours))
            } catch let e as HamletError where e.status == .notFound {
                throw HamletError.invalid("number", "Không mở được hồ sơ số này: số không đúng, hồ sơ ngoài phạm vi của bạn, hoặc bạn đã xem được hồ sơ.")
            }
            return req.redirect(to: "/cases/\(c.id!.uuidString)", redirectType: .normal)
        } catch let error as HamletError where error.field != nil {
            return try await renderIndex(req, error: error, glass: input)
        }
    }

    /// The new-case form: the person, then the case.
    package struct NewForm: Content {
        package var fullName: String?
        package var birthDate: String?
        package var sex: String?
        package var cccd: String?
        package var phone: String?
        package var unitCode: String?
        package var address: String?
        package var guardianName: String?
        package var guardianRelation: String?
        package var guardianPhone: String?
        package var poverty: String?
        package var categories: [String]?
        package var facilityId: UUID?
        package var source: String?
        package var summary: String?
        package var openedOn: String?
        package var confirmNew: String?
        package var personId: UUID?

        package init(fullName: String? = nil, birthDate: String? = nil, sex: String? = nil, cccd: String? = nil,
                     phone: String? = nil, unitCode: String? = nil, address: String? = nil, guardianName: String? = nil,
                     guardianRelation: String? = nil, guardianPhone: String? = nil, poverty: String? = nil,
                     categories: [String]? = nil, facilityId: UUID? = nil, source: String? = nil, summary: String? = nil,
                     openedOn: String? = nil, confirmNew: String? = nil, personId: UUID? = nil) {
            (self.fullName, self.birthDate, self.sex, self.cccd) = (fullName, birthDate, sex, cccd)
            (self.phone, self.unitCode, self.address, self.guardianName) = (phone, unitCode, address, guardianName)
            (self.guardianRelation, self.guardianPhone, self.poverty, self.categories) = (guardianRelation, guardianPhone, poverty, categories)
            (self.facilityId, self.source, self.summary, self.openedOn) = (facilityId, source, summary, openedOn)
            (self.confirmNew, self.personId) = (confirmNew, personId)
        }
    }
    package struct NewPage: Encodable {
        package var values: NewForm
        package var facilities: [FormOption]
        package var categories: [FormOption]
        package var sources: [FormOption]
        package var povertyOptions: [FormOption]
        package var candidates: [DuplicateCandidate]
        package var error: String?
        package var errorField: String?

        package init(values: NewForm, facilities: [FormOption], categories: [FormOption], sources: [FormOption], povertyOptions: [FormOption],
                     candidates: [DuplicateCandidate], error: String? = nil, errorField: String? = nil) {
            (self.values, self.facilities, self.categories, self.sources) = (values, facilities, categories, sources)
            (self.povertyOptions, self.candidates, self.error, self.errorField) = (povertyOptions, candidates, error, errorField)
        }
    }

    package static let sourceLabels: [(String, String)] = [("self", "Tự đến"), ("family", "Gia đình báo"), ("community", "Cộng đồng, thôn ấp báo"),
                                                   ("referral", "Được chuyển gửi đến"), ("authority", "Cơ quan chức năng")]
    package static let povertyLabels: [(String, String)] = [("", "Chưa rõ"), ("poor", "Hộ nghèo"), ("near-poor", "Hộ cận nghèo"), ("none", "Không nghèo")]

    package func newCase(req: Request) async throws -> Response {
        try await renderNew(req, NewForm(openedOn: DayDate.today().vietnamese), candidates: [], error: nil)
    }

    package func renderNew(_ req: Request, _ values: NewForm, candidates: [DuplicateCandidate], error: HamletError?) async throws -> Response {
        let duties = try await req.caseAccess().duties()
        guard !duties.isEmpty else { throw HamletError.forbidden }
        let facilities = try await OrganisationChoices(db: req.db).list(ids: Array(duties.keys))
        let categories = try await CaseCatalogue(db: req.db).items("category", offeredOnly: true)
        let page = NewPage(
            values: values, facilities: facilities.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == values.facilityId) },
            categories: categories.map { FormOption(value: $0.code, label: $0.name + ($0.sensitive ? English.pick(" (nhạy cảm: ghi sau khi có sự đồng ý)", " (sensitive: recorded only with consent)") : ""), selected: (values.categories ?? []).contains($0.code)) },
            sources: Self.sourceLabels.map { FormOption(value: $0.0, label: $0.1, selected: $0.0 == (values.source ?? "self")) },
            povertyOptions: Self.povertyLabels.map { FormOption(value: $0.0, label: $0.1, selected: $0.0 == (values.poverty ?? "")) },
            candidates: candidates, error: error?.message, errorField: error?.field)
        return try await req.renderPage("cases/new", title: "Mở hồ sơ mới", status: error?.status ?? (candidates.isEmpty ? .ok : .conflict), nav: "cases", body: page)
    }

    package func createCase(req: Request) async throws -> Response {
        let form = try req.content.decode(NewForm.self)
        do {
            let personID: UUID
            if let existing = form.personId {
                personID = try await req.caseAccess().person(existing).id!
            } else {
                let input = ServedPersonInput(fullName: form.fullName, birthDate: form.birthDate, sex: form.sex, cccd: form.cccd, phone: form.phone, unitCode: form.unitCode,
                                              address: form.address, guardianName: form.guardianName, guardianRelation: form.guardianRelation, guardianPhone: form.guardianPhone,
                                              poverty: form.poverty, categories: form.categories ?? [], facilityId: form.facilityId, confirmNew: form.confirmNew == "on")
                personID = try await req.servedPeople().register(input).id!
            }
            let c = try await req.cases().open(CaseInput(personId: personID, facilityId: form.facilityId, openedOn: form.openedOn, source: form.source, summary: form.summary))
            return req.redirect(to: "/cases/\(c.id!.uuidString)", notice: "saved")
        } catch let d as LikelyDuplicates {
            return try await renderNew(req, form, candidates: d.candidates, error: nil)
        } catch let error as HamletError where error.field != nil {
            return try await renderNew(req, form, candidates: [], error: error)
        }
    }

    package struct ShowPage: Encodable {
        package var c: CaseDetail
        package var steps: [FormOption]
        package var services: [FormOption]
        package var domains: [FormOption]
        package var risks: [FormOption]
        package var orgs: [FormOption]
        package var staff: [FormOption]
        package var canWrite: Bool
        package var canTransfer: Bool
        package var error: String?
        package var errorField: String?
        package var today: String

        package init(c: CaseDetail, steps: [FormOption], services: [FormOption], domains: [FormOption], risks: [FormOption], orgs: [FormOption],
                     staff: [FormOption], canWrite: Bool, canTransfer: Bool, error: String? = nil, errorField: String? = nil,
                     today: String) {
            (self.c, self.steps, self.services, self.domains) = (c, steps, services, domains)
            (self.risks, self.orgs, self.staff, self.canWrite) = (risks, orgs, staff, canWrite)
            (self.canTransfer, self.error, self.errorField, self.today) = (canTransfer, error, errorField, today)
        }
    }

    package func show(req: Request) async throws -> Response {
        let (c, detail) = try await req.readCase(req.parameters.get("id", as: UUID.self))
        return try await render(req, c, detail, error: nil)
    }

    package func render(_ req: Request, _ c: CaseFile, _ detail: CaseDetail, error: HamletError?) async throws -> Response {
        let user = try req.requireUser()
        let services = try await CaseCatalogue(db: req.db).items("service", offeredOnly: true)
        let orgs = try await OrganisationChoices(db: req.db).list(excluding: c.facilityID, limit: 500)
        let staffRows = try await StaffService.active(at: [c.facilityID], on: req.db)
        let users = try await Accounts(db: req.db).byID(staffRows.map(\.userID)).values.sorted { $0.username < $1.username }
        let duties = try await req.caseAccess().duties()
        let page = ShowPage(
            c: detail, steps: c.currentStage.next.map { FormOption(value: $0.rawValue, label: $0.label, selected: false) },
            services: services.map { FormOption(value: $0.code, label: $0.name, selected: false) },
            domains: NeedDomain.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: false) },
            risks: RiskLevel.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: false) },
            orgs: orgs.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: false) },
            staff: users.map { FormOption(value: $0.id!.uuidString, label: $0.displayName.isEmpty ? $0.username : $0.displayName, selected: $0.id == c.caseworkerID) },
            canWrite: detail.access == "circle" && c.currentStage != .closed,
            canTransfer: duties[c.facilityID]?.contains("manager") == true || c.supervisorID == user.id,
            error: error?.message, errorField: error?.field, today: DayDate.today().vietnamese)
        return try await req.renderPage("cases/show", title: "Hồ sơ — " + c.number, status: error?.status ?? .ok, nav: "cases", body: page)
    }

    /// Every form on the case page: the fields of all of them; each action reads its own.
    package struct ActionForm: Content {
        package var to: String?
        package var on: String?
        package var note: String?
        package var reason: String?
        package var risk: String?
        package var code: String?
        package var text: String?
        package var provider: String?
        package var toOrganisationId: UUID?
        package var caseworkerId: UUID?
        package var status: String?
        package var feedback: String?
        package var needs: [String: String]?

        package init(to: String? = nil, on: String? = nil, note: String? = nil, reason: String? = nil, risk: String? = nil,
                     code: String? = nil, text: String? = nil, provider: String? = nil, toOrganisationId: UUID? = nil,
                     caseworkerId: UUID? = nil, status: String? = nil, feedback: String? = nil, needs: [String: String]? = nil) {
            (self.to, self.on, self.note, self.reason) = (to, on, note, reason)
            (self.risk, self.code, self.text, self.provider) = (risk, code, text, provider)
            (self.toOrganisationId, self.caseworkerId, self.status, self.feedback) = (toOrganisationId, caseworkerId, status, feedback)
            self.needs = needs
        }
    }

    package func act(req: Request) async throws -> Response {
        let id = req.parameters.get("id", as: UUID.self)
        let (c, _) = try await req.caseAccess().open(id, allowBreakGlass: false)
        let form = try req.content.decode(ActionForm.self)
        let service = try req.cases()
        do {
            switch req.parameters.get("action") ?? "" {
            case "step": try await service.step(c, StepInput(to: form.to, on: form.on, note: form.note, reason: form.reason))
            case "assessment":
                try await service.assess(c, AssessmentInput(on: form.on, needs: (form.needs ?? [:]).filter { $0.value != "" }, risk: form.risk, note: form.note))
            case "goal", "service", "followup", "note":
                _ = try await service.add(c, req.parameters.get("action")!, EntryInput(on: form.on, code: form.code, text: form.text, provider: form.provider))
            case "done":
                guard let e = try await CaseEntry.find(req.parameters.get("entry", as: UUID.self), on: req.db) else { throw HamletError.notFound }
                try await service.finish(c, e, EntryInput(on: form.on, code: form.code, text: form.text))
            case "referral": _ = try await service.refer(c, ReferralInput(toOrganisationId: form.toOrganisationId, reason: form.reason, on: form.on))
            case "answer":
                guard let r = try await CaseReferral.find(req.parameters.get("entry", as: UUID.self), on: req.db), r.caseID == c.id else { throw HamletError.notFound }
                try await service.answer(r, c, ReferralAnswer(status: form.status, feedback: form.feedback))
            case "transfer":
                try await service.transfer(c, TransferInput(caseworkerId: form.caseworkerId, note: form.note))
                if try await req.caseAccess().level(c) == .none { return req.redirect(to: "/cases", notice: "saved") }
            default: throw HamletError.notFound
            }
            return req.redirect(to: "/cases/\(c.id!.uuidString)", notice: "saved")
        } catch let error as HamletError where error.field != nil || error.status == .conflict || error.status == .forbidden {
            return try await render(req, c, try await CaseDetail.build(c, level: .circle, on: req.db), error: error)
        }
    }
}
