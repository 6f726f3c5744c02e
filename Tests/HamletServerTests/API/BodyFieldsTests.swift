import XCTest
import XCTVapor
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts
@testable import HamletUnits
@testable import HamletOrganisations
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletReporting
@testable import HamletPopulation
@testable import HamletCases
@testable import HamletPlans

/// Every request body the document describes has exactly the fields the Swift type its route
/// decodes reads: a field added to a type and not to the document (or the other way) fails here,
/// so the two cannot drift. The fields are found by decoding the type from a decoder that writes
/// down each key it is asked for.
final class BodyFieldsTests: XCTestCase {
    /// The document's body schema → the type the route decodes.
    let bodies: [String: any Decodable.Type] = [
        "ActivityInput": ActivityInput.self, "AnonymiseInput": AnonymiseInput.self, "AssessmentInput": AssessmentInput.self,
        "AssignmentInput": AssignmentInput.self, "BoardInput": BoardInput.self, "BreachInput": BreachInput.self,
        "BreachNotice": BreachNotice.self, "BreakGlassInput": CaseAPI.GlassRequest.self, "BulkEnrolInput": BulkEnrolInput.self,
        "CaseCatalogueItem": CatalogueItemInput.self, "CaseInput": CaseInput.self, "ClassInput": ClassInput.self,
        "CloseInput": UnitAPI.CloseBody.self, "ConsentInput": ConsentInput.self, "CourseInput": CourseInput.self,
        "Credentials": TokenAPI.Credentials.self, "DataCategory": CategoryInput.self, "DataElementInput": ElementInput.self,
        "DataSetInput": DataSetInput.self, "DecisionInput": ReportingAPI.DecisionInput.self, "DutyInput": DutyInput.self, "EndInput": EndInput.self,
        "EnrolInput": TrainingAPI.EnrolInput.self, "EntryInput": EntryInput.self, "FollowUpClose": ActivityService.CloseInput.self,
        "HamletInput": HamletService.Input.self, "IndicatorInput": IndicatorInput.self, "IndicatorPatch": IndicatorInput.self,
        "LegacyUnitInput": LegacyUnitInput.self, "MemberEnd": MemberEnd.self, "MemberInput": MemberInput.self,
        "MergeInput": UnitAPI.MergeBody.self, "NeedInput": NeedInput.self, "ObjectiveInput": ObjectiveInput.self,
        "OrganisationInput": OrganisationInput.self, "ParentInput": ParentInput.self, "PersonInput": PersonInput.self,
        "PersonPatch": PersonInput.self, "PlanBudgetInput": PlanBudgetInput.self, "PlanInput": PlanInput.self,
        "PopulationInput": PopulationInput.self, "ProgressInput": ProgressInput.self, "ReasonInput": ReasonInput.self,
        "ReferralAnswer": ReferralAnswer.self, "ReferralInput": ReferralInput.self, "ReportInput": ReportInput.self,
        "ReportTextInput": ReportTextInput.self, "ResultInputList": ResultInput.self, "SeriesInput": TrainingAPI.SeriesInput.self,
        "ServedPersonInput": ServedPersonInput.self, "StaffInput": StaffInput.self, "StepInput": StepInput.self,
        "SubmissionInput": SubmissionInput.self, "TargetInput": TargetInput.self, "TaskInput": TaskInput.self,
        "Title": PeopleAPI.TitleInput.self, "TransferInput": TransferInput.self, "TypeInput": OrganisationTypeInput.self,
        "UserInput": UserInput.self, "UserPatch": UserAPI.Patch.self,
    ]
    /// Bodies not read through one Codable type, each with its reason.
    let notTypes: [String: String] = [
        "File": "a multipart upload, read by the import it names",
        "DataValueSet": "DHIS2's JSON, read value by value by HamletKit's streaming reader (the DHIS2 tests hold it)",
    ]

    func testEveryBodyHasTheFieldsItsTypeReads() async throws {
        try await withApp { app in
            try await app.test(.GET, "/api/v1/openapi.json") { res async throws in
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                let schemas = (doc["components"] as! [String: Any])["schemas"] as! [String: Any]
                var used = Set<String>()
                for (_, operations) in doc["paths"] as! [String: [String: Any]] {
                    for (_, op) in operations {
                        guard let op = op as? [String: Any], let body = op["requestBody"] as? [String: Any],
                              let content = body["content"] as? [String: Any] else { continue }
                        for (_, media) in content {
                            if let ref = ((media as? [String: Any])?["schema"] as? [String: Any])?["$ref"] as? String {
                                used.insert(String(ref.split(separator: "/").last!))
                            }
                        }
                    }
                }
                XCTAssertGreaterThan(used.count, 50, "the document's bodies were read")
                XCTAssertEqual(used.subtracting(self.bodies.keys).subtracting(self.notTypes.keys).sorted(), [], "bodies with no type named here")
                for name in used.sorted() {
                    guard let type = self.bodies[name] else { continue }
                    var schema = schemas[name] as? [String: Any] ?? [:]
                    if schema["type"] as? String == "array", let ref = (schema["items"] as? [String: Any])?["$ref"] as? String {
                        schema = schemas[String(ref.split(separator: "/").last!)] as? [String: Any] ?? [:]
                    }
                    let documented = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
                    let read = DecodedKeys.of(type)
                    XCTAssertFalse(read.isEmpty, "\(name): no key read from \(type)")
                    XCTAssertEqual(documented.subtracting(read).sorted(), [], "\(name): documented, but \(type) never reads it")
                    XCTAssertEqual(read.subtracting(documented).sorted(), [], "\(name): \(type) reads it, but the document does not say so")
                }
            }
        }
    }

    func testTheKeyRecorderSeesEveryKind() {
        struct Sample: Decodable {
            enum Kind: String, Decodable, CaseIterable { case a, b }
            var name: String?; var count: Int; var kind: Kind; var tags: [String]; var when: Date?; var nested: Inner?
            struct Inner: Decodable { var x: String }
        }
        XCTAssertEqual(DecodedKeys.of(Sample.self), ["name", "count", "kind", "tags", "when", "nested"])
    }
}

/// The top-level keys a Decodable type reads, found by decoding it from a decoder that writes
/// down what it is asked for and answers with placeholders (nothing for optional fields).
enum DecodedKeys {
    final class Seen: @unchecked Sendable { var keys: Set<String> = [] }

    static func of(_ type: any Decodable.Type) -> Set<String> {
        let seen = Seen()
        _ = try? type.init(from: Recorder(seen: seen, top: true))
        return seen.keys
    }

    struct Stop: Error {}

    struct Recorder: Decoder {
        let seen: Seen
        let top: Bool
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]
        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(seen: seen, top: top))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(seen: seen) }
    }

    /// A value for a required field: an enumeration's first case, an empty text, a zero.
    static func placeholder<T: Decodable>(_ type: T.Type, seen: Seen) throws -> T {
        if let cases = T.self as? any CaseIterable.Type, let first = firstCase(cases) as? T { return first }
        return try T(from: Recorder(seen: seen, top: false))
    }

    private static func firstCase<C: CaseIterable>(_ type: C.Type) -> Any? { C.allCases.first }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let seen: Seen
        let top: Bool
        var codingPath: [any CodingKey] = []
        var allKeys: [Key] { [] }
        func note(_ key: Key) { if top { seen.keys.insert(key.stringValue) } }
        func contains(_ key: Key) -> Bool { note(key); return false }
        func decodeNil(forKey key: Key) throws -> Bool { note(key); return true }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { note(key); return try DecodedKeys.placeholder(T.self, seen: seen) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { note(key); return nil }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            note(key); return KeyedDecodingContainer(Keyed<NestedKey>(seen: seen, top: false))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { note(key); return Unkeyed() }
        func superDecoder() throws -> any Decoder { Recorder(seen: seen, top: false) }
        func superDecoder(forKey key: Key) throws -> any Decoder { note(key); return Recorder(seen: seen, top: false) }
    }

    /// An empty list.
    struct Unkeyed: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] = []
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }
        mutating func decodeNil() throws -> Bool { true }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw Stop() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> { throw Stop() }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Stop() }
        mutating func superDecoder() throws -> any Decoder { throw Stop() }
    }

    /// A text of zeros that reads as an id, a date or a number alike.
    struct Single: SingleValueDecodingContainer {
        let seen: Seen
        var codingPath: [any CodingKey] = []
        func decodeNil() -> Bool { false }
        func decode(_ type: String.Type) throws -> String { "00000000-0000-0000-0000-000000000000" }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode(_ type: Float.Type) throws -> Float { 0 }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int8.Type) throws -> Int8 { 0 }
        func decode(_ type: Int16.Type) throws -> Int16 { 0 }
        func decode(_ type: Int32.Type) throws -> Int32 { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: UInt.Type) throws -> UInt { 0 }
        func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
        func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
        func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
        func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try DecodedKeys.placeholder(T.self, seen: seen) }
    }
}
