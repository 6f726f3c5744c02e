import Foundation

public enum Percent {
    /// One decimal, 0 when there is nothing to count.
    public static func of(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}
