import Vapor
import Fluent
import HamletWeb
import HamletDatabase

/// Agencies (cơ quan: People's Committees, departments, health stations, mass organisations)
/// and facilities (cơ sở: social-work centres, social-assistance facilities, schools, hospitals …)
/// share one shape, so they share one table, told apart by `kind`.
package enum OrgKind: String, Codable, CaseIterable, Sendable {
    case agency, facility

    package var path: String { self == .agency ? "agencies" : "facilities" }
    package var entity: String { rawValue }
}

/// An entry of the editable catalogue of agency or facility types.
package final class OrganisationType: Model, @unchecked Sendable {
    package static let schema = "organisation_types"

    @ID(key: .id) package var id: UUID?
    @Enum(key: "kind") package var kind: OrgKind
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    @OptionalField(key: "valid_from") package var validFrom: String?
    @OptionalField(key: "valid_to") package var validTo: String?

    package init() {}

    package init(kind: OrgKind, code: String, name: String, validFrom: String? = nil, validTo: String? = nil) {
        self.kind = kind; self.code = code; self.name = name; self.validFrom = validFrom; self.validTo = validTo
    }
}

package final class Organisation: Model, @unchecked Sendable {
    package static let schema = "organisations"

    @ID(key: .id) package var id: UUID?
    @Enum(key: "kind") package var kind: OrgKind
    @Field(key: "name") package var name: String
    @Field(key: "search_name") package var searchName: String
    @Parent(key: "type_id") package var type: OrganisationType
    /// The 2025 unit it belongs to, and that unit's path (paths never change), for scope checks.
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @OptionalField(key: "address") package var address: String?
    @OptionalField(key: "phone") package var phone: String?
    @Field(key: "provides_social_work") package var providesSocialWork: Bool
    @OptionalField(key: "valid_from") package var validFrom: String?
    @OptionalField(key: "valid_to") package var validTo: String?
    @OptionalField(key: "note") package var note: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}
}

package struct CreateOrganisationTypes: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let kind = try await database.enum("org_kind").case("agency").case("facility").create()
        try await database.schema(OrganisationType.schema)
            .id()
            .field("kind", kind, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .unique(on: "kind", "code")
            .create()
        // The starting catalogue; officers edit it as agencies merge and split.
        for (kind, code, name) in OrganisationCatalogue.defaults {
            try await OrganisationType(kind: kind, code: code, name: name).create(on: database)
        }
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(OrganisationType.schema).delete()
        try await database.enum("org_kind").delete()
    }
}

package struct CreateOrganisations: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let kind = try await database.enum("org_kind").read()
        try await database.schema(Organisation.schema)
            .id()
            .field("kind", kind, .required)
            .field("name", .string, .required)
            .field("search_name", .string, .required)
            .field("type_id", .uuid, .required, .references(OrganisationType.schema, "id"))
            .field("unit_code", .string, .required)
            .field("unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("address", .string)
            .field("phone", .string)
            .field("provides_social_work", .bool, .required)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .field("note", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await SQLText.index(database, "organisations_scope", on: Organisation.schema, ["kind", "unit_path"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).delete()
    }
}

package enum OrganisationCatalogue {
    package static let defaults: [(OrgKind, String, String)] = [
        (.agency, "ubnd", "Ủy ban nhân dân"),
        (.agency, "so-y-te", "Sở Y tế"),
        (.agency, "chi-cuc-dan-so", "Chi cục Dân số"),
        (.agency, "so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch"),
        (.agency, "so-noi-vu", "Sở Nội vụ"),
        (.agency, "so-tai-chinh", "Sở Tài chính"),
        (.agency, "so-gddt", "Sở Giáo dục và Đào tạo"),
        (.agency, "so-tu-phap", "Sở Tư pháp"),
        (.agency, "ttyt", "Trung tâm Y tế"),
        (.agency, "tram-y-te", "Trạm Y tế"),
        (.agency, "mttq", "Ủy ban Mặt trận Tổ quốc"),
        (.agency, "hoi-phu-nu", "Hội Liên hiệp Phụ nữ"),
        (.agency, "doan-thanh-nien", "Đoàn Thanh niên"),
        (.agency, "hoi-nguoi-cao-tuoi", "Hội Người cao tuổi"),
        (.agency, "truong-dai-hoc", "Trường đại học, cao đẳng"),
        (.facility, "tt-ctxh", "Trung tâm công tác xã hội"),
        (.facility, "co-so-trgxh", "Cơ sở trợ giúp xã hội / bảo trợ xã hội"),
        (.facility, "phong-ctxh", "Phòng công tác xã hội"),
        (.facility, "truong-hoc", "Trường học"),
        (.facility, "benh-vien", "Bệnh viện"),
        (.facility, "cai-nghien", "Cơ sở cai nghiện ma túy"),
        (.facility, "trai-giam", "Trại giam"),
        (.facility, "truong-giao-duong", "Trường giáo dưỡng"),
    ]
}

/// Departments merged away on 01/03/2025 that older plans name as lead agencies (Lao động -
/// Thương binh và Xã hội into Nội vụ and Y tế; Thông tin và Truyền thông into Khoa học và Công nghệ).
package struct AddFormerDepartments: AsyncMigration {
    package init() {}
    package static let types: [(String, String)] = [("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội"), ("so-tttt", "Sở Thông tin và Truyền thông")]

    package func prepare(on database: any Database) async throws {
        for (code, name) in Self.types where try await OrganisationType.query(on: database).filter(\.$code == code).count() == 0 {
            try await OrganisationType(kind: .agency, code: code, name: name, validTo: "2025-02-28").create(on: database)
        }
    }

    package func revert(on database: any Database) async throws {
        try await OrganisationType.query(on: database).filter(\.$code ~~ Self.types.map(\.0)).delete()
    }
}
