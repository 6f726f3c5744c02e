import Foundation

/// The plans and indicators routes and bodies in the OpenAPI document.
extension OpenAPIDocument {
    static let planOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/indicators", summary: "Các chỉ tiêu (định nghĩa là dữ liệu)", tag: "plans", response: "IndicatorList"),
        .init(method: "POST", path: "/api/v1/indicators", summary: "Thêm chỉ tiêu: kind và tham số", tag: "plans", body: "IndicatorInput", response: "Indicator", status: "201"),
        .init(method: "GET", path: "/api/v1/indicators/{id}", summary: "Một chỉ tiêu", tag: "plans", response: "Indicator"),
        .init(method: "PATCH", path: "/api/v1/indicators/{id}", summary: "Sửa chỉ tiêu", tag: "plans", body: "IndicatorInput", response: "Indicator"),
        .init(method: "GET", path: "/api/v1/indicators/{id}/values", summary: "Giá trị của chỉ tiêu tại một đơn vị, vào một ngày, theo đơn vị con", tag: "plans",
              query: ["unit", "date", "breakdown"], response: "IndicatorValue"),
    ]

    static var planSchemas: [String: Any] {
        let o = OpenAPISchemas.object, list = OpenAPISchemas.list
        return [
            "IndicatorDefinition": o(["kind": "string", "staff": "#StaffCriteria", "trained": "#TrainedCriteria", "rule": "#CoverageRuleBody",
                                      "facilityTypes": "string[]", "fromYear": "integer"], ["kind"]),
            "StaffCriteria": o(["domains": "string[]", "kinds": "string[]"], []),
            "TrainedCriteria": o(["courseKinds": "string[]", "courseDomains": "string[]", "minLevel": "string", "since": "string"], []),
            "CoverageRuleBody": o(["level": "string", "organisationType": "string", "domains": "string[]", "kinds": "string[]", "min": "integer", "max": "integer"], []),
            "Indicator": o(["id": "string", "code": "string", "name": "string", "kind": "string", "kindLabel": "string", "measure": "string",
                            "definition": "#IndicatorDefinition", "note": "string"], []),
            "IndicatorList": list("Indicator"),
            "IndicatorInput": o(["code": "string", "name": "string", "definition": "#IndicatorDefinition", "note": "string"], ["code", "name", "definition"]),
            "IndicatorValue": o(["indicatorId": "string", "code": "string", "name": "string", "kind": "string", "measure": "string", "description": "string",
                                 "unitCode": "string", "unitName": "string", "date": "string", "value": "number", "numerator": "integer",
                                 "denominator": "integer", "children": "IndicatorChild[]"], []),
            "IndicatorChild": o(["code": "string", "name": "string", "value": "number", "numerator": "integer", "denominator": "integer"], []),
        ]
    }
}
