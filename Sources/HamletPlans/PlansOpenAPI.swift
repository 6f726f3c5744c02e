import Foundation
import HamletWeb
import HamletKit
import HamletTraining

/// The plans and indicators routes and bodies in the OpenAPI document.
extension OpenAPIDocument {
    package static let planOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/indicators", summary: "Các chỉ tiêu (định nghĩa là dữ liệu)", tag: "plans", response: "IndicatorList"),
        .init(method: "POST", path: "/api/v1/indicators", summary: "Thêm chỉ tiêu: kind và tham số", tag: "plans", body: "IndicatorInput", response: "Indicator", status: "201"),
        .init(method: "GET", path: "/api/v1/indicators/{id}", summary: "Một chỉ tiêu", tag: "plans", response: "Indicator"),
        .init(method: "PATCH", path: "/api/v1/indicators/{id}", summary: "Sửa chỉ tiêu (chỉ các trường gửi lên)", tag: "plans", body: "IndicatorPatch", response: "Indicator"),
        .init(method: "GET", path: "/api/v1/indicators/{id}/values", summary: "Giá trị của chỉ tiêu tại một đơn vị, vào một ngày, theo đơn vị con", tag: "plans",
              query: ["unit", "date", "breakdown", "map"], response: "IndicatorValue"),
        .init(method: "GET", path: "/api/v1/plans", summary: "Các kế hoạch trong phạm vi (và của cấp trên, đo tại đơn vị mình)", tag: "plans", response: "PlanList"),
        .init(method: "POST", path: "/api/v1/plans", summary: "Thêm kế hoạch, đề án, chương trình", tag: "plans", body: "PlanInput", response: "Plan", status: "201"),
        .init(method: "GET", path: "/api/v1/plans/{id}", summary: "Một kế hoạch: mục tiêu, nhiệm vụ, kinh phí (như ngày date)", tag: "plans", query: ["date"], response: "Plan"),
        .init(method: "PATCH", path: "/api/v1/plans/{id}", summary: "Sửa kế hoạch", tag: "plans", body: "PlanInput", response: "Plan"),
        .init(method: "POST", path: "/api/v1/plans/{id}/objectives", summary: "Thêm mục tiêu", tag: "plans", body: "ObjectiveInput", response: "Objective", status: "201"),
        .init(method: "POST", path: "/api/v1/plans/{id}/tasks", summary: "Thêm nhiệm vụ (cơ quan chủ trì bắt buộc)", tag: "plans", body: "TaskInput", response: "Plan", status: "201"),
        .init(method: "POST", path: "/api/v1/plans/{id}/tasks/{task}/progress", summary: "Cập nhật tiến độ nhiệm vụ", tag: "plans", body: "ProgressInput", response: "Plan"),
        .init(method: "POST", path: "/api/v1/plans/{id}/budget-lines", summary: "Kinh phí theo nguồn và năm", tag: "plans", body: "PlanBudgetInput", response: "Plan"),
        .init(method: "POST", path: "/api/v1/plans/{id}/targets", summary: "Thêm chỉ tiêu của kế hoạch: đơn vị, các mốc, năm cơ sở", tag: "plans", body: "TargetInput", response: "TargetView", status: "201"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/objectives/{part}", summary: "Xóa mục tiêu (chỉ tiêu gắn với nó được giữ, bỏ gắn)", tag: "plans", status: "204"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/tasks/{part}", summary: "Xóa nhiệm vụ và các cập nhật tiến độ của nó", tag: "plans", status: "204"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/budget-lines/{part}", summary: "Xóa dòng kinh phí", tag: "plans", status: "204"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/targets/{part}", summary: "Xóa chỉ tiêu của kế hoạch", tag: "plans", status: "204"),
        .init(method: "GET", path: "/api/v1/plans/{id}/dashboard", summary: "Bảng theo dõi: giá trị hiện tại, mốc, trạng thái, xu hướng, đơn vị con", tag: "plans",
              query: ["date", "unit", "trend", "map"], response: "Dashboard"),
        .init(method: "GET", path: "/api/v1/plans/{id}/report", summary: "Báo cáo kết quả thực hiện (DOCX, thể thức Nghị định 30/2020): năm, sơ kết hoặc tổng kết", tag: "plans",
              query: ["year", "kind=annual|interim|final"]),
    ]

    package static var planSchemas: [String: Any] {
        let o = OpenAPISchemas.object, list = OpenAPISchemas.list, partial = OpenAPISchemas.partial
        let indicatorInput = o(["code": "string", "name": "string", "definition": "#IndicatorDefinition", "note": "string"], ["code", "name", "definition"])
        return [
            "IndicatorDefinition": o(["kind": OpenAPISchemas.oneOf(IndicatorKind.self), "staff": "#StaffCriteria", "trained": "#TrainedCriteria", "rule": "#CoverageRuleBody",
                                      "facilityTypes": "string[]", "fromYear": "integer", "budgetOf": OpenAPISchemas.oneOf(BudgetBasis.self), "fundingSources": OpenAPISchemas.manyOf(FundingSource.self),
                                      "planNumbers": "string[]", "baselineYear": "integer", "element": "string", "combo": "string", "caseCategories": "string[]", "serviceTypes": "string[]", "base": OpenAPISchemas.oneOf(ShareBase.self),
                                      "activityKinds": "string[]", "activityMeasure": OpenAPISchemas.oneOf(ActivityMeasure.self)], ["kind"]),
            "StaffCriteria": o(["domains": "string[]", "kinds": "string[]"], []),
            "TrainedCriteria": o(["courseKinds": "string[]", "courseDomains": "string[]", "minLevel": "string", "levels": "string[]", "since": "string"], []),
            "CoverageRuleBody": o(["level": "string", "organisationType": "string", "organisationTypes": "string[]", "allDomains": "boolean",
                                   "domains": "string[]", "kinds": "string[]", "min": "integer", "max": "integer"], []),
            "Indicator": o(["id": "string", "code": "string", "name": "string", "kind": "string", "kindLabel": "string", "measure": "string",
                            "definition": "#IndicatorDefinition", "note": "string", "owner": "string", "tally": "#TallyProgress"], []),
            "TallyProgress": o(["state": "string", "done": "integer", "total": "integer", "percent": "integer"], ["state"]),
            "IndicatorList": list("Indicator"),
            "IndicatorInput": indicatorInput,
            "IndicatorPatch": partial(indicatorInput),
            "IndicatorValue": o(["indicatorId": "string", "code": "string", "name": "string", "kind": "string", "measure": "string", "description": "string",
                                 "unitCode": "string", "unitName": "string", "date": "string", "value": "number", "numerator": "integer",
                                 "denominator": "integer", "children": "IndicatorChild[]", "hidden": "boolean", "map": "string", "unplaced": "integer",
                                 "baselineYear": "integer", "computable": "boolean", "building": "boolean"], []),
            "Plan": o(["id": "string", "number": "string", "kind": "string", "issuer": "string", "signer": "string", "issuedOn": "string", "title": "string",
                       "fromYear": "integer", "toYear": "integer", "scopeCode": "string", "legalBases": "string[]", "status": "string",
                       "reportWhat": "string", "reportBy": "string", "reportTo": "string", "reportDue": "string", "interimYear": "integer", "finalYear": "integer",
                       "objectives": "Objective[]", "tasks": "PlanTask[]", "budget": "PlanBudget[]"], []),
            "PlanList": list("Plan"),
            "PlanInput": o(["number": "string", "kind": "string", "issuer": "string", "signer": "string", "issuedOn": "string", "title": "string",
                            "fromYear": "integer", "toYear": "integer", "scopeCode": "string", "legalBases": "string", "status": "string",
                            "statusReason": "string", "statusSince": "string", "reportWhat": "string", "reportBy": "string", "reportTo": "string", "reportDue": "string", "interimYear": "integer", "finalYear": "integer"],
                           ["number", "kind", "issuer", "issuedOn", "title", "fromYear", "toYear", "scopeCode"]),
            "Objective": o(["id": "string", "general": "boolean", "text": "string"], []),
            "ObjectiveInput": o(["general": "boolean", "text": "string"], ["text"]),
            "PlanTask": o(["id": "string", "title": "string", "leadAgencyId": "string", "leadAgency": "string", "coordinating": "string[]", "timeFrame": "string",
                           "startsOn": "string", "endsOn": "string", "status": "string", "progress": "Progress[]"], []),
            "Progress": o(["on": "string", "status": "string", "text": "string", "username": "string"], []),
            "TaskInput": o(["title": "string", "leadAgencyId": "string", "coordinatingAgencyIds": "string[]", "timeFrame": "string", "status": "string"],
                           ["title", "leadAgencyId", "timeFrame"]),
            "ProgressInput": o(["on": "string", "status": "string", "text": "string"], ["text"]),
            "PlanBudget": o(["id": "string", "source": "string", "year": "integer", "planned": "integer", "spent": "integer"], []),
            "PlanBudgetInput": o(["source": "string", "year": "integer", "planned": "integer", "spent": "integer"], ["source", "year"]),
            "Stage": o(["deadline": "string", "value": "number"], ["deadline", "value"]),
            "TargetInput": o(["indicatorId": "string", "unitCode": "string", "objectiveId": "string", "stages": "Stage[]", "baselineYear": "integer",
                              "baselineValue": "number", "note": "string", "direction": OpenAPISchemas.oneOf(TargetDirection.self, orEmpty: true)], ["indicatorId", "stages"]),
            "TargetView": o(["id": "string", "indicatorId": "string", "indicatorCode": "string", "name": "string", "measure": "string", "unitCode": "string",
                             "unitName": "string", "stages": "Stage[]", "baselineYear": "integer", "baselineValue": "number", "current": "number",
                             "numerator": "integer", "denominator": "integer", "expected": "number", "status": "string", "statusLabel": "string",
                             "trend": "TrendPoint[]", "children": "IndicatorChild[]", "hidden": "boolean", "building": "boolean"], []),
            "TrendPoint": o(["label": "string", "date": "string", "value": "number"], []),
            "Dashboard": o(["plan": "#Plan", "unitCode": "string", "unitName": "string", "date": "string", "statusRule": "string", "targets": "TargetView[]"], []),
            "IndicatorChild": o(["code": "string", "name": "string", "value": "number", "numerator": "integer", "denominator": "integer"], []),
        ]
    }
}
