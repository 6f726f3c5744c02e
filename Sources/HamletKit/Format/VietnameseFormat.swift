import Foundation

/// How Vietnamese officers read numbers and dates: 1.234.567, 12,5 and dd/MM/yyyy.
public enum VietnameseFormat {
    public static func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + String(out.reversed())
    }

    public static func decimal(_ value: Double, places: Int = 1) -> String {
        let scale = pow(10.0, Double(places))
        let rounded = (value * scale).rounded() / scale
        let whole = Int(rounded.magnitude.rounded(.down))
        let fraction = Int(((rounded.magnitude - Double(whole)) * scale).rounded())
        let sign = rounded < 0 ? "-" : ""
        guard places > 0 else { return sign + integer(whole) }
        let padded = String(repeating: "0", count: max(0, places - String(fraction).count)) + String(fraction)
        return sign + integer(whole) + "," + padded
    }

    /// The date line of an official document (Decree 30/2020, Appendix I): a day below 10 and
    /// the months 1 and 2 take a leading zero — "ngày 09 tháng 3 năm 2023", "ngày 15 tháng 01 năm 2024".
    public static func officialDate(day: Int, month: Int, year: Int) -> String {
        let d = day < 10 ? "0\(day)" : "\(day)"
        let m = month < 3 ? "0\(month)" : "\(month)"
        return "ngày \(d) tháng \(m) năm \(year)"
    }

    /// "2025-07-01" or a Date → "01/07/2025".
    public static func date(_ date: Date, timeZone: TimeZone = vietnam) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0)
    }

    public static func dateTime(_ date: Date, timeZone: TimeZone = vietnam) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d ", c.hour ?? 0, c.minute ?? 0) + self.date(date, timeZone: timeZone)
    }

    public static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!
}
