import Foundation

/// Sentences with values inside them. A pattern is written as the Vietnamese with `{}` where a
/// value goes (`{#}` where only a number or date goes, so "Năm {#}" never takes a sentence that
/// happens to start with "Năm"), and its English with `{}` in the same order (or `{1}`, `{2}` to
/// reorder). A value that is itself a known phrase ("tháng", "Đã duyệt") is put in English too;
/// names and numbers stay.
extension English {
    /// The English of a sentence, or the sentence itself when there is none.
    package static func translate(_ vietnamese: String) -> String {
        if let exact = dictionary[vietnamese] { return exact }
        guard vietnamese.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return vietnamese }
        for sentence in Sentence.all where sentence.mayMatch(vietnamese) {
            if let english = sentence.english(of: vietnamese) { return english }
        }
        return vietnamese
    }

    /// A page's title in English: each part between dashes that is a known phrase ("Tổng hợp số
    /// liệu — Báo cáo tháng"); names stay as they are.
    package static func title(_ vietnamese: String) -> String {
        vietnamese.components(separatedBy: " — ").map { dictionary[$0] ?? $0 }.joined(separator: " — ")
    }

    /// A value inside a sentence: English when it is a known phrase, in the case it was written.
    package static func value(_ text: String) -> String {
        if let exact = dictionary[text] { return exact }
        guard let first = text.first, first.isLowercase else { return text }
        let capital = first.uppercased() + text.dropFirst()
        guard let english = dictionary[capital] else { return text }
        return english.prefix(1).lowercased() + english.dropFirst()
    }

    package struct Sentence: Sendable {
        package let regex: NSRegularExpression
        /// The longest fixed run of the Vietnamese: a sentence without it cannot match.
        package let anchor: String
        /// How many characters of the Vietnamese are fixed.
        package let fixed: Int
        /// Literal runs of the English and, between them, which value goes there.
        package let english: [Piece]
        package enum Piece: Sendable { case text(String), value(Int) }

        package init(_ vietnamese: String, _ english: String) {
            let (pattern, literals) = Self.pattern(vietnamese)
            regex = try! NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators])
            anchor = literals.max(by: { $0.count < $1.count }) ?? ""
            fixed = literals.reduce(0) { $0 + $1.count }
            self.english = Self.pieces(english)
        }

        /// The Vietnamese as a regular expression, and its fixed runs.
        package static func pattern(_ vietnamese: String) -> (String, [String]) {
            var literals: [String] = []
            var pattern = ""
            var rest = Substring(vietnamese)
            while let slot = [rest.range(of: "{}"), rest.range(of: "{#}")].compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound }) {
                let before = String(rest[..<slot.lowerBound])
                literals.append(before)
                pattern += NSRegularExpression.escapedPattern(for: before) + (rest[slot] == "{#}" ? "([-+−0-9.,/%]+)" : "(.+?)")
                rest = rest[slot.upperBound...]
            }
            literals.append(String(rest))
            return (pattern + NSRegularExpression.escapedPattern(for: String(rest)), literals)
        }

        /// The English cut into text and the values between.
        package static func pieces(_ english: String) -> [Piece] {
            var pieces: [Piece] = []
            var next = 0
            var rest = Substring(english)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let inside = rest[rest.index(after: open)..<close]
                guard inside.isEmpty || Int(inside) != nil else {
                    pieces.append(.text(String(rest[...open]))); rest = rest[rest.index(after: open)...]; continue
                }
                pieces.append(.text(String(rest[..<open])))
                if let n = Int(inside) { pieces.append(.value(n - 1)) } else { pieces.append(.value(next)); next += 1 }
                rest = rest[rest.index(after: close)...]
            }
            pieces.append(.text(String(rest)))
            return pieces
        }

        package func mayMatch(_ text: String) -> Bool { anchor.isEmpty || text.contains(anchor) }

        package func english(of text: String) -> String? {
            let range = NSRange(text.startIndex..., in: text)
            guard let match = regex.firstMatch(in: text, range: range) else { return nil }
            let values = (1..<match.numberOfRanges).map { String(text[Range(match.range(at: $0), in: text)!]) }
            return english.map { piece in
                switch piece {
                case .text(let t): t
                case .value(let i): i < values.count ? English.value(values[i]) : ""
                }
            }.joined()
        }

        /// Most fixed text first, so "Mã chức danh «{}» đã có." wins over "Mã {} đã có.".
        package static let all: [Sentence] = English.sentences.map { Sentence($0.0, $0.1) }.sorted { $0.fixed > $1.fixed }
    }
}
