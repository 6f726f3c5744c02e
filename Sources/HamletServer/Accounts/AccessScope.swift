import Vapor
import HamletWeb

/// Where an account may look: a unit's subtree in the 2025 structure. Paths are codes joined
/// by dots ("89.30280."), so "inside" is a prefix test and a subtree is one index range.
struct AccessScope: Sendable, Equatable {
    static let nationCode = "VN"
    var code: String
    var path: String

    var isNation: Bool { path.isEmpty }

    /// Whether a 2025 unit with this path is inside the scope.
    func contains(path other: String) -> Bool { other.hasPrefix(path) }

    /// Whether a unit is the scope unit's ancestor: visible as a way up, with nothing below it.
    func isAncestor(path other: String) -> Bool { path.hasPrefix(other) && path != other }

    /// The upper bound of the subtree's range: every path inside sorts below it ("~" is above
    /// every character a code may hold).
    static func upperBound(_ prefix: String) -> String { prefix + "~" }
}

extension Request {
    var currentUser: User? { auth.get(User.self) }

    func requireUser() throws -> User {
        guard let user = currentUser else { throw HamletError.unauthorized }
        return user
    }

    var scope: AccessScope { currentUser?.scope ?? AccessScope(code: "", path: "\u{0}none") }
}
