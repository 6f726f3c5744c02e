import Foundation
import HamletWeb

/// A plan's activities in the OpenAPI document.
extension OpenAPIDocument {
    package static let activityOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/plans/{id}/activities", summary: "Các hoạt động của kế hoạch trong phạm vi (lọc theo loại, năm)", tag: "plans",
              query: [QueryParameters.choice("kind", ActivityKind.self), "year"], response: "Activities"),
        .init(method: "POST", path: "/api/v1/plans/{id}/activities", summary: "Ghi một hoạt động: truyền thông, sự kiện, hội nghị, giám sát, giao ban, họp ban chỉ đạo", tag: "plans",
              body: "ActivityInput", response: "Activity", status: "201"),
        .init(method: "GET", path: "/api/v1/plans/{id}/activities/{activity}", summary: "Một hoạt động, người tham dự và việc sau giám sát", tag: "plans", response: "Activity"),
        .init(method: "PUT", path: "/api/v1/plans/{id}/activities/{activity}", summary: "Sửa hoạt động (personIds: thay danh sách người tham dự; followUps: thêm việc)", tag: "plans",
              body: "ActivityInput", response: "Activity"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/activities/{activity}", summary: "Xóa hoạt động", tag: "plans", status: "204"),
        .init(method: "POST", path: "/api/v1/plans/{id}/activities/{activity}/follow-ups/{followUp}/close", summary: "Đóng một việc sau giám sát: ngày xong và việc đã làm", tag: "plans",
              body: "FollowUpClose", response: "Activity"),
        .init(method: "POST", path: "/api/v1/plans/{id}/activities/{activity}/attachments", summary: "Đính kèm tệp (biên bản, ảnh; PDF, DOCX, JPEG, PNG; tối đa 10 MB, 5 tệp) vào hoạt động", tag: "plans",
              query: ["name"], body: "File", response: "SubmissionFile", status: "201"),
        .init(method: "GET", path: "/api/v1/plans/{id}/activities/{activity}/attachments/{file}", summary: "Tải tệp đính kèm của hoạt động", tag: "plans"),
        .init(method: "DELETE", path: "/api/v1/plans/{id}/activities/{activity}/attachments/{file}", summary: "Bỏ tệp đính kèm của hoạt động", tag: "plans", status: "204"),
        .init(method: "GET", path: "/api/v1/plans/{id}/boards", summary: "Ban chỉ đạo, tổ công tác của kế hoạch, thành viên và cuộc họp", tag: "plans", response: "Boards"),
        .init(method: "POST", path: "/api/v1/plans/{id}/boards", summary: "Thành lập ban chỉ đạo, tổ công tác", tag: "plans", body: "BoardInput", response: "Board", status: "201"),
        .init(method: "GET", path: "/api/v1/plans/{id}/boards/{board}", summary: "Một ban: thành viên theo thời gian và các cuộc họp", tag: "plans", response: "Board"),
        .init(method: "POST", path: "/api/v1/plans/{id}/boards/{board}/members", summary: "Thêm thành viên (người trong sổ, hoặc chức danh tại cơ quan), có ngày bắt đầu", tag: "plans",
              body: "MemberInput", response: "Board", status: "201"),
        .init(method: "POST", path: "/api/v1/plans/{id}/boards/{board}/members/{member}/end", summary: "Ghi ngày thành viên thôi", tag: "plans", body: "MemberEnd", response: "Board"),
        .init(method: "GET", path: "/api/v1/plans/{id}/report-text", summary: "Nội dung báo cáo của tỉnh cho một kỳ: tổng hợp từ báo cáo đã tiếp nhận, hoặc bản đã sửa", tag: "plans",
              query: ["year", "kind=annual|interim|final"], response: "ReportText"),
        .init(method: "PUT", path: "/api/v1/plans/{id}/report-text", summary: "Lưu bản đã sửa (version là bản đã đọc; bản mới hơn: 409); tệp DOCX dùng bản này", tag: "plans",
              query: ["year", "kind=annual|interim|final"], body: "ReportTextInput", response: "ReportText"),
        .init(method: "GET", path: "/api/v1/tracker", summary: "Theo dõi báo cáo của mọi kế hoạch: kỳ vừa đến hạn và sắp đến hạn của mỗi nhiệm vụ, số báo cáo theo tình trạng; state: liệt kê các báo cáo", tag: "plans",
              query: ["date", "state"], response: "PlansTracker"),
    ]

    package static var activitySchemas: [String: Any] {
        let o = OpenAPISchemas.object
        return [
            "FollowUpInput": o(["text": "string", "dueOn": "string"], ["text", "dueOn"]),
            "FollowUpClose": o(["closedOn": "string", "note": "string"], ["closedOn", "note"]),
            "ActivityInput": o(["kind": "string", "title": "string", "taskId": "string", "boardId": "string", "heldOn": "string", "endsOn": "string", "unitCode": "string",
                                "place": "string", "organiser": "string", "male": "integer", "female": "integer", "reached": "integer",
                                "spentCentral": "integer", "spentLocal": "integer", "spentOther": "integer", "outputs": "string", "findings": "string",
                                "decisions": "string", "personIds": "string[]", "followUps": "FollowUpInput[]"], ["kind", "title", "heldOn", "unitCode"]),
            "Attendee": o(["id": "string", "fullName": "string"], []),
            "FollowUp": o(["id": "string", "text": "string", "dueOn": "string", "closedOn": "string", "closingNote": "string", "state": "string", "stateLabel": "string"], []),
            "Activity": o(["id": "string", "planId": "string", "taskId": "string", "task": "string", "boardId": "string", "board": "string", "kind": "string", "kindLabel": "string", "title": "string",
                           "heldOn": "string", "endsOn": "string", "unitCode": "string", "unitName": "string", "place": "string", "organiser": "string",
                           "male": "integer", "female": "integer", "participants": "integer", "reached": "integer", "spentCentral": "integer",
                           "spentLocal": "integer", "spentOther": "integer", "spent": "integer", "outputs": "string", "findings": "string", "decisions": "string",
                           "people": "Attendee[]", "followUps": "FollowUp[]", "files": "SubmissionFile[]", "recordedBy": "string", "recordedOn": "string"], []),
            "Activities": ["type": "array", "items": ["$ref": "#/components/schemas/Activity"]],
            "BoardInput": o(["name": "string", "unitCode": "string", "decision": "string", "establishedOn": "string"], ["name", "unitCode"]),
            "MemberInput": o(["personId": "string", "title": "string", "organisationId": "string", "role": "string", "fromOn": "string", "toOn": "string"], ["role", "fromOn"]),
            "MemberEnd": o(["toOn": "string"], ["toOn"]),
            "BoardMember": o(["id": "string", "personId": "string", "name": "string", "role": "string", "roleLabel": "string", "fromOn": "string", "toOn": "string", "current": "boolean"], []),
            "BoardMeeting": o(["id": "string", "title": "string", "heldOn": "string", "participants": "integer"], []),
            "Board": o(["id": "string", "planId": "string", "name": "string", "unitCode": "string", "unitName": "string", "decision": "string", "establishedOn": "string",
                        "members": "BoardMember[]", "meetings": "BoardMeeting[]"], []),
            "ReportTextInput": o(["results": "string", "limits": "string", "lessons": "string", "nextTasks": "string", "proposals": "string", "assessment": "string",
                                  "version": "integer"], []),
            "ReportTextSection": o(["key": "string", "title": "string", "text": "string"], []),
            "ReportText": o(["planId": "string", "period": "string", "year": "integer", "kind": "string", "sections": "ReportTextSection[]", "assessment": "string",
                             "version": "integer", "edited": "boolean", "editedBy": "string", "editedOn": "string", "mayEdit": "boolean"], []),
            "TrackerLine": o(["planId": "string", "planNumber": "string", "dutyId": "string", "duty": "string", "period": "string", "periodLabel": "string",
                              "due": "string", "counts": "object", "link": "string"], []),
            "PlansTracker": o(["asOf": "string", "counts": "object", "lines": "TrackerLine[]", "items": "TrackerRow[]"], []),
            "Boards": ["type": "array", "items": ["$ref": "#/components/schemas/Board"]],
        ]
    }
}
