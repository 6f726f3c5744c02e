import Foundation

/// A line chart as SVG text, drawn on the server: no script, readable on a phone (it scales to its
/// box), printable, with a <title> and <desc> for screen readers. Values are percentages (0–100)
/// unless `maximum` says otherwise; a value below zero brings an axis below zero; a point without
/// a value is a gap in the line, never 0; an optional target draws a dashed line, and the legend
/// names both lines.
public struct LineChart: Sendable {
    public struct Point: Sendable, Equatable {
        public var label: String
        public var value: Double?
        public init(label: String, value: Double?) { self.label = label; self.value = value }
    }

    public var title: String
    public var points: [Point]
    public var maximum: Double
    public var minimum: Double
    /// The distance between grid lines.
    var step: Double
    public var target: Double?
    public var unit: String
    /// The legend's names of the value line and the target line.
    public var valueName: String
    public var targetName: String

    public init(title: String, points: [Point], maximum: Double = 100, target: Double? = nil, unit: String = "%",
                valueName: String = "Giá trị", targetName: String = "Mốc") {
        let lowest = min(0, points.compactMap(\.value).min() ?? 0, target ?? 0)
        self.title = title; self.points = points; self.target = target; self.unit = unit
        self.valueName = valueName; self.targetName = targetName
        // Below zero, the scale runs from a round negative number; 0 stays a grid line.
        if lowest < 0 {
            let top = max(maximum, points.compactMap(\.value).max() ?? 0, target ?? 0, 0)
            let step = Self.nice(max(top - lowest, 1)) / 4
            self.step = step
            self.minimum = (lowest / step).rounded(.down) * step
            self.maximum = max(step, (top / step).rounded(.up) * step)
        } else {
            self.minimum = 0
            self.maximum = Self.nice(max(maximum, 1))
            self.step = self.maximum / 4
        }
    }

    /// The top of the scale raised so each of the four steps is a round whole number (1, 2, 2.5,
    /// 3, 4 or 5 times a power of ten): 1,2 becomes 4, 107 becomes 120 (not 200), 18 billion
    /// becomes 20 billion, 100 stays.
    static func nice(_ top: Double) -> Double {
        let step = top / 4
        let magnitude = pow(10, floor(log10(step)))
        let round = [1, 2, 2.5, 3, 4, 5, 10].first { $0 * magnitude >= step * 0.999_999 }! * magnitude
        return max(round, 1) * 4
    }

    static let width = 480.0, height = 240.0, left = 40.0, right = 12.0, top = 14.0, bottom = 34.0

    /// x of the i-th point, y of a value, inside the plotting box.
    func x(_ i: Int) -> Double {
        let span = Self.width - Self.left - Self.right
        return points.count <= 1 ? Self.left + span / 2 : Self.left + span * Double(i) / Double(points.count - 1)
    }

    func y(_ value: Double) -> Double {
        let span = Self.height - Self.top - Self.bottom
        return Self.top + span * (1 - (min(max(value, minimum), maximum) - minimum) / (maximum - minimum))
    }

    func text(_ value: Double?) -> String {
        value.map { VietnameseFormat.decimal($0) + unit } ?? "không có số liệu"
    }

    public var description: String {
        var parts = points.map { "\($0.label): \(text($0.value))" }
        if let target { parts.append("\(targetName): \(text(target))") }
        return parts.joined(separator: "; ")
    }

    /// Runs of consecutive points that have a value: each is drawn as its own line.
    var runs: [[Int]] {
        var runs: [[Int]] = [], current: [Int] = []
        for i in points.indices {
            if points[i].value == nil { if !current.isEmpty { runs.append(current) }; current = [] } else { current.append(i) }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    public var svg: String {
        var out = #"<svg class="chart" viewBox="0 0 \#(Int(Self.width)) \#(Int(Self.height))" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">"#
        out += "<title id=\"chart-title\">\(Self.escape(title))</title><desc id=\"chart-desc\">\(Self.escape(description))</desc>"
        let steps = Int(((maximum - minimum) / step).rounded())
        for i in 0...steps {
            let value = minimum + step * Double(i)
            let yy = Self.format(y(value))
            let zero = abs(value) < 1e-9 && minimum < 0
            out += "<line x1=\"\(Int(Self.left))\" x2=\"\(Int(Self.width - Self.right))\" y1=\"\(yy)\" y2=\"\(yy)\" stroke=\"\(zero ? "#475467" : "#d0d5dd")\" stroke-width=\"1\"/>"
            out += "<text x=\"\(Int(Self.left - 6))\" y=\"\(yy)\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"16\" fill=\"#475467\">\(VietnameseFormat.decimal(value, places: 0))</text>"
        }
        if let target {
            let yy = Self.format(y(target))
            out += "<line class=\"target\" x1=\"\(Int(Self.left))\" x2=\"\(Int(Self.width - Self.right))\" y1=\"\(yy)\" y2=\"\(yy)\" stroke=\"#b42318\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
        }
        for run in runs where run.count > 1 {
            let line = run.map { "\(Self.format(x($0))),\(Self.format(y(points[$0].value!)))" }.joined(separator: " ")
            out += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#1849a9\" stroke-width=\"3\" stroke-linejoin=\"round\"/>"
        }
        let labelled = Set(labelled)
        for (i, p) in points.enumerated() {
            if let value = p.value {
                out += "<circle cx=\"\(Self.format(x(i)))\" cy=\"\(Self.format(y(value)))\" r=\"4\" fill=\"#1849a9\"><title>\(Self.escape(p.label)): \(Self.escape(text(value)))</title></circle>"
            }
            if labelled.contains(i) {
                out += "<text x=\"\(Self.format(x(i)))\" y=\"\(Int(Self.height - 12))\" text-anchor=\"\(anchor(i))\" font-size=\"16\" fill=\"#475467\">\(Self.escape(p.label))</text>"
            }
        }
        return out + "</svg>"
    }

    /// The legend to print under the chart, as HTML: each line drawn, by name.
    public var legend: String {
        var items = ["<li><span class=\"key key-value\" aria-hidden=\"true\"></span>\(Self.escape(valueName))</li>"]
        if let target { items.append("<li><span class=\"key key-target\" aria-hidden=\"true\"></span>\(Self.escape(targetName)): \(Self.escape(text(target)))</li>") }
        return "<ul class=\"chart-legend\">" + items.joined() + "</ul>"
    }

    /// The end labels hang inward so they are never cut at the edges.
    func anchor(_ i: Int) -> String {
        points.count > 1 && i == 0 ? "start" : (points.count > 1 && i == points.count - 1 ? "end" : "middle")
    }

    /// The points whose label is written under the axis: the first and the last always, the others
    /// at a regular stride when they keep clear of their neighbours (a date beside a year would
    /// print over it). A label is taken as 0.55 em a character wide.
    var labelled: [Int] {
        guard let last = points.indices.last else { return [] }
        func extent(_ i: Int) -> (from: Double, to: Double) {
            let width = Double(points[i].label.count) * 16 * 0.55
            switch anchor(i) {
            case "start": return (x(i), x(i) + width)
            case "end": return (x(i) - width, x(i))
            default: return (x(i) - width / 2, x(i) + width / 2)
            }
        }
        let every = max(1, Int((Double(points.count) / 8).rounded(.up)))
        var shown = [0]
        for i in stride(from: every, to: last, by: every) where extent(i).from >= extent(shown.last!).to + 6 && extent(i).to + 6 <= extent(last).from {
            shown.append(i)
        }
        return last > 0 ? shown + [last] : shown
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
