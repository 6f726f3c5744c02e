import Foundation

/// A page as its reader meets it: headings, a field by its label, a table row by its heading, an
/// element's text by id or class. Tests ask these instead of matching markup, so a change of tags
/// or attributes that a user cannot see does not break them, and a wrong figure still does.
/// A small tolerant reader for the server's own HTML (void elements, implied ends), not a
/// browser: the browser journeys cover what only a browser can tell.
struct PageView {
    final class Element {
        let tag: String
        let attributes: [String: String]
        var children: [Node] = []
        init(tag: String, attributes: [String: String]) { (self.tag, self.attributes) = (tag, attributes) }

        /// The text a reader sees: every text inside, spaces collapsed, entities decoded.
        var text: String {
            var out = ""
            func walk(_ e: Element) {
                for child in e.children {
                    switch child {
                    case .text(let t): out += t
                    case .element(let c):
                        if c.tag == "br" { out += " " }
                        if !["script", "style", "template"].contains(c.tag) { walk(c) }
                    }
                }
            }
            walk(self)
            return PageView.collapsed(out)
        }

        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

        /// Every element below this one, in document order.
        var descendants: [Element] {
            children.flatMap { child -> [Element] in
                if case .element(let e) = child { return [e] + e.descendants }
                return []
            }
        }
    }

    enum Node { case text(String), element(Element) }

    let root: Element

    init(_ html: String) { root = Self.parse(html) }

    /// Elements matching `tag`, `#id`, `.class` or `tag.class`.
    func all(_ selector: String) -> [Element] {
        var tag: String? = selector, id: String?, cls: String?
        if selector.hasPrefix("#") { tag = nil; id = String(selector.dropFirst()) }
        else if let dot = selector.firstIndex(of: ".") {
            tag = dot == selector.startIndex ? nil : String(selector[..<dot])
            cls = String(selector[selector.index(after: dot)...])
        }
        return root.descendants.filter { e in
            (tag == nil || e.tag == tag) && (id == nil || e.attributes["id"] == id) && (cls == nil || e.classes.contains(cls!))
        }
    }

    /// The texts of every element matching `selector`.
    func texts(_ selector: String) -> [String] { all(selector).map(\.text) }

    /// The text of the element with this id, nil when there is none.
    func text(id: String) -> String? { all("#" + id).first?.text }

    var title: String { texts("title").first ?? "" }

    /// The headings of a level (1–6), in order.
    func headings(_ level: Int) -> [String] { texts("h\(level)") }

    /// The cells of the table row whose heading cell (`th`) reads `heading`, after that heading.
    func row(_ heading: String) -> [String]? {
        for tr in all("tr") {
            let cells = tr.children.compactMap { child -> Element? in
                if case .element(let e) = child, e.tag == "td" || e.tag == "th" { return e }
                return nil
            }
            if let first = cells.first, first.tag == "th", first.text == heading { return cells.dropFirst().map(\.text) }
        }
        return nil
    }

    /// The value a form field shows, found by its label's text: an input's value, a textarea's
    /// text, a select's chosen option.
    func field(_ label: String) -> String? {
        guard let l = all("label").first(where: { $0.text == label || $0.text.hasPrefix(label) }) else { return nil }
        let control: Element?
        if let target = l.attributes["for"] { control = all("#" + target).first }
        else { control = l.descendants.first { ["input", "select", "textarea"].contains($0.tag) } }
        guard let control else { return nil }
        switch control.tag {
        case "textarea": return control.text
        case "select": return control.descendants.first { $0.tag == "option" && $0.attributes["selected"] != nil }?.text
        default: return control.attributes["value"] ?? ""
        }
    }

    /// The value chosen in the select named `name` (nil when none is marked).
    func chosen(_ name: String) -> String? {
        all("select").first { $0.attributes["name"] == name }?.descendants.first { $0.tag == "option" && $0.attributes["selected"] != nil }?.attributes["value"]
    }

    /// Where the first link reading `text` leads (nil when there is no such link).
    func link(_ text: String) -> String? { all("a").first { $0.text == text }?.attributes["href"] }

    /// Where every link on the page leads.
    var hrefs: [String] { all("a").compactMap { $0.attributes["href"] } }

    /// The values a select or a datalist offers, found by its id or name.
    func options(_ name: String) -> [String] {
        let list = all("select").first { $0.attributes["name"] == name || $0.attributes["id"] == name } ?? all("#" + name).first
        return list?.descendants.filter { $0.tag == "option" }.compactMap { $0.attributes["value"] } ?? []
    }

    /// The element with this id, to read its attributes.
    func element(_ id: String) -> Element? { all("#" + id).first }

    // MARK: reading

    private static let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
    /// An element that a new one of these tags ends without saying so (HTML's implied end tags).
    private static let endedBy: [String: Set<String>] = [
        "p": ["p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "form", "section", "dl"],
        "li": ["li"], "dt": ["dt", "dd"], "dd": ["dt", "dd"], "option": ["option", "optgroup"],
        "td": ["td", "th", "tr"], "th": ["td", "th", "tr"], "tr": ["tr", "tbody", "tfoot"], "thead": ["tbody", "tfoot"], "tbody": ["tbody", "tfoot"],
    ]

    private static func parse(_ html: String) -> Element {
        let root = Element(tag: "#document", attributes: [:])
        var stack = [root]
        var s = Substring(html)
        func append(_ node: Node) { stack[stack.count - 1].children.append(node) }
        while !s.isEmpty {
            guard let lt = s.firstIndex(of: "<") else { append(.text(decoded(String(s)))); break }
            if lt > s.startIndex { append(.text(decoded(String(s[..<lt])))) }
            s = s[lt...]
            if s.hasPrefix("<!--") {
                s = s.range(of: "-->").map { s[$0.upperBound...] } ?? ""
                continue
            }
            guard let gt = s.firstIndex(of: ">") else { break }
            let inside = s[s.index(after: s.startIndex)..<gt]
            s = s[s.index(after: gt)...]
            if inside.hasPrefix("!") || inside.hasPrefix("?") { continue }
            if inside.hasPrefix("/") {
                let name = inside.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
                if let at = stack.lastIndex(where: { $0.tag == name }), at > 0 { stack.removeSubrange(at...) }
                continue
            }
            let (name, attributes) = tag(inside)
            while stack.count > 1, let ends = endedBy[stack[stack.count - 1].tag], ends.contains(name) { stack.removeLast() }
            let element = Element(tag: name, attributes: attributes)
            append(.element(element))
            if name == "script" || name == "style" {
                // Their text is code, never markup: read to the end tag as it stands.
                if let end = s.range(of: "</\(name)", options: .caseInsensitive) {
                    element.children.append(.text(String(s[..<end.lowerBound])))
                    s = s[end.lowerBound...]
                }
                stack.append(element)
            } else if !void.contains(name) && !inside.hasSuffix("/") {
                stack.append(element)
            }
        }
        return root
    }

    /// A start tag's name and attributes (`a="x"`, `a='x'`, `a=x`, `a`).
    private static func tag(_ inside: Substring) -> (String, [String: String]) {
        var chars = inside.trimmingCharacters(in: .init(charactersIn: "/ \n\t"))[...]
        let name = String(chars.prefix { !$0.isWhitespace }).lowercased()
        chars = chars.dropFirst(name.count)
        var attributes: [String: String] = [:]
        while true {
            chars = chars.drop { $0.isWhitespace }
            guard !chars.isEmpty else { break }
            let key = String(chars.prefix { !$0.isWhitespace && $0 != "=" }).lowercased()
            chars = chars.dropFirst(max(key.count, 1)).drop { $0.isWhitespace }
            var value = ""
            if chars.first == "=" {
                chars = chars.dropFirst().drop { $0.isWhitespace }
                if let quote = chars.first, quote == "\"" || quote == "'" {
                    chars = chars.dropFirst()
                    value = String(chars.prefix { $0 != quote })
                    chars = chars.dropFirst(value.count + 1)
                } else {
                    value = String(chars.prefix { !$0.isWhitespace })
                    chars = chars.dropFirst(value.count)
                }
            }
            if !key.isEmpty { attributes[key] = decoded(value) }
        }
        return (name, attributes)
    }

    private static func decoded(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", " "), ("&#58;", ":")] {
            out = out.replacingOccurrences(of: entity, with: character)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

import XCTVapor

extension XCTHTTPResponse {
    /// The answer read as a page (`PageView`).
    var page: PageView { PageView(body.string) }
}
