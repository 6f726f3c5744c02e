import Vapor

/// Where an account may look: a unit's subtree in the 2025 structure. Paths are codes joined
/// by dots ("89.30280."), so "inside" is a prefix test and a subtree is one index range.
package struct AccessScope: Sendable, Equatable {
    package static let nationCode = "VN"
    package var code: String
    package var path: String

    package init(code: String, path: String) { self.code = code; self.path = path }

    package var isNation: Bool { path.isEmpty }

    /// Whether a 2025 unit with this path is inside the scope.
    package func contains(path other: String) -> Bool { other.hasPrefix(path) }

    /// Whether a unit is the scope unit's ancestor: visible as a way up, with nothing below it.
    package func isAncestor(path other: String) -> Bool { path.hasPrefix(other) && path != other }

    /// The upper bound of the subtree's range: every path inside sorts below it ("~" is above
    /// every character a code may hold).
    package static func upperBound(_ prefix: String) -> String { prefix + "~" }
}

/// The account a request acts as, as every feature sees it: who (for the audit log), what it may
/// do (its role) and where (its scope). Accounts signs requests in and gives the app its
/// `actingAccount`; the features below Accounts (Units, Audit) read it through here.
package protocol ActingAccount: Sendable {
    var id: UUID? { get }
    var username: String { get }
    var role: Role { get }
    var scope: AccessScope { get }
}

extension ActingAccount {
    /// The account's id; an account not yet saved acts as nobody.
    package func requireAccountID() throws -> UUID {
        guard let id else { throw HamletError.unauthorized }
        return id
    }
}

extension Application {
    private struct ActingAccountKey: StorageKey {
        typealias Value = @Sendable (Request) -> (any ActingAccount)?
    }

    /// The account a request is signed in as; nobody until the app sets it.
    package var actingAccount: @Sendable (Request) -> (any ActingAccount)? {
        get { storage[ActingAccountKey.self] ?? { _ in nil } }
        set { storage[ActingAccountKey.self] = newValue }
    }
}

extension Request {
    package var acting: (any ActingAccount)? { application.actingAccount(self) }

    /// The signed-in account if its role allows `allowed`; 401 without one, 403 otherwise.
    package func requireActing(_ allowed: (Role) -> Bool) throws -> any ActingAccount {
        guard let account = acting else { throw HamletError.unauthorized }
        guard allowed(account.role) else { throw HamletError.forbidden }
        return account
    }

    /// Where the request may look; nowhere when nobody is signed in.
    package var scope: AccessScope { acting?.scope ?? AccessScope(code: "", path: "\u{0}none") }
}
