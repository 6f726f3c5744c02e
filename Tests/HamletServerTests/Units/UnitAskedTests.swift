import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb

/// Issue 24, point 2: one rule for "the unit asked for" in every feature — by code or by name,
/// `VN` (or nothing) the country for a country-wide account, the account's own unit by default,
/// 404 outside the subtree (an ancestor included), a name not found an error on the field.
final class UnitAskedTests: XCTestCase {
    func testEveryFeatureReadsTheUnitAskedForTheSameWay() async throws {
        try await withApp { app in
            let country = try await app.token(for: try await app.makeUser("tw", role: .admin, scope: "VN"))
            let province = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let commune = try await app.communes()[0]
            let paths = ["/api/v1/training/figures/share", "/api/v1/coverage?level=commune&domains=social-work&min=1", "/api/v1/turnover?from=2025&to=2026",
                         "/api/v1/training/figures/years?from=2025&to=2026"]
            for path in paths {
                let join = path.contains("?") ? "&" : "?"
                // The country, by its code, for a country-wide account (training figures used to answer 404).
                try await app.api(.GET, path + join + "unit=VN", token: country) { res in
                    XCTAssertEqual(res.status, .ok, path + " " + res.body.string)
                    XCTAssertTrue(res.body.string.contains(#""unitCode":"VN""#), path)
                }
                // Nothing asked: the account's own unit.
                try await app.api(.GET, path, token: province) { XCTAssertTrue($0.body.string.contains(#""unitCode":"91""#), path + " " + $0.body.string) }
                // By name, accents optional.
                let typed = commune.name.folding(options: .diacriticInsensitive, locale: nil).replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
                try await app.api(.GET, path + join + "unit=" + typed.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: province) { res in
                    XCTAssertTrue(res.body.string.contains(#""unitCode":"\#(commune.code)""#), path + " " + res.body.string)
                }
                // The country, an ancestor or another province: 404; a name not found: the field.
                for outside in ["VN", "01"] {
                    try await app.api(.GET, path + join + "unit=" + outside, token: province) { XCTAssertEqual($0.status, .notFound, path + " " + outside) }
                }
                try await app.api(.GET, path + join + "unit=khong-co-noi-nay", token: province) { XCTAssertEqual($0.errorField, "unit", path) }
            }
            // DHIS2 names units by code only.
            try await app.makeReportingCatalogue(province)
            try await app.api(.GET, "/api/dataValueSets?dataElement=CTV_TONG&period=202609&orgUnit=An%20Giang", token: province) { res in
                XCTAssertEqual(res.status, .notFound, res.body.string)
            }
        }
    }
}
