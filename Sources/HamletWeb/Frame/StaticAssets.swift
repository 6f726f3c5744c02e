import Vapor
import Crypto

/// The site's own files (Public/): one version for all of them, from their contents, so a page
/// links `/hamlet.css?v=…` and a phone keeps the file for a year; a new release changes the
/// version and so the address. A file asked without the version is revalidated each time.
package enum StaticAssets {
    package static let names = ["hamlet.css", "hamlet.js", "offline.js", "sw.js", "certificate.css", "favicon.svg"]

    package static func version(of directory: String) -> String {
        var hash = SHA256()
        for name in names {
            if let data = FileManager.default.contents(atPath: directory + name) { hash.update(data: data) }
        }
        return hash.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}

extension Application {
    private struct AssetVersionKey: StorageKey { typealias Value = String }

    /// Computed once per process from Public/.
    package var assetVersion: String {
        if let v = storage[AssetVersionKey.self] { return v }
        let v = StaticAssets.version(of: directory.publicDirectory)
        storage[AssetVersionKey.self] = v
        return v
    }
}

/// A versioned file is kept for a year; an unversioned one is asked again (ETag makes that cheap).
package struct StaticCache: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let name = String(request.url.path.dropFirst())
        guard request.method == .GET, StaticAssets.names.contains(name), response.status == .ok || response.status == .notModified else { return response }
        let versioned = request.url.query?.hasPrefix("v=") ?? false
        response.headers.replaceOrAdd(name: .cacheControl, value: versioned ? "public, max-age=31536000, immutable" : "no-cache")
        return response
    }
}
