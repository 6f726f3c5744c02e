import Vapor
import Fluent
import HamletKit
import HamletWeb

extension UnitDirectory {
    /// A 2025 unit as an officer types it: its code, or its name (accents and case optional),
    /// followed if need be by the name of a unit above it after a comma ("Khóm 1, Bình Đức").
    /// Only open units inside the account's subtree. Several matches are refused by `field`,
    /// naming each with the units above it, so the officer can tell them apart.
    package func pick(_ typed: String, field: String) async throws -> AdminUnit? {
        let text = VietnameseText.normalized(typed)
        guard !text.isEmpty else { return nil }
        if let unit = try await find(.current, text) { return unit }
        let parts = text.split(separator: ",").map { VietnameseText.folded(String($0)) }.filter { !$0.isEmpty }
        guard let name = parts.first else { return nil }
        let upper = AccessScope.upperBound(scope.path)
        let like = "%" + UnitDirectory.escapeLike(name) + "%"
        var found = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path >= scope.path).filter(\.$path < upper).filter(\.$closedOn == nil)
            .filter(\.$searchName, .custom("LIKE"), like).sort(\.$path).limit(200).all()
        // A whole name ("Khóm 1", or "Bình Đức" for "Phường Bình Đức") before a part of one ("Khóm 10").
        let whole = found.filter { $0.searchName == name || $0.searchName.hasSuffix(" " + name) }
        if !whole.isEmpty { found = whole }
        let above = try await unitsAbove(found)
        func names(above unit: AdminUnit) -> [AdminUnit] { above[unit.path] ?? [] }
        for qualifier in parts.dropFirst() {
            found = found.filter { unit in names(above: unit).contains { $0.searchName.contains(qualifier) } }
        }
        guard found.count > 1 else { return found.first }
        let listed = found.prefix(5).map { unit in unit.name + " (" + names(above: unit).map(\.name).joined(separator: ", ") + ")" }
        throw HamletError.invalid(field, "Có \(found.count) đơn vị tên «\(text)»: " + listed.joined(separator: "; ")
            + (found.count > 5 ? "; …" : "") + ". Gõ thêm tên xã sau dấu phẩy (ví dụ «\(parts[0]), tên xã») hoặc dùng mã.")
    }
}

extension UnitDirectory {
    /// The units above each of `units`, nearest first, by the unit's path; one query for them all.
    package func unitsAbove(_ units: [AdminUnit]) async throws -> [String: [AdminUnit]] {
        let above = try await UnitTree.units(atPaths: Array(Set(units.flatMap { Self.ancestorPaths(of: $0.path) })), on: db)
        return Dictionary(units.map { unit in
            (unit.path, Self.ancestorPaths(of: unit.path).filter { $0 != unit.path }.compactMap { above[$0] }.sorted { $0.path.count > $1.path.count })
        }, uniquingKeysWith: { first, _ in first })
    }
}
