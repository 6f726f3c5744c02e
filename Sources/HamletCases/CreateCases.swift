import Fluent
import SQLKit
import HamletWeb
import HamletDatabase
import HamletAccounts
import HamletOrganisations

/// The case-management tables and the two catalogues with their first entries.
package struct CreateCases: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let path = DatabaseSchema.DataType.sql(unsafeRaw: SQLText.byteOrdered(database))
        try await database.schema(CaseCatalogueItem.schema)
            .id()
            .field("list", .string, .required).field("code", .string, .required).field("name", .string, .required)
            .field("sensitive", .bool, .required).field("children", .bool, .required).field("valid_to", .string)
            .unique(on: "list", "code")
            .create()
        try await database.schema(ServedPerson.schema)
            .id()
            .field("full_name", .string, .required).field("search_name", .string, .required).field("sort_key", path, .required)
            .field("birth_date", .string).field("sex", .string).field("cccd", .string).field("phone", .string)
            .field("unit_code", .string, .required).field("unit_path", path, .required).field("address", .string)
            .field("guardian_name", .string).field("guardian_relation", .string).field("guardian_phone", .string)
            .field("poverty", .string).field("categories", .string, .required)
            .field("facility_id", .uuid, .required, .references(Organisation.schema, "id")).field("created_by", .uuid, .required)
            .field("anonymised_at", .datetime).field("created_at", .datetime).field("updated_at", .datetime)
            .unique(on: "cccd")
            .create()
        try await SQLText.index(database, "served_people_name", on: ServedPerson.schema, ["search_name", "birth_date"])
        try await database.schema(CaseFile.schema)
            .id()
            .field("number", .string, .required)
            .field("person_id", .uuid, .required, .references(ServedPerson.schema, "id"))
            .field("facility_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("facility_path", path, .required)
            .field("caseworker_id", .uuid, .required, .references(User.schema, "id"))
            .field("supervisor_id", .uuid, .references(User.schema, "id"))
            .field("stage", .string, .required).field("opened_on", .string, .required).field("closed_on", .string).field("close_reason", .string)
            .field("risk", .string).field("source", .string, .required).field("summary", .string)
            .field("anonymised_at", .datetime).field("created_at", .datetime).field("updated_at", .datetime)
            .unique(on: "number")
            .create()
        try await SQLText.index(database, "cases_place", on: CaseFile.schema, ["facility_path", "opened_on"])
        try await SQLText.index(database, "cases_person", on: CaseFile.schema, ["person_id"])
        try await SQLText.index(database, "cases_worker", on: CaseFile.schema, ["caseworker_id"])
        try await database.schema(CaseEntry.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseFile.schema, "id"))
            .field("kind", .string, .required).field("on_date", .string, .required).field("done_on", .string)
            .field("code", .string).field("text", .string).field("detail", .string)
            .field("by_user", .uuid, .required).field("by_name", .string, .required).field("created_at", .datetime)
            .create()
        try await SQLText.index(database, "case_entries_case", on: CaseEntry.schema, ["case_id", "kind", "on_date"])
        try await SQLText.index(database, "case_entries_day", on: CaseEntry.schema, ["kind", "on_date"])
        try await database.schema(CaseReferral.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseFile.schema, "id"))
            .field("to_organisation_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("to_path", path, .required).field("assignee_id", .uuid, .references(User.schema, "id"))
            .field("status", .string, .required).field("reason", .string, .required).field("sent_on", .string, .required)
            .field("answered_on", .string).field("feedback", .string).field("sent_by", .uuid, .required)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .create()
        try await SQLText.index(database, "case_referrals_case", on: CaseReferral.schema, ["case_id"])
        try await SQLText.index(database, "case_referrals_to", on: CaseReferral.schema, ["to_organisation_id", "status"])
        try await database.schema(FacilityStaff.schema)
            .id()
            .field("facility_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("duty", .string, .required).field("created_at", .datetime)
            .unique(on: "facility_id", "user_id", "duty")
            .create()
        try await database.schema(Consent.schema)
            .id()
            .field("person_id", .uuid, .required, .references(ServedPerson.schema, "id"))
            .field("given_on", .string, .required).field("given_by", .string, .required).field("relation", .string, .required)
            .field("scope", .string, .required).field("child_agreed", .bool, .required).field("withdrawn_on", .string)
            .field("recorded_by", .uuid, .required).field("created_at", .datetime)
            .create()
        try await SQLText.index(database, "consents_person", on: Consent.schema, ["person_id"])
        try await database.schema(BreakGlass.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseFile.schema, "id"))
            .field("user_id", .uuid, .required).field("username", .string, .required).field("reason", .string, .required)
            .field("granted_at", .datetime, .required).field("expires_at", .datetime, .required).field("ip", .string)
            .create()
        try await SQLText.index(database, "break_glass_case", on: BreakGlass.schema, ["case_id", "user_id"])
        try await database.schema(DataBreach.schema)
            .id()
            .field("discovered_at", .datetime, .required).field("description", .string, .required)
            .field("people_affected", .int, .required).field("data_kinds", .string, .required).field("measures", .string)
            .field("notified_at", .datetime).field("subjects_notified_at", .datetime)
            .field("scope_path", path, .required).field("recorded_by", .uuid, .required).field("created_at", .datetime)
            .create()
        for item in CaseCatalogue.initial { try await item.create(on: database) }
    }

    package func revert(on database: any Database) async throws {
        for schema in [DataBreach.schema, BreakGlass.schema, Consent.schema, FacilityStaff.schema, CaseReferral.schema, CaseEntry.schema,
                       CaseFile.schema, ServedPerson.schema, CaseCatalogueItem.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// The first entries of the catalogues; officers add and retire entries from the page.
extension CaseCatalogue {
    package static var initial: [CaseCatalogueItem] {
        let categories: [(String, String, Bool, Bool)] = [
            ("nguoi-cao-tuoi-co-don", "Người cao tuổi cô đơn", false, false),
            ("nguoi-khuyet-tat", "Người khuyết tật", false, false),
            ("tre-khuyet-tat-nang", "Trẻ em khuyết tật nặng", false, true),
            ("tre-mo-coi", "Trẻ em mồ côi", false, true),
            ("tre-bi-bo-roi", "Trẻ em bị bỏ rơi", false, true),
            ("tre-anh-huong-hiv", "Trẻ em bị ảnh hưởng bởi HIV/AIDS", true, true),
            ("tre-bi-thien-tai", "Trẻ em bị ảnh hưởng bởi thiên tai", false, true),
            ("nhiem-hiv", "Người nhiễm HIV/AIDS", true, false),
            ("bao-luc-gia-dinh", "Nạn nhân bạo lực gia đình", true, false),
            ("nghien-ma-tuy", "Người sử dụng ma túy", true, false),
            ("mai-dam", "Người bán dâm", true, false),
            ("ho-ngheo", "Hộ nghèo, cận nghèo", false, false),
            ("dan-toc-thieu-so", "Gia đình dân tộc thiểu số khó khăn", false, false),
        ]
        let services: [(String, String)] = [
            ("tu-van", "Tư vấn, tham vấn"), ("tri-lieu", "Trị liệu tâm lý"), ("cham-soc-ngan-han", "Chăm sóc ngắn hạn"),
            ("cham-soc-dai-han", "Chăm sóc trung, dài hạn"), ("thuc-pham", "Hỗ trợ lương thực, thực phẩm"), ("cho-o", "Chỗ ở tạm thời"),
            ("y-te", "Hỗ trợ khám, chữa bệnh"), ("hoc-tap", "Hỗ trợ học tập"), ("hoc-nghe", "Học nghề"), ("viec-lam", "Việc làm"),
            ("tro-giup-phap-ly", "Trợ giúp pháp lý"), ("tro-cap", "Trợ cấp, chính sách phúc lợi"),
        ]
        return categories.map { code, name, sensitive, children in
            let c = CaseCatalogueItem(); c.list = "category"; c.code = code; c.name = name; c.sensitive = sensitive; c.children = children; return c
        } + services.map { code, name in
            let s = CaseCatalogueItem(); s.list = "service"; s.code = code; s.name = name; s.sensitive = false; s.children = false; return s
        }
    }
}
