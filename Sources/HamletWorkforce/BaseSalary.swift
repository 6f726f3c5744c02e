import Vapor
import Fluent
import HamletWeb

/// Lương cơ sở: the base salary that allowances are multiples of, changed by decree. Its whole
/// history is kept, so an allowance can be resolved as it stood on any date.
package final class BaseSalary: Model, @unchecked Sendable {
    package static let schema = "base_salaries"

    @ID(key: .id) package var id: UUID?
    @Field(key: "effective_from") package var effectiveFrom: String
    @Field(key: "amount") package var amount: Int
    @Field(key: "legal_basis") package var legalBasis: String

    package init() {}
    package init(from: String, amount: Int, basis: String) { effectiveFrom = from; self.amount = amount; legalBasis = basis }

    /// Every decree on record, oldest first.
    package static func decrees(on db: any Database) async throws -> [BaseSalary] {
        try await BaseSalary.query(on: db).sort(\.$effectiveFrom).all()
    }

    /// The base salary in force on a day (nil before the first decree on record).
    package static func amount(on day: String, in table: [BaseSalary]) -> Int? {
        table.filter { $0.effectiveFrom <= day }.max { $0.effectiveFrom < $1.effectiveFrom }?.amount
    }

    package static let history: [(String, Int, String)] = [
        ("2011-05-01", 830_000, "Nghị định 22/2011/NĐ-CP"),
        ("2012-05-01", 1_050_000, "Nghị định 31/2012/NĐ-CP"),
        ("2013-07-01", 1_150_000, "Nghị định 66/2013/NĐ-CP"),
        ("2016-05-01", 1_210_000, "Nghị định 47/2016/NĐ-CP"),
        ("2017-07-01", 1_300_000, "Nghị định 47/2017/NĐ-CP"),
        ("2018-07-01", 1_390_000, "Nghị định 72/2018/NĐ-CP"),
        ("2019-07-01", 1_490_000, "Nghị định 38/2019/NĐ-CP"),
        ("2023-07-01", 1_800_000, "Nghị định 24/2023/NĐ-CP"),
        ("2024-07-01", 2_340_000, "Nghị định 73/2024/NĐ-CP"),
    ]
}

package struct CreateBaseSalaries: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(BaseSalary.schema)
            .id()
            .field("effective_from", .string, .required)
            .field("amount", .int64, .required)
            .field("legal_basis", .string, .required)
            .unique(on: "effective_from")
            .create()
        for (from, amount, basis) in BaseSalary.history {
            try await BaseSalary(from: from, amount: amount, basis: basis).create(on: database)
        }
    }

    package func revert(on database: any Database) async throws { try await database.schema(BaseSalary.schema).delete() }
}
