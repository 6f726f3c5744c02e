import Foundation
import HamletWeb

/// Running the plan in the OpenAPI document: duties, the tracker, submissions.
extension OpenAPIDocument {
    package static let implementationOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/plans/{id}/duties", summary: "Các nhiệm vụ báo cáo của kế hoạch", tag: "plans", response: "Duties"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties", summary: "Thêm nhiệm vụ báo cáo: ai báo cáo, gửi đến đâu, kỳ, hạn", tag: "plans", body: "DutyInput", response: "Duty", status: "201"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/duties/{duty}", summary: "Xóa nhiệm vụ báo cáo (khi chưa có báo cáo gửi)", tag: "plans", status: "204"),
        .init(method: "GET", path: "/api/v1/plans/{id}/tracker", summary: "Theo dõi: mỗi báo cáo phải nộp của các kỳ đã bắt đầu, và tình trạng", tag: "plans",
              query: ["date", "period"], response: "Tracker"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/attachments", summary: "Đính kèm tệp (PDF, DOCX, JPEG, PNG; tối đa 10 MB, 5 tệp) vào báo cáo đang soạn", tag: "plans",
              query: ["name"], body: "File", response: "SubmissionFile", status: "201"),
        .init(method: "GET", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/attachments/{file}", summary: "Tải tệp đính kèm", tag: "plans"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/attachments/{file}", summary: "Bỏ tệp đính kèm (khi báo cáo chưa gửi)", tag: "plans", status: "204"),
        .init(method: "GET", path: "/api/v1/plans/{id}/hierarchy", summary: "Kế hoạch cấp trên mà kế hoạch thực hiện, và các kế hoạch cấp dưới", tag: "plans", response: "Hierarchy"),
        .init(method: "PUT", path: "/api/v1/plans/{id}/parent", summary: "Ghi kế hoạch cấp trên (parentId null hoặc không gửi: bỏ)", tag: "plans", body: "ParentInput", response: "Hierarchy"),
        .init(method: "POST", path: "/api/v1/plans/{id}/targets/inherit", summary: "Nhận các chỉ tiêu của kế hoạch cấp trên, đo tại phạm vi và trong thời gian của kế hoạch này", tag: "plans", response: "Inherited"),
        .init(method: "GET", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}", summary: "Báo cáo của một đơn vị cho một kỳ (chưa có: số liệu điền sẵn)", tag: "plans", response: "Submission"),
        .init(method: "PUT", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}", summary: "Lưu nháp hoặc gửi (submit = true)", tag: "plans", body: "SubmissionInput", response: "Submission"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/accept", summary: "Tiếp nhận báo cáo đã gửi", tag: "plans", response: "Submission"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/return", summary: "Trả lại báo cáo, có lý do: cơ quan chủ trì trả lại báo cáo đã gửi, lãnh đạo UBND trả lại báo cáo đã tiếp nhận", tag: "plans", body: "ReasonInput", response: "Submission"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/unaccept", summary: "Hủy tiếp nhận (khi UBND chưa phê duyệt)", tag: "plans", response: "Submission"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/approve", summary: "Lãnh đạo UBND phê duyệt báo cáo cơ quan chủ trì đã tiếp nhận", tag: "plans", response: "Submission"),
        .init(method: "POST", path: "/api/v1/plans/{id}/duties/{duty}/submissions/{period}/{body}/unapprove", summary: "Lãnh đạo UBND hủy phê duyệt", tag: "plans", response: "Submission"),
    ]

    package static var implementationSchemas: [String: Any] {
        let o = OpenAPISchemas.object
        return [
            "DutyInput": o(["title": "string", "reporters": "string", "reporterIds": "string[]", "facilityType": "string", "recipientId": "string",
                            "frequency": "string", "due": "string", "sections": "string[]", "figures": "string[]", "committeeApproves": "boolean"], ["title", "reporters", "recipientId", "frequency", "due"]),
            "Duty": o(["id": "string", "title": "string", "reporters": "string", "reportersLabel": "string", "reporterIds": "string[]", "facilityType": "string",
                       "recipientId": "string", "recipient": "string", "frequency": "string", "frequencyLabel": "string", "due": "string",
                       "sections": "string[]", "figures": "string[]", "committeeApproves": "boolean"], []),
            "Duties": ["type": "array", "items": ["$ref": "#/components/schemas/Duty"]],
            "TrackerRow": o(["dutyId": "string", "duty": "string", "period": "string", "periodLabel": "string", "body": "string", "bodyName": "string",
                             "unitCode": "string", "due": "string", "state": "string", "stateLabel": "string", "late": "boolean", "submittedOn": "string", "returnReason": "string", "awaitsCommittee": "boolean", "link": "string"], []),
            "Tracker": o(["planId": "string", "asOf": "string", "counts": "object", "items": "TrackerRow[]"], []),
            "SubmissionFigure": o(["code": "string", "name": "string", "value": "string", "numerator": "number", "denominator": "number", "note": "string"], []),
            "SubmissionInput": o(["results": "string", "limits": "string", "lessons": "string", "nextTasks": "string", "proposals": "string",
                                  "notes": "object", "submit": "boolean", "version": "integer"], []),
            "ReasonInput": o(["reason": "string"], []),
            "SubmissionFile": o(["id": "string", "filename": "string", "contentType": "string", "size": "integer", "uploadedBy": "string", "uploadedOn": "string"], []),
            "ParentInput": o(["parentId": "uuid?"], []),
            "PlanLink": o(["id": "string", "number": "string", "title": "string", "fromYear": "integer", "toYear": "integer", "scopeCode": "string",
                           "status": "string", "statusLabel": "string"], []),
            "Hierarchy": o(["parent": "#PlanLink", "children": "PlanLink[]"], []),
            "Inherited": o(["added": "integer"], []),
            "Submission": o(["id": "string", "planId": "string", "dutyId": "string", "duty": "string", "period": "string", "periodLabel": "string",
                             "body": "string", "bodyName": "string", "recipient": "string", "due": "string", "status": "string", "statusLabel": "string", "late": "boolean",
                             "results": "string", "limits": "string", "lessons": "string", "nextTasks": "string", "proposals": "string",
                             "figures": "SubmissionFigure[]", "figuresAsOf": "string", "files": "SubmissionFile[]", "returnReason": "string", "firstSubmittedOn": "string",
                             "submittedOn": "string", "decidedOn": "string", "decidedBy": "string", "committeeApproves": "boolean", "approvedOn": "string", "approvedBy": "string",
                             "version": "integer", "mayEdit": "boolean", "mayDecide": "boolean", "mayUndoAccept": "boolean", "mayApprove": "boolean", "mayUndoApproval": "boolean"], []),
        ]
    }
}
