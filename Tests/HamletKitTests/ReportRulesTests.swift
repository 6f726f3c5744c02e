import XCTest
import HamletKit

final class ReportRulesTests: XCTestCase {
    func value(_ type: ValueType, _ raw: String, typed: Bool = false) -> String? {
        if case .success(let p) = type.parse(raw, typed: typed) { return p.text }
        return nil
    }

    func testTypedValuesReadVietnameseNotation() {
        XCTAssertEqual(value(.integer, "1.234", typed: true), "1234")
        XCTAssertEqual(value(.integer, "1 234", typed: true), "1234")
        XCTAssertEqual(value(.integer, "1.234.567", typed: true), "1234567")
        XCTAssertEqual(value(.number, "12,5", typed: true), "12.5")
        XCTAssertEqual(value(.number, "1.234,5", typed: true), "1234.5")
        XCTAssertEqual(value(.number, "0.5", typed: true), "0.5", "a lone point before fewer than three digits is decimal")
        XCTAssertEqual(value(.yesNo, "Có", typed: true), "true")
        XCTAssertEqual(value(.yesNo, "không", typed: true), "false")
        XCTAssertNil(value(.integer, "12,5", typed: true))
        XCTAssertNil(value(.integer, "mười", typed: true))
        XCTAssertNil(value(.percentage, "120", typed: true))
        XCTAssertEqual(value(.text, "  Ghi chú  "), "Ghi chú")
    }

    func testSentValuesArePlainNotation() {
        XCTAssertEqual(value(.number, "1.234"), "1.234", "a client's point is a decimal point")
        XCTAssertEqual(value(.integer, "1234"), "1234")
        XCTAssertNil(value(.integer, "1.234"))
        XCTAssertNil(value(.number, "12,5"))
        XCTAssertEqual(value(.number, "-3"), "-3")
        XCTAssertEqual(ValueType.integer.parse("x"), .failure(.notInteger))
        XCTAssertEqual(ValueType.integer.parse(""), .failure(.empty))
        XCTAssertEqual(ValueError.notNumber.message, "Phải là số, ví dụ 12,5.")
        XCTAssertEqual(value(.number, "1.5e3"), "1500")
        XCTAssertEqual(value(.number, ".5"), "0.5")
        XCTAssertEqual(value(.number, " 7 "), "7")
        for bad in ["inf", "nan", "0x1p3", "1e", "1.2.3", "--1", "1-2", "e5", "+", "."] { XCTAssertNil(value(.number, bad), bad) }
    }

    func testRulesNameTheFieldAndSayWhy() {
        let names = ["TRAINED": "Số người đã tập huấn", "TOTAL": "Tổng số cộng tác viên", "NOTE": "Ghi chú"]
        let rules = [
            ValidationRule(kind: .compare, left: "TRAINED", op: .lessOrEqual, right: "TOTAL"),
            ValidationRule(kind: .range, left: "TOTAL", min: 0, max: 500),
            ValidationRule(kind: .required, left: "NOTE"),
        ]
        let broken = ValidationRule.check(rules, totals: ["TRAINED": 12, "TOTAL": 10], missing: ["NOTE"]) { names[$0] ?? $0 }
        XCTAssertEqual(broken.map(\.field), ["TRAINED", "NOTE"])
        XCTAssertEqual(broken[0].message, "“Số người đã tập huấn” phải không lớn hơn “Tổng số cộng tác viên”.")
        XCTAssertEqual(broken[1].message, "“Ghi chú” phải được nhập.")
        XCTAssertEqual(ValidationRule.check(rules, totals: ["TRAINED": 10, "TOTAL": 10], missing: []) { $0 }, [])
        XCTAssertEqual(ValidationRule.check(rules, totals: ["TOTAL": 1000], missing: []) { names[$0] ?? $0 }.map(\.message),
                       ["“Tổng số cộng tác viên” phải từ 0 đến 500."])
        XCTAssertEqual(ValidationRule.check(rules, totals: ["TRAINED": 12], missing: []) { $0 }, [], "an empty side is not judged")
    }

    func testTimelinessJudgesTheFirstSubmission() {
        let due = DayDate("2026-12-15")!
        XCTAssertEqual(Timeliness.of(status: .submitted, submittedOn: DayDate("2026-12-15"), due: due, today: DayDate("2027-01-10")!), .onTime)
        XCTAssertEqual(Timeliness.of(status: .submitted, submittedOn: DayDate("2026-12-16"), due: due, today: DayDate("2027-01-10")!), .late)
        XCTAssertEqual(Timeliness.of(status: nil, submittedOn: nil, due: due, today: DayDate("2026-12-15")!), .notDue)
        XCTAssertEqual(Timeliness.of(status: .draft, submittedOn: nil, due: due, today: DayDate("2026-12-16")!), .missing)
        XCTAssertEqual(Timeliness.of(status: .approved, submittedOn: DayDate("2026-12-20"), due: due, today: due), .approved)
        XCTAssertTrue(ReportStatus.submitted.allows(.approved))
        XCTAssertFalse(ReportStatus.draft.allows(.approved), "nothing is approved before it is sent")
        XCTAssertFalse(ReportStatus.approved.isEditable)
    }
}

final class RuleTextTests: XCTestCase {
    func testRulesReadFromTheLinesOfficersType() {
        XCTAssertEqual(ValidationRule(line: "bắt buộc ctv_tong"), ValidationRule(kind: .required, left: "CTV_TONG"))
        XCTAssertEqual(ValidationRule(line: "Bat buoc CTV_TONG"), ValidationRule(kind: .required, left: "CTV_TONG"))
        XCTAssertEqual(ValidationRule(line: "CTV_TONG 0..500"), ValidationRule(kind: .range, left: "CTV_TONG", min: 0, max: 500))
        XCTAssertEqual(ValidationRule(line: "TY_LE trong ..100"), ValidationRule(kind: .range, left: "TY_LE", max: 100))
        XCTAssertEqual(ValidationRule(line: "TY_LE 0,5.."), ValidationRule(kind: .range, left: "TY_LE", min: 0.5))
        XCTAssertEqual(ValidationRule(line: "CTV_TAP_HUAN ≤ CTV_TONG | Số tập huấn không quá tổng số"),
                       ValidationRule(kind: .compare, left: "CTV_TAP_HUAN", op: .lessOrEqual, right: "CTV_TONG", message: "Số tập huấn không quá tổng số"))
        for bad in ["", "CTV_TONG", "CTV_TONG ..", "CTV_TONG 5", "CTV_TONG =< CTV_X", "bắt buộc", "X Y Z W"] { XCTAssertNil(ValidationRule(line: bad), bad) }
    }

    func testLinesReadBackTheSameRule() {
        for rule in [ValidationRule(kind: .required, left: "A"), ValidationRule(kind: .range, left: "A", min: 1.5, max: nil),
                     ValidationRule(kind: .compare, left: "A", op: .notEqual, right: "B", message: "khác nhau")] {
            XCTAssertEqual(ValidationRule(line: rule.line), rule, rule.line)
        }
    }
}
