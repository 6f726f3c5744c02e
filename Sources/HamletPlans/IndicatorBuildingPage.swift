import Vapor
import HamletKit
import HamletWeb
import HamletAccounts

/// What an indicator's page says while its kept tally is built (`TallyBuilds`).
extension IndicatorPages {
    /// The country's page while the tally is built: the progress, and a link to count live now.
    func waiting(_ req: Request, _ indicator: Indicator, date: String, progress: TallyBuilds.Progress) async throws -> Response {
        let definition = try indicator.parsed()
        let shownDate = DayDate(date)?.vietnamese ?? date
        let value = IndicatorValue(indicatorId: indicator.id, code: indicator.code, name: indicator.name, kind: definition.kind.rawValue,
                                   measure: definition.measure, description: "", unitCode: AccessScope.nationCode, unitName: "Cả nước",
                                   date: date, value: 0, children: [])
        let note = Self.stage(progress, indicator) + English.pick(
            ". Số liệu cả nước sẽ hiện ở đây khi dựng xong; đếm trực tiếp cả nước từ hồ sơ mất vài giây.",
            ". The country's figures will show here once it is built; counting the whole country live from the records takes a few seconds.")
        return try await req.renderPage("plans/indicator", title: indicator.name, nav: "plans", body: ShowPage(
            id: indicator.id!.uuidString, value: value, shown: "", isPercent: definition.measure == "%", children: [],
            unit: req.query["unit"] ?? "", date: shownDate, trend: [],
            canEdit: CatalogueOwner.mayEdit(indicator.ownerPath, req.currentUser) && req.currentUser != nil,
            owner: try await CatalogueOwner.label(indicator.ownerPath, on: req.db), building: note,
            countLive: English.pick("Đếm trực tiếp ngay", "Count live now")))
    }

    /// "Being built (45 %: 140,000 of 313,280 people)", or queued, and what that means for the figures.
    static func building(_ p: TallyBuilds.Progress?, _ indicator: Indicator) -> String {
        stage(p, indicator) + English.pick(". Trong lúc chờ, số liệu dưới đây được đếm trực tiếp từ hồ sơ: con số như nhau, chỉ chậm hơn; biểu đồ xu hướng có khi xong.",
                                           ". Meanwhile the figures below are counted live from the records: the same numbers, only slower; the trend comes when it is done.")
    }

    /// "This indicator's kept tally is being built, 45 % done (…)", or waiting, or catching up.
    static func stage(_ p: TallyBuilds.Progress?, _ indicator: Indicator) -> String {
        let places = (try? indicator.parsed())?.kind == .unitsWithPeople
        let stage: String
        if p?.state == "catching-up" {
            stage = English.pick("đang được cập nhật theo các thay đổi mới", "being brought up to date with recent changes")
        } else if let p, p.state == "building", let done = p.done, let total = p.total {
            let (d, t) = (VietnameseFormat.integer(done), VietnameseFormat.integer(total))
            stage = English.pick("đang được dựng, đã xong \(p.percent ?? 0) % (\(d)/\(t) ",
                                 "being built, \(p.percent ?? 0) % done (\(d) of \(t) ")
                + (places ? English.pick("đơn vị)", "units)") : English.pick("người)", "people)"))
        } else {
            stage = English.pick("đang chờ được dựng", "waiting to be built")
        }
        return English.pick("Bảng đếm giữ sẵn của chỉ tiêu này ", "This indicator's kept tally is ") + stage
    }
}
