import XCTest
@testable import HamletKit

final class ADXTests: XCTestCase {
    func testPeriodsAreStartAndDuration() {
        XCTAssertEqual(Period(adx: "2026-01-01/P1M")?.id, "202601")
        XCTAssertEqual(Period(adx: "2026-07-01/P3M")?.id, "2026Q3")
        XCTAssertEqual(Period(adx: "2026-07-01/P6M")?.id, "2026S2")
        XCTAssertEqual(Period(adx: "2025-01-01/P1Y")?.id, "2025")
        XCTAssertEqual(Period(adx: "2025-01-01/P12M")?.id, "2025")
        XCTAssertEqual(Period(adx: "202611")?.id, "202611", "a DHIS2 id is read too")
        XCTAssertNil(Period(adx: "2026-02-01/P3M"), "a quarter starting in February is not one of ours")
        XCTAssertNil(Period(adx: "2026-01-15/P1M"))
        XCTAssertNil(Period(adx: "2026-01-01/P2W"))
        XCTAssertEqual(Period("2026Q2")!.adx, "2026-04-01/P3M")
        XCTAssertEqual(Period("2025")!.adx, "2025-01-01/P1Y")
    }

    func testReadsGroupsValuesDisaggregationAndAnnotations() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <adx xmlns="urn:ihe:qrph:adx:2015" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" exported="2026-12-01T08:00:00Z">
          <group orgUnit="30280" period="2026-10-01/P1M" dataSet="BC_THANG_XA" completeDate="2026-11-03">
            <dataValue dataElement="CTV_TONG" value="12"/>
            <dataValue dataElement="CTV_TAP_HUAN" GIOI_TINH="NU" value="4">
              <annotation>Hai người mới vào</annotation>
            </dataValue>
          </group>
          <group orgUnit="30281" period="2026-10-01/P1M" mechanism="X">
            <dataValue dataElement="GHI_CHU" value="Có &amp; không"/>
          </group>
        </adx>
        """
        let groups = try ADX.read(Data(xml.utf8))
        XCTAssertEqual(groups.count, 2)
        XCTAssertEqual(groups[0].dataSet, "BC_THANG_XA")
        XCTAssertEqual(groups[0].completeDate, "2026-11-03")
        XCTAssertEqual(groups[0].values, [
            ADX.Value(dataElement: "CTV_TONG", value: "12"),
            ADX.Value(dataElement: "CTV_TAP_HUAN", value: "4", disaggregation: ["GIOI_TINH": "NU"], annotation: "Hai người mới vào"),
        ])
        XCTAssertEqual(groups[1].otherAttributes, ["mechanism": "X"])
        XCTAssertEqual(groups[1].values[0].value, "Có & không")
    }

    func testWrittenDocumentsReadBackTheSame() throws {
        let groups = [ADX.Group(orgUnit: "30280", period: "2026-10-01/P1M", dataSet: "BC", values: [
            ADX.Value(dataElement: "A", value: "1.5", disaggregation: ["GIOI_TINH": "NAM", "NHOM_TUOI": "DUOI16"]),
            ADX.Value(dataElement: "B", value: "\"trích\" <x>", annotation: "ghi chú"),
        ])]
        let text = ADX.write(groups, exported: "2026-12-01T00:00:00Z")
        XCTAssertTrue(text.contains(#"<dataValue dataElement="A" GIOI_TINH="NAM" NHOM_TUOI="DUOI16" value="1.5"/>"#), text)
        XCTAssertEqual(try ADX.read(Data(text.utf8)), groups)
    }

    /// A DTD could only declare entities to expand (a "billion laughs") or fetch: refused.
    func testADoctypeIsRefused() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE adx [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><adx xmlns=\"urn:ihe:qrph:adx:2015\"/>"
        XCTAssertThrowsError(try ADX.read(Data(laughs.utf8))) { error in
            XCTAssertTrue("\((error as? ADX.ReadError)?.message ?? "")".contains("DOCTYPE"))
        }
    }

    func testMalformedDocumentsAreRefusedWithTheirLine() {
        XCTAssertThrowsError(try ADX.read(Data("<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"1\">\n</adx>".utf8))) { error in
            XCTAssertEqual((error as? ADX.ReadError)?.line, 2)
        }
        XCTAssertThrowsError(try ADX.read(Data("<adx xmlns=\"urn:other\"/>".utf8)))
        XCTAssertThrowsError(try ADX.read(Data("<dataValueSet/>".utf8)))
        XCTAssertThrowsError(try ADX.read(Data("<adx xmlns=\"urn:ihe:qrph:adx:2015\"><group orgUnit=\"1\" period=\"2026\"><dataValue value=\"1\"/></group></adx>".utf8)))
    }
}
