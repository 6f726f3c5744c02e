import Leaf
import HamletKit

/// `#date(x)`: a stored day ("2025-07-01") as Vietnamese officers write it ("01/07/2025").
package struct DateTag: LeafTag {
    package init() {}
    package func render(_ ctx: LeafContext) throws -> LeafData {
        guard let text = ctx.parameters.first?.string, !text.isEmpty else { return .string("") }
        return .string(DayDate(text)?.vietnamese ?? text)
    }
}
