import Vapor
import HamletKit
import HamletWeb
import HamletUnits

/// The completeness and pivot pages take a unit's name where its code goes, as the reports home
/// does: one match is opened, several are listed with the units they sit in, none is an error
/// next to the field.
extension ReportPages {
    package struct UnitChoicePage: Encodable {
        package struct Choice: Encodable {
            package var name: String
            package var within: String
            package var link: String
            package init(name: String, within: String, link: String) {
                (self.name, self.within, self.link) = (name, within, link)
            }
        }
        package struct Hidden: Encodable {
            package var name: String
            package var value: String
            package init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }
        package var heading: String
        package var action: String
        package var hidden: [Hidden]
        package var unit: String
        package var choices: [Choice]
        package var more: Bool
        package var error: String?

        package init(heading: String, action: String, hidden: [Hidden], unit: String, choices: [Choice], more: Bool, error: String? = nil) {
            (self.heading, self.action, self.hidden, self.unit) = (heading, action, hidden, unit)
            (self.choices, self.more, self.error) = (choices, more, error)
        }

    }

    /// nil when `unit` is empty, the country, or a unit code the account may open: the page goes on.
    /// Otherwise the answer to send: a redirect to the one unit named, or the list to pick from.
    package func unitByName(_ req: Request, heading: String) async throws -> Response? {
        let raw = (req.query[String.self, at: "unit"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty, raw.uppercased() != AccessScope.nationCode, !Self.looksLikeCode(raw) else { return nil }
        if (try? await req.unitAsked(raw, byName: false)) != nil { return nil }
        let found = try await UnitDirectory(db: req.db, scope: req.scope).named(raw, limit: ReportService.placeChoices)
        func link(_ code: String) -> String {
            var url = URLComponents(string: req.url.string) ?? URLComponents()
            url.queryItems = (url.queryItems ?? []).filter { $0.name != "unit" } + [.init(name: "unit", value: code)]
            return (url.path.isEmpty ? req.url.path : url.path) + "?" + (url.percentEncodedQuery ?? "")
        }
        if found.count == 1 { return req.redirect(to: link(found[0].unit.code)) }
        let hidden = (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name != "unit" && $0.name != "format" }
            .map { UnitChoicePage.Hidden(name: $0.name, value: $0.value ?? "") }
        let page = UnitChoicePage(heading: heading, action: req.url.path, hidden: hidden, unit: raw,
                                  choices: found.prefix(ReportService.placeChoices).map { .init(name: $0.unit.name, within: $0.within, link: link($0.unit.code)) },
                                  more: found.count > ReportService.placeChoices,
                                  error: found.isEmpty ? "Không tìm thấy đơn vị nào tên “\(raw)” trong phạm vi của bạn." : nil)
        return try await req.renderPage("reporting/unit-choice", title: heading, status: found.isEmpty ? .unprocessableEntity : .ok, nav: "reports", body: page)
    }
}
