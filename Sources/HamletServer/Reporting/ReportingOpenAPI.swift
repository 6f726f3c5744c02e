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
        .init(method: "GET", path: "/api/v1/data-sets/{code}/completeness", summary: "Ai đã báo cáo, đúng hạn hay muộn, ai chưa (đơn vị × kỳ), theo đơn vị con, danh sách quá hạn",
              tag: "reporting", query: ["unit", "from", "to"], response: "Completeness"),
        .init(method: "GET", path: "/api/v1/data-sets/{code}/pivot", summary: "Bảng tổng hợp: đơn vị con × chỉ tiêu (× phân tổ nếu split=combos) × kỳ (by: monthly, quarterly, six-monthly, yearly, span)",
              tag: "reporting", query: ["unit", "from", "to", "by", "split", "format"], response: "Pivot"),
        .init(method: "GET", path: "/api/dataValueSets", summary: "DHIS2: xuất giá trị (JSON)", tag: "dhis2", query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"], response: "DataValueSet"),
        .init(method: "GET", path: "/api/dataValueSets.json", summary: "DHIS2: xuất giá trị (JSON)", tag: "dhis2", query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"], response: "DataValueSet"),
        .init(method: "GET", path: "/api/dataValueSets.csv", summary: "DHIS2: xuất giá trị (CSV)", tag: "dhis2", query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"]),
        .init(method: "POST", path: "/api/dataValueSets", summary: "DHIS2: nhập giá trị (JSON hoặc CSV theo Content-Type)", tag: "dhis2", query: ["atomic", "dryRun"], body: "DataValueSet", response: "ImportMessage"),
        .init(method: "POST", path: "/api/dataValueSets.json", summary: "DHIS2: nhập giá trị (JSON)", tag: "dhis2", query: ["atomic", "dryRun"], body: "DataValueSet", response: "ImportMessage"),
        .init(method: "POST", path: "/api/dataValueSets.csv", summary: "DHIS2: nhập giá trị (CSV)", tag: "dhis2", query: ["atomic", "dryRun"], body: "File", response: "ImportMessage"),
        .init(method: "GET", path: "/api/dataValueSets.adx", summary: "ADX (IHE): xuất giá trị dạng XML; cũng là GET /api/dataValueSets với Accept: application/adx+xml", tag: "dhis2",
              query: ["dataSet", "dataElement", "period", "startDate", "endDate", "orgUnit", "children"]),
        .init(method: "POST", path: "/api/dataValueSets.adx", summary: "ADX (IHE): nhập giá trị dạng XML; cũng là POST /api/dataValueSets với Content-Type: application/adx+xml",
              tag: "dhis2", query: ["atomic", "dryRun"], body: "File", response: "ImportMessage"),
        .init(method: "GET", path: "/api/dataValues", summary: "DHIS2: một giá trị (de, pe, ou, co); trả về [\"giá trị\"]", tag: "dhis2", query: ["de", "pe", "ou", "co"]),
        .init(method: "POST", path: "/api/dataValues", summary: "DHIS2: ghi một giá trị (de, pe, ou, co, value), cùng kiểm tra như khi nhập", tag: "dhis2", query: ["de", "pe", "ou", "co", "value"], status: "201"),
        .init(method: "DELETE", path: "/api/dataValues", summary: "DHIS2: xóa một giá trị", tag: "dhis2", query: ["de", "pe", "ou", "co"], status: "204"),
        .init(method: "GET", path: "/api/system/info", summary: "DHIS2: thông tin máy chủ", tag: "dhis2"),
        .init(method: "GET", path: "/api/me", summary: "DHIS2: tài khoản đang dùng và đơn vị của nó", tag: "dhis2"),
    ] + dhis2MetadataOperations

    /// Each DHIS2 metadata list answers at `/api/x`, `/api/x.json` and `/api/x/{id}`.
    static var dhis2MetadataOperations: [Operation] {
        let lists = [
            ("organisationUnits", "đơn vị trong phạm vi tài khoản (cấp 1 tỉnh, 2 xã, 3 thôn; cơ sở dưới đơn vị của nó)"),
            ("dataElements", "chỉ tiêu báo cáo"),
            ("dataSets", "biểu báo cáo (organisationUnits khi được hỏi trong fields)"),
            ("categoryCombos", "tổ hợp cách phân tổ"),
            ("categoryOptionCombos", "các ô phân tổ"),
        ]
        let query = ["fields", "filter", "rootJunction", "order", "page", "pageSize", "paging"]
        return lists.flatMap { name, what in [
            Operation(method: "GET", path: "/api/\(name)", summary: "DHIS2: \(what), có fields, filter, order, pager", tag: "dhis2", query: query),
            Operation(method: "GET", path: "/api/\(name).json", summary: "DHIS2: \(what)", tag: "dhis2", query: query),
            Operation(method: "GET", path: "/api/\(name)/{id}", summary: "DHIS2: một mục theo mã", tag: "dhis2", query: ["fields"]),
        ] }
    }

    static var reportingSchemas: [String: Any] {
        let o = OpenAPISchemas.object, list = OpenAPISchemas.list
        return [
            "DataCategory": o(["code": "string", "name": "string", "options": "CategoryOption[]"], ["code", "name", "options"]),
            "CategoryOption": o(["code": "string", "name": "string"], ["code", "name"]),
            "DataCategoryList": list("DataCategory"),
            "DataElement": o(["id": "string", "code": "string", "name": "string", "shortName": "string", "valueType": "string", "valueTypeLabel": "string",
                              "aggregation": "string", "categories": "string[]", "description": "string", "owner": "string",
                              "minimum": "number", "maximum": "number"], []),
            "DataElementList": list("DataElement"),
            "DataElementInput": o(["code": "string", "name": "string", "shortName": "string", "valueType": "string", "aggregation": "string",
                                   "categories": "string[]", "description": "string", "minimum": "number", "maximum": "number"], ["code", "name"]),
            "DataSetItem": o(["element": "string", "section": "string"], ["element"]),
            "ValidationRule": o(["kind": "string", "left": "string", "op": "string", "right": "string", "min": "number", "max": "number", "message": "string"], ["kind", "left"]),
            "DataSetInput": o(["code": "string", "name": "string", "periodicity": "string", "levels": "string[]", "facilityTypes": "string[]", "dueDays": "integer",
                               "dueDay": "integer", "dueMonth": "integer", "cutoffDay": "integer", "remindDays": "integer", "closeDays": "integer", "elements": "DataSetItem[]", "rules": "ValidationRule[]"],
                              ["code", "name", "periodicity", "elements"]),
            "DataSet": o(["id": "string", "code": "string", "name": "string", "periodicity": "string", "levels": "string[]", "facilityTypes": "string[]",
                          "dueLabel": "string", "cutoffDay": "integer", "remindDays": "integer", "closeDays": "integer", "elements": "DataSetItem[]"], []),
            "DataSetList": list("DataSet"),
            "ReportValue": o(["dataElement": "string", "categoryOptionCombo": "string", "value": "string"], ["dataElement"]),
            "ReportInput": o(["version": "integer", "clientId": "string", "values": "ReportValue[]", "submit": "boolean"], ["version"]),
            "DecisionInput": o(["comment": "string"], []),
            "Report": o(["dataSet": "string", "orgUnit": "string", "orgUnitName": "string", "period": "string", "periodLabel": "string", "status": "string",
                         "version": "integer", "dueDate": "string", "timeliness": "string", "firstSubmittedOn": "string", "comment": "string", "locked": "boolean",
                         "replayed": "boolean", "values": "ReportValue[]", "warnings": "Problem[]", "reminders": "Reminder[]"], []),
            "Reminder": o(["kind": "string", "kindLabel": "string", "username": "string", "channel": "string", "status": "string",
                           "statusLabel": "string", "at": "string", "attempts": "integer"], []),
            "TotalsChild": o(["code": "string", "name": "string", "value": "number", "values": "integer"], []),
            "Totals": o(["element": "string", "aggregation": "string", "unitCode": "string", "from": "string", "to": "string", "combo": "string",
                         "total": "number", "values": "integer", "children": "TotalsChild[]", "rule": "string"], []),
            "CompletenessCounts": o(["expected": "integer", "approved": "integer", "onTime": "integer", "late": "integer", "returned": "integer",
                                     "missing": "integer", "notDue": "integer"], []),
            "CompletenessRow": o(["code": "string", "name": "string", "child": "string", "cells": "string[]"], []),
            "CompletenessChild": o(["code": "string", "name": "string", "counts": "#CompletenessCounts", "reportedPercent": "number", "onTimePercent": "number", "cameLate": "integer"], []),
            "Overdue": o(["code": "string", "name": "string", "period": "string", "due": "string", "contact": "string", "phone": "string"], []),
            "PeriodColumn": o(["id": "string", "label": "string", "due": "string"], []),
            "Completeness": o(["dataSet": "string", "unitCode": "string", "periods": "PeriodColumn[]", "rows": "CompletenessRow[]", "total": "#CompletenessCounts",
                               "reportedPercent": "number", "onTimePercent": "number", "cameLate": "integer", "children": "CompletenessChild[]", "overdue": "Overdue[]"], []),
            "PivotColumn": o(["element": "string", "elementName": "string", "combo": "string", "comboName": "string", "period": "string", "periodLabel": "string"], []),
            "PivotRow": o(["code": "string", "name": "string", "values": "number[]"], []),
            "Pivot": o(["dataSet": "string", "dataSetName": "string", "unitCode": "string", "unitName": "string", "from": "string", "to": "string", "by": "string",
                        "rowLevel": "string", "columns": "PivotColumn[]", "rows": "PivotRow[]", "total": "#PivotRow", "rule": "string"], []),
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
