import Vapor
import Fluent
import HamletWeb

/// Chức danh nghề nghiệp: an editable catalogue of professional titles and their codes.
package final class ProfessionalTitle: Model, @unchecked Sendable {
    package static let schema = "professional_titles"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    @OptionalField(key: "valid_to") package var validTo: String?

    package init() {}
    package init(code: String, name: String) { self.code = code; self.name = name }

    package static let defaults = [
        ("V.09.04.01", "Công tác xã hội viên chính (hạng II)"),
        ("V.09.04.02", "Công tác xã hội viên (hạng III)"),
        ("V.09.04.03", "Nhân viên công tác xã hội (hạng IV)"),
    ]
}

package struct CreateProfessionalTitles: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(ProfessionalTitle.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("valid_to", .string)
            .unique(on: "code")
            .create()
        for (code, name) in ProfessionalTitle.defaults { try await ProfessionalTitle(code: code, name: name).create(on: database) }
    }

    package func revert(on database: any Database) async throws { try await database.schema(ProfessionalTitle.schema).delete() }
}
