import Leaf

/// `#tr("Từ kỳ")`: a phrase written in a template, in English when the page is (`English`);
/// also `#tr(x.label)` for a value that is one of those phrases or sentences. Unknown: as written.
package struct TrTag: LeafTag {
    package init() {}
    package func render(_ ctx: LeafContext) throws -> LeafData {
        let text = ctx.parameters.first?.string ?? ""
        guard ctx.data["lang"]?.string == "en" else { return .string(text) }
        return .string(English.translate(text))
    }
}
