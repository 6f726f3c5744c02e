import Foundation

/// The reporting routes and bodies in the OpenAPI document, with DHIS2's own paths.
extension OpenAPIDocument {
    static let reportingOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/data-categories", summary: "Các cách phân tổ (giới tính, nhóm tuổi…)", tag: "reporting", response: "DataCategoryList"),
        .init(method: "POST", path: "/api/v1/data-categories", summary: "Thêm cách phân tổ", tag: "reporting", body: "DataCategory", response: "DataCategory", status: "201"),
        .init(method: "PATCH", path: "/api/v1/data-categories/{code}", summary: "Sửa cách phân tổ", tag: "reporting", body: "DataCategory", response: "DataCategory"),
        .init(method: "GET", path: "/api/v1/data-elements", summary: "Các chỉ tiêu báo cáo", tag: "reporting", query: ["page", "per"], response: "DataElementList"),
        .init(method: "POST", path: "/api/v1/data-elements", summary: "Thêm chỉ tiêu báo cáo", tag: "reporting", body: "DataElementInput", response: "DataElement", status: "201"),
        .init(method: "GET", path: "/api/v1/data-elements/{code}", summary: "Một chỉ tiêu báo cáo", tag: "reporting", response: "DataElement"),
        .init(method: "PATCH", path: "/api/v1/data-elements/{code}", summary: "Sửa chỉ tiêu báo cáo", tag: "reporting", body: "DataElementInput", response: "DataElement"),
        .init(method: "GET", path: "/api/v1/data-sets", summary: "Các biểu báo cáo", tag: "reporting", response: "DataSetList"),
        .init(method: "POST", path: "/api/v1/data-sets", summary: "Thêm biểu báo cáo: chỉ tiêu, kỳ, cấp báo cáo, hạn nộp, quy tắc", tag: "reporting", body: "DataSetInput", response: "DataSet", status: "201"),
        .init(method: "GET", path: "/api/v1/data-sets/{code}", summary: "Một biểu báo cáo", tag: "reporting", response: "DataSet"),
        .init(method: "PATCH", path: "/api/v1/data-sets/{code}", summary: "Sửa biểu báo cáo", tag: "reporting", body: "DataSetInput", response: "DataSet"),
        .init(method: "GET", path: "/api/v1/reports/{set}/{org}/{period}", summary: "Báo cáo của một đơn vị cho một kỳ (org: mã đơn vị 2025 hoặc id cơ sở)", tag: "reporting", response: "Report"),
        .init(method: "PUT", path: "/api/v1/reports/{set}/{org}/{period}", summary: "Lưu nháp hoặc gửi (version bắt buộc; 409 kèm số liệu hiện tại nếu cũ; clientId chống gửi trùng)", tag: "reporting", body: "ReportInput", response: "Report"),
        .init(method: "POST", path: "/api/v1/reports/{set}/{org}/{period}/{decision}", summary: "Cấp trên: approve, return (cần comment) hoặc unlock", tag: "reporting", body: "DecisionInput", response: "Report"),
        .init(method: "GET", path: "/api/v1/data-values/totals", summary: "Tổng hợp trực tiếp một chỉ tiêu theo đơn vị con và khoảng kỳ", tag: "reporting",
              query: ["element", "unit", "period", "from", "to", "combo"], response: "Totals"),
        .init(method: "GET", path: "/api/dataValueSets", summary: "DHIS2: xuất giá trị (JSON)", tag: "dhis2", query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"], response: "DataValueSet"),
        .init(method: "GET", path: "/api/dataValueSets.json", summary: "DHIS2: xuất giá trị (JSON)", tag: "dhis2", query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"], response: "DataValueSet"),
        .init(method: "GET", path: "/api/dataValueSets.csv", summary: "DHIS2: xuất giá trị (CSV)", tag: "dhis2", query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"]),
        .init(method: "POST", path: "/api/dataValueSets", summary: "DHIS2: nhập giá trị (JSON hoặc CSV theo Content-Type)", tag: "dhis2", query: ["atomic", "dryRun"], body: "DataValueSet", response: "ImportMessage"),
        .init(method: "POST", path: "/api/dataValueSets.json", summary: "DHIS2: nhập giá trị (JSON)", tag: "dhis2", query: ["atomic", "dryRun"], body: "DataValueSet", response: "ImportMessage"),
        .init(method: "POST", path: "/api/dataValueSets.csv", summary: "DHIS2: nhập giá trị (CSV)", tag: "dhis2", query: ["atomic", "dryRun"], body: "File", response: "ImportMessage"),
        .init(method: "GET", path: "/api/system/info", summary: "DHIS2: thông tin máy chủ", tag: "dhis2"),
        .init(method: "GET", path: "/api/me", summary: "DHIS2: tài khoản đang dùng và đơn vị của nó", tag: "dhis2"),
    ]

    static var reportingSchemas: [String: Any] {
        let o = OpenAPISchemas.object, list = OpenAPISchemas.list
        return [
            "DataCategory": o(["code": "string", "name": "string", "options": "CategoryOption[]"], ["code", "name", "options"]),
            "CategoryOption": o(["code": "string", "name": "string"], ["code", "name"]),
            "DataCategoryList": list("DataCategory"),
            "DataElement": o(["id": "string", "code": "string", "name": "string", "shortName": "string", "valueType": "string", "valueTypeLabel": "string",
                              "aggregation": "string", "categories": "string[]", "description": "string"], []),
            "DataElementList": list("DataElement"),
            "DataElementInput": o(["code": "string", "name": "string", "shortName": "string", "valueType": "string", "aggregation": "string",
                                   "categories": "string[]", "description": "string"], ["code", "name"]),
            "DataSetItem": o(["element": "string", "section": "string"], ["element"]),
            "ValidationRule": o(["kind": "string", "left": "string", "op": "string", "right": "string", "min": "number", "max": "number", "message": "string"], ["kind", "left"]),
            "DataSetInput": o(["code": "string", "name": "string", "periodicity": "string", "levels": "string[]", "facilityTypes": "string[]", "dueDays": "integer",
                               "dueDay": "integer", "dueMonth": "integer", "cutoffDay": "integer", "elements": "DataSetItem[]", "rules": "ValidationRule[]"],
                              ["code", "name", "periodicity", "elements"]),
            "DataSet": o(["id": "string", "code": "string", "name": "string", "periodicity": "string", "levels": "string[]", "facilityTypes": "string[]",
                          "dueLabel": "string", "cutoffDay": "integer", "elements": "DataSetItem[]"], []),
            "DataSetList": list("DataSet"),
            "ReportValue": o(["dataElement": "string", "categoryOptionCombo": "string", "value": "string"], ["dataElement"]),
            "ReportInput": o(["version": "integer", "clientId": "string", "values": "ReportValue[]", "submit": "boolean"], ["version"]),
            "DecisionInput": o(["comment": "string"], []),
            "Report": o(["dataSet": "string", "orgUnit": "string", "orgUnitName": "string", "period": "string", "periodLabel": "string", "status": "string",
                         "version": "integer", "dueDate": "string", "timeliness": "string", "firstSubmittedOn": "string", "comment": "string", "locked": "boolean",
                         "replayed": "boolean", "values": "ReportValue[]", "warnings": "Problem[]"], []),
            "TotalsChild": o(["code": "string", "name": "string", "value": "number", "values": "integer"], []),
            "Totals": o(["element": "string", "aggregation": "string", "unitCode": "string", "from": "string", "to": "string", "combo": "string",
                         "total": "number", "values": "integer", "children": "TotalsChild[]", "rule": "string"], []),
            "DHIS2Value": o(["dataElement": "string", "period": "string", "orgUnit": "string", "categoryOptionCombo": "string", "attributeOptionCombo": "string",
                             "value": "string", "storedBy": "string", "lastUpdated": "string", "deleted": "boolean"], []),
            "DataValueSet": o(["dataSet": "string", "period": "string", "orgUnit": "string", "dataValues": "DHIS2Value[]"], ["dataValues"]),
            "ImportCount": o(["imported": "integer", "updated": "integer", "ignored": "integer", "deleted": "integer"], []),
            "ImportConflict": o(["object": "string", "value": "string", "property": "string", "errorCode": "string"], []),
            "ImportSummary": o(["responseType": "string", "status": "string", "description": "string", "importCount": "#ImportCount", "conflicts": "ImportConflict[]"], []),
            "ImportMessage": o(["httpStatus": "string", "httpStatusCode": "integer", "status": "string", "message": "string", "response": "#ImportSummary"], []),
        ]
    }
}
