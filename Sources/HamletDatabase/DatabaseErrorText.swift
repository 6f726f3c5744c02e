import FluentPostgresDriver

/// What a command line says of a database error. PostgresNIO's own description is a generic
/// sentence (so that a log never carries data); the operator at the terminal needs the server's
/// code and message, which name the table or constraint but not the row's values (the detail does).
package enum DatabaseErrorText {
    package static func describe(_ error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        guard let info = error.serverInfo else { return "PostgreSQL: \(error.code.description)" }
        let state = info[.sqlState].map { " [\($0)]" } ?? ""
        return "PostgreSQL\(state): \(info[.message] ?? error.code.description)"
    }
}
