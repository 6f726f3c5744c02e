import Foundation
import HamletServer

do {
    try await HamletMain.run()
} catch {
    exit(1)
}
