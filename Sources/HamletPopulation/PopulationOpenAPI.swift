import Foundation
import HamletWeb

/// Population figures in the OpenAPI document.
extension OpenAPIDocument {
    package static let populationOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/population", summary: "Số liệu dân số trong phạm vi (lọc theo đơn vị, năm, nhóm)", tag: "plans",
              query: ["unit", "year", "group"], response: "PopulationFigures"),
        .init(method: "GET", path: "/api/v1/population/groups", summary: "Các nhóm dân số: nhóm chung và các nhóm đối tượng của danh mục hồ sơ", tag: "plans", response: "PopulationGroups"),
        .init(method: "POST", path: "/api/v1/population", summary: "Nhập một số liệu (số đã có của cùng đơn vị, nhóm, năm được thay: 200)", tag: "plans",
              body: "PopulationInput", response: "PopulationFigure", status: "201"),
        .init(method: "DELETE", path: "/api/v1/population/{figure}", summary: "Xóa một số liệu", tag: "plans", status: "204"),
        .init(method: "POST", path: "/api/v1/population/import", summary: "Nhập từ XLSX/CSV (Mã đơn vị, Năm, Nhóm, Số lượng, Nguồn): cả tệp hoặc không dòng nào", tag: "plans",
              query: ["dryRun"], body: "File", response: "PopulationImport"),
    ]

    package static var populationSchemas: [String: Any] {
        let o = OpenAPISchemas.object
        return [
            "PopulationInput": o(["unitCode": "string", "year": "integer", "group": "string", "value": "integer", "source": "string"],
                                 ["unitCode", "year", "group", "value", "source"]),
            "PopulationFigure": o(["id": "string", "unitCode": "string", "unitName": "string", "year": "integer", "group": "string", "groupName": "string",
                                   "value": "integer", "source": "string", "updatedBy": "string", "updatedOn": "string"], []),
            "PopulationFigures": ["type": "array", "items": ["$ref": "#/components/schemas/PopulationFigure"]],
            "PopulationGroup": o(["code": "string", "name": "string"], []),
            "PopulationGroups": ["type": "array", "items": ["$ref": "#/components/schemas/PopulationGroup"]],
            "PopulationImport": o(["rows": "integer", "created": "integer", "replaced": "integer", "problems": "Problem[]"], []),
        ]
    }
}
