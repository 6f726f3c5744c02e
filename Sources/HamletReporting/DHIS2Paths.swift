import HamletWeb
/// DHIS2 clients call versioned paths (`/api/40/dataValueSets`, `/api/41/system/info`): each is
/// answered as its unversioned path, rewritten before routing (`FrontResponder`), so the route
/// table, the OpenAPI document and the access policy list each DHIS2 operation once. Only a
/// two-digit version is read this way; Hamlet's own `/api/v1/…` is not a DHIS2 version.
package enum DHIS2VersionedPaths {
    /// `/api/40/x` → `/api/x`; nil for any other path.
    package static func unversioned(_ path: String) -> String? {
        guard path.hasPrefix("/api/") else { return nil }
        let rest = path.dropFirst(5)
        let version = rest.prefix { $0 != "/" }
        guard version.count == 2, version.allSatisfy({ $0.isASCII && $0.isNumber }), rest.count > 3 else { return nil }
        return "/api/" + rest.dropFirst(3)
    }
}
