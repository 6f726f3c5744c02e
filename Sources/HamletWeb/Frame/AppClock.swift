import Vapor
import HamletKit

/// The time the application runs on: the one process clock (`HamletClock`). Production reads the
/// system clock; a test stops or moves it, so nothing a test checks depends on the day or the
/// second it runs.
package typealias AppClock = HamletClock

extension Application {
    package var clock: AppClock { HamletClock.shared }
}

extension Request {
    package var now: Date { application.clock.now }
    /// Today in Vietnam, by the app's clock.
    package var today: DayDate { DayDate(now) }
}
