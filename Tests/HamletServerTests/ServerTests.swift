import XCTest
import XCTVapor
final class ServerTests: XCTestCase { func testNothing() {} }
