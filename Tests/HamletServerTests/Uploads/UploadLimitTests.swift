import XCTest
import XCTVapor
import Fluent
import ZIPFoundation
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce

/// Findings 3 and 10: bodies were read before sign-in (60 anonymous 24 MB posts to /login took
/// 2.4 GB), a DHIS2 import took 200 MB in memory, and a zip bomb was inflated whole.
final class UploadLimitTests: XCTestCase {
    func testFormsAreSmallAndUploadsWaitForSignIn() async throws {
        try await withApp { app in
            // An anonymous form larger than 64 KB is refused, not read.
            var browser = Browser()
            try await app.test(.GET, "/login") { res async in browser.absorb(res) }
            let b = browser
            try await app.test(.POST, "/login", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: "_csrf=\(b.csrf)&username=x&password=" + String(repeating: "a", count: 200_000))
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .payloadTooLarge)
            })
            // An upload route answers 401 to an anonymous caller before reading the file.
            try await app.test(.POST, "/api/v1/people/import", beforeRequest: { req in
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: "Họ và tên\n" + String(repeating: "x\n", count: 100_000))
            }, afterResponse: { res async in XCTAssertEqual(res.status, .unauthorized) })
            // Signed in, a file over the limit is refused by its declared length.
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.test(.POST, "/api/dataValueSets", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = .json
                req.body = ByteBuffer(repeating: UInt8(ascii: " "), count: Upload.limit + 1)
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .payloadTooLarge)
                XCTAssertContains(res.body.string, "50 MB")
            })
            // A JSON body on an ordinary route is small too.
            try await app.test(.POST, "/api/v1/people", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"fullName":""# + String(repeating: "a", count: 100_000) + #""}"#)
            }, afterResponse: { res async in XCTAssertEqual(res.status, .payloadTooLarge) })
        }
    }

    /// A page's file upload still needs the form's CSRF token, found among the parts.
    func testAPageUploadNeedsItsToken() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let browser = try await app.login("cv")
            for token in ["sai", browser.csrf] {
                let boundary = "----hamlet\(UUID().uuidString)"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"thon.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                body += "Mã xã,Tên thôn,Loại\n30313,Ấp Hòa An,Ấp\n\r\n--\(boundary)--\r\n"
                try await app.test(.POST, "/units/import", beforeRequest: { req in
                    req.headers.replaceOrAdd(name: .cookie, value: browser.cookieHeader)
                    req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                    req.body = ByteBuffer(string: body)
                }, afterResponse: { res async in
                    XCTAssertEqual(res.status, token == "sai" ? .forbidden : .ok, res.body.string.prefix(300).description)
                })
            }
        }
    }

    /// At most two imports at once, with the gate the server is configured with: one more is
    /// told to come back. (The gate used to be made afresh on each use, so it stopped nobody.)
    func testImportsBeyondTheGateAreTurnedAway() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            // Two imports held inside the gate, each until its stream ends.
            let holds = (0..<2).map { _ in AsyncStream<Void>.makeStream() }
            let (entered, signal) = AsyncStream<Void>.makeStream()
            let busy = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (held, _) in holds { group.addTask { try await app.importGate.run { signal.yield(); for await _ in held { break } } } }
                    try await group.waitForAll()
                }
            }
            var inside = 0
            for await _ in entered { inside += 1; if inside == 2 { break } }
            try await app.test(.POST, "/api/v1/hamlets/import", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: "Mã xã,Tên thôn,Loại\n30313,Ấp Hòa An,Ấp\n")
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .serviceUnavailable)
                XCTAssertNotNil(res.headers.first(name: .retryAfter))
            })
            for (_, release) in holds { release.finish() }
            try await busy.value
            try await app.test(.POST, "/api/v1/hamlets/import?dryRun=true", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: "Mã xã,Tên thôn,Loại\n30313,Ấp Hòa An,Ấp\n")
            }, afterResponse: { res async in XCTAssertEqual(res.status, .ok, res.body.string) })
        }
    }

    /// A workbook whose sheet would inflate far past the limits is refused through the import,
    /// naming the limit, with nothing stored.
    func testAZipBombIsRefusedByTheImport() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let bomb = try Self.bomb(megabytes: 96)
            XCTAssertLessThan(bomb.count, 1 << 20)
            try await app.test(.POST, "/api/v1/people/import", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = PeopleImportTests.xlsxType
                req.body = ByteBuffer(data: bomb)
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, "Tệp vượt giới hạn")
            })
            let people = try await Person.query(on: app.db).count()
            XCTAssertEqual(people, 0)
        }
    }

    /// A sheet of blank rows that inflates to `megabytes`: a zip bomb of a few hundred kB.
    static func bomb(megabytes: Int) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let size = megabytes << 20
        let block = Data(repeating: UInt8(ascii: " "), count: 1 << 16)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate, bufferSize: 1 << 16) { _, length in
            block.prefix(length)
        }
        return archive.data!
    }

}
